/** The migrations create every table and index, agree with the entities, are idempotent, and upgrade a version-1 database. */
import { afterAll, afterEach, describe, expect, it } from '@jest/globals';
import { definitionsMigrationName, initMigrationName, leanRowsMigrationName, retentionMigrationName, tableNames, workflowMigrations, type TypeOrmStorage } from '../src/index.js';
import { makeCreate, makeStoredDefinition } from '@workflow-mastery/core/testing';
import { uniquePrefix } from './support/databases.js';
import { availableTargets, closeStorages, openStorage } from './support/targets.js';

const targets = await availableTargets();
afterEach(closeStorages);
afterAll(async () => {
  for (const target of targets) await target.cleanup();
});

const INDEXES: Record<string, string[]> = {
  instances: [
    'ix_instances_definition_created',
    'ix_instances_created',
    'ux_instances_idempotency_key',
    'ix_instances_business_key',
    'ix_instances_purge_after',
    'ix_instances_state_created',
  ],
  events: [],
  timers: ['ix_timers_fire_at'],
  work: ['ix_work_lease_until'],
  tasks: ['ix_tasks_assigned_state', 'ix_tasks_instance'],
  idempotency_keys: [],
  definitions: [],
  instance_attributes: ['ix_attributes_name_value'],
  business_keys: [],
  leases: [],
  archived_instances: ['ix_archived_definition_at'],
};

async function migrationNames(storage: TypeOrmStorage, prefix: string): Promise<string[]> {
  const rows = (await storage.dataSource.query(`SELECT name FROM ${prefix}migrations`)) as Array<{ name: string }>;
  return rows.map((r) => r.name);
}

describe.each(targets.map((t) => [t.name, t] as const))('migrations on %s', (_name, target) => {
  it('create every table with its columns, keys and indexes', async () => {
    const prefix = uniquePrefix('mig');
    const storage = openStorage(target, prefix);
    await storage.init();
    const queryRunner = storage.dataSource.createQueryRunner();
    try {
      for (const [table, indexes] of Object.entries(INDEXES)) {
        const found = await queryRunner.getTable(`${prefix}${table}`);
        expect(found).toBeDefined();
        expect(found!.indices.map((i) => i.name).sort()).toEqual(indexes.map((i) => `${prefix}${i}`).sort());
      }
      const instances = (await queryRunner.getTable(`${prefix}instances`))!;
      expect(instances.primaryColumns.map((c) => c.name)).toEqual(['id']);
      expect(instances.columns.map((c) => c.name)).toEqual([
        'id', 'definition_name', 'definition_version', 'state', 'version', 'seq', 'created_at', 'updated_at', 'completed_at', 'idempotency_key', 'record',
        'business_key', 'purge_after',
      ]);
      expect(instances.findColumnByName('business_key')?.isNullable).toBe(true);
      expect(instances.findColumnByName('purge_after')?.type).toBe('bigint');
      const attributes = (await queryRunner.getTable(`${prefix}instance_attributes`))!;
      expect(attributes.primaryColumns.map((c) => c.name).sort()).toEqual(['instance_id', 'name']);
      const businessKeys = (await queryRunner.getTable(`${prefix}business_keys`))!;
      expect(businessKeys.primaryColumns.map((c) => c.name).sort()).toEqual(['business_key', 'definition_name']);
      const leases = (await queryRunner.getTable(`${prefix}leases`))!;
      expect(leases.primaryColumns.map((c) => c.name)).toEqual(['name']);
      expect(instances.indices.find((i) => i.name === `${prefix}ux_instances_idempotency_key`)?.isUnique).toBe(true);
      const work = (await queryRunner.getTable(`${prefix}work`))!;
      expect(work.primaryColumns.map((c) => c.name).sort()).toEqual(['instance_id', 'kind', 'step_id']);
      const events = (await queryRunner.getTable(`${prefix}events`))!;
      expect(events.primaryColumns.map((c) => c.name).sort()).toEqual(['instance_id', 'seq']);
      const definitions = (await queryRunner.getTable(`${prefix}definitions`))!;
      expect(definitions.primaryColumns.map((c) => c.name).sort()).toEqual(['name', 'version']);
      expect(definitions.columns.map((c) => c.name)).toEqual(['name', 'version', 'hash', 'source', 'stored_at']);
      if (target.name === 'postgres') {
        expect(instances.findColumnByName('id')?.collation).toBe('C');
        expect(definitions.findColumnByName('source')?.type).toBe('text');
      }
      if (target.name === 'mariadb') {
        expect(instances.findColumnByName('id')?.collation).toBe('utf8mb4_bin');
        expect(instances.findColumnByName('record')?.type).toBe('longtext');
        expect(definitions.findColumnByName('source')?.type).toBe('longtext');
      }
    } finally {
      await queryRunner.release();
      await storage.close();
    }
  });

  it('describe exactly what the entities describe (TypeORM finds no schema change)', async () => {
    const prefix = uniquePrefix('mig');
    const storage = openStorage(target, prefix);
    await storage.init();
    const log = await storage.dataSource.driver.createSchemaBuilder().log();
    expect(log.upQueries.map((q) => q.query)).toEqual([]);
    await storage.close();
  });

  it('are idempotent: recorded once, and re-running them changes nothing', async () => {
    const prefix = uniquePrefix('mig');
    const first = openStorage(target, prefix);
    await first.init();
    await first.close();
    const second = openStorage(target, prefix);
    await second.init(); // runs the migrations again: none pending
    expect(await migrationNames(second, prefix)).toEqual([initMigrationName(prefix), definitionsMigrationName(prefix), retentionMigrationName(prefix), leanRowsMigrationName(prefix)]);
    expect(await second.dataSource.runMigrations()).toEqual([]);
    // Even the migrations themselves, run by hand on existing tables, leave them alone.
    const queryRunner = second.dataSource.createQueryRunner();
    for (const Migration of workflowMigrations(prefix)) await new Migration().up(queryRunner);
    await queryRunner.release();
    expect(await second.listInstances()).toEqual({ items: [] });
    expect(await second.listDefinitions()).toEqual([]);
    await second.close();
  });

  it('can be undone, the last one first', async () => {
    const prefix = uniquePrefix('mig');
    const storage = openStorage(target, prefix);
    await storage.init();
    const queryRunner = storage.dataSource.createQueryRunner();
    await storage.dataSource.undoLastMigration(); // lean rows: the two indexes back, none partial
    expect((await queryRunner.getTable(`${prefix}instances`))!.indices.map((i) => i.name)).toContain(`${prefix}ix_instances_state_updated`);
    expect((await queryRunner.getTable(`${prefix}events`))!.indices.map((i) => i.name)).toEqual([`${prefix}ix_events_instance_at`]);
    expect(await partialIndexes(storage, `${prefix}instances`)).toEqual([]);
    expect(await migrationNames(storage, prefix)).toEqual([initMigrationName(prefix), definitionsMigrationName(prefix), retentionMigrationName(prefix)]);
    await storage.dataSource.undoLastMigration();
    for (const table of ['instance_attributes', 'business_keys', 'leases', 'archived_instances']) expect(await queryRunner.hasTable(`${prefix}${table}`)).toBe(false);
    const instances = (await queryRunner.getTable(`${prefix}instances`))!;
    expect(instances.findColumnByName('business_key')).toBeUndefined();
    expect(instances.findColumnByName('purge_after')).toBeUndefined();
    expect(instances.indices.map((i) => i.name)).not.toContain(`${prefix}ix_instances_purge_after`);
    expect(await migrationNames(storage, prefix)).toEqual([initMigrationName(prefix), definitionsMigrationName(prefix)]);
    await storage.dataSource.undoLastMigration();
    expect(await queryRunner.hasTable(`${prefix}definitions`)).toBe(false);
    expect(await queryRunner.hasTable(`${prefix}instances`)).toBe(true);
    expect(await migrationNames(storage, prefix)).toEqual([initMigrationName(prefix)]);
    await storage.dataSource.undoLastMigration();
    for (const table of ['instances', 'events', 'timers', 'work', 'tasks', 'idempotency_keys']) {
      expect(await queryRunner.hasTable(`${prefix}${table}`)).toBe(false);
    }
    await queryRunner.release();
    expect(await migrationNames(storage, prefix)).toEqual([]);
    await storage.close();
  });

  it('upgrade a version-1 database: the definitions table comes with the next migration run, the data stays', async () => {
    const prefix = uniquePrefix('mig');
    const old = openStorage(target, prefix);
    await old.init();
    const { instance, events } = makeCreate();
    await old.createInstance(instance, events);
    await old.dataSource.undoLastMigration();
    await old.dataSource.undoLastMigration();
    await old.dataSource.undoLastMigration(); // as the first release left it: Init only
    await old.close();

    const notMigrated = openStorage(target, prefix, { runMigrations: false });
    const error = await notMigrated.init().then(() => undefined, (e: unknown) => e);
    expect(error).toMatchObject({ code: 'WF_INPUT_INVALID', details: { table: `${prefix}definitions` } });
    expect(String((error as Error).message)).toMatch(/WorkflowMasteryDefinitions.*runMigrations: true/);

    const upgraded = openStorage(target, prefix);
    await upgraded.init();
    expect(await migrationNames(upgraded, prefix)).toEqual([initMigrationName(prefix), definitionsMigrationName(prefix), retentionMigrationName(prefix), leanRowsMigrationName(prefix)]);
    expect((await upgraded.getInstance(instance.id))?.id).toBe(instance.id);
    const def = makeStoredDefinition('order', '1');
    expect(await upgraded.saveDefinition(def)).toEqual(def);
    expect(await upgraded.listDefinitions()).toEqual([{ name: 'order', version: '1', hash: def.hash, storedAt: def.storedAt }]);
    await upgraded.close();
  });
});

describe.each(targets.map((t) => [t.name, t] as const))('the retention migration on %s', (_name, target) => {
  it('upgrades a database of the previous release: columns, indexes and tables added, rows kept and searchable', async () => {
    const prefix = uniquePrefix('mig');
    const old = openStorage(target, prefix);
    await old.init();
    const { instance, events } = makeCreate({ state: 'COMPLETED', completedAt: 1 });
    await old.createInstance(instance, events);
    await old.dataSource.undoLastMigration();
    await old.dataSource.undoLastMigration(); // as the release before it left it: Init and Definitions
    await old.close();

    const notMigrated = openStorage(target, prefix, { runMigrations: false });
    const error = await notMigrated.init().then(() => undefined, (e: unknown) => e);
    expect(error).toMatchObject({ code: 'WF_INPUT_INVALID', details: { table: `${prefix}business_keys` } });
    expect(String((error as Error).message)).toMatch(/WorkflowMasteryRetention.*runMigrations: true/);

    const upgraded = openStorage(target, prefix);
    await upgraded.init();
    expect(await migrationNames(upgraded, prefix)).toEqual([initMigrationName(prefix), definitionsMigrationName(prefix), retentionMigrationName(prefix), leanRowsMigrationName(prefix)]);
    expect(await upgraded.getInstance(instance.id)).toEqual(JSON.parse(JSON.stringify(instance)));
    expect(await upgraded.findPurgeable(10, 10)).toEqual([]);
    const fresh = makeCreate({ businessKey: 'K-1', uniqueBusinessKey: true, attributes: { customer: 'C-1' } });
    expect((await upgraded.createInstance(fresh.instance, fresh.events)).created).toBe(true);
    expect((await upgraded.listInstances({ businessKey: 'K-1' })).items.map((r) => r.id)).toEqual([fresh.instance.id]);
    expect((await upgraded.listInstances({ attributes: { customer: 'C-1' } })).items.map((r) => r.id)).toEqual([fresh.instance.id]);
    expect(await upgraded.acquireLease('purge', { owner: 'e1', until: 100 }, 0)).toBe(true);
    await upgraded.close();
  });
});

describe.each(targets.map((t) => [t.name, t] as const))('the lean-rows migration on %s', (_name, target) => {
  it('upgrades a database of the previous release: two indexes dropped, optional columns indexed partially, rows kept', async () => {
    const prefix = uniquePrefix('mig');
    const old = openStorage(target, prefix);
    await old.init();
    const keyed = makeCreate();
    await old.createInstance(keyed.instance, keyed.events, 'key-1');
    await old.dataSource.undoLastMigration(); // as the previous release left it
    expect(await partialIndexes(old, `${prefix}instances`)).toEqual([]);
    await old.close();

    const upgraded = openStorage(target, prefix);
    await upgraded.init();
    expect(await migrationNames(upgraded, prefix)).toEqual([initMigrationName(prefix), definitionsMigrationName(prefix), retentionMigrationName(prefix), leanRowsMigrationName(prefix)]);
    const queryRunner = upgraded.dataSource.createQueryRunner();
    expect((await queryRunner.getTable(`${prefix}instances`))!.indices.map((i) => i.name)).not.toContain(`${prefix}ix_instances_state_updated`);
    expect((await queryRunner.getTable(`${prefix}events`))!.indices).toEqual([]);
    await queryRunner.release();
    const partial = target.name === 'mariadb' ? [] : ['ix_instances_business_key', 'ix_instances_purge_after', 'ux_instances_idempotency_key'].map((s) => `${prefix}${s}`);
    expect(await partialIndexes(upgraded, `${prefix}instances`)).toEqual(partial);
    if (target.name === 'postgres') {
      const [{ options }] = (await upgraded.dataSource.query(`SELECT reloptions AS options FROM pg_class WHERE relname = $1`, [`${prefix}instances`])) as Array<{ options: string[] }>;
      expect(options).toEqual(['fillfactor=80']);
    }
    // The rows are kept, and the partial unique index still refuses a taken idempotency key.
    expect((await upgraded.getInstance(keyed.instance.id))?.id).toBe(keyed.instance.id);
    const again = makeCreate();
    const second = await upgraded.createInstance(again.instance, again.events, 'key-1');
    expect(second).toMatchObject({ created: false, instance: { id: keyed.instance.id } });
    const plain = makeCreate();
    expect((await upgraded.createInstance(plain.instance, plain.events)).created).toBe(true);
    await upgraded.close();
  });
});

/** The names of the partial indexes of `table` (PostgreSQL and SQLite; MariaDB has none). */
async function partialIndexes(storage: TypeOrmStorage, table: string): Promise<string[]> {
  const type = String(storage.dataSource.options.type);
  if (type === 'postgres') {
    const rows = (await storage.dataSource.query(`SELECT indexname AS name FROM pg_indexes WHERE tablename = $1 AND indexdef LIKE '% WHERE %'`, [table])) as Array<{ name: string }>;
    return rows.map((r) => r.name).sort();
  }
  if (type === 'better-sqlite3') {
    const rows = (await storage.dataSource.query(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql LIKE '% WHERE %'`, [table])) as Array<{ name: string }>;
    return rows.map((r) => r.name).sort();
  }
  return [];
}

describe('migration names', () => {
  it('end with the timestamp TypeORM reads, and carry a non-default prefix', () => {
    expect(initMigrationName()).toBe('WorkflowMasteryInit1700000000000');
    expect(definitionsMigrationName()).toBe('WorkflowMasteryDefinitions1796342400000');
    expect(retentionMigrationName()).toBe('WorkflowMasteryRetention1796428800000');
    expect(leanRowsMigrationName()).toBe('WorkflowMasteryLeanRows1796515200000');
    expect(workflowMigrations('app_').map((m) => new m().name)).toEqual([
      'WorkflowMasteryInit_app_1700000000000',
      'WorkflowMasteryDefinitions_app_1796342400000',
      'WorkflowMasteryRetention_app_1796428800000',
      'WorkflowMasteryLeanRows_app_1796515200000',
    ]);
    expect(initMigrationName('app_')).toBe('WorkflowMasteryInit_app_1700000000000');
    const [Init] = workflowMigrations('app_');
    expect(new Init!().name).toBe('WorkflowMasteryInit_app_1700000000000');
    expect(Init!.name).toBe('WorkflowMasteryInit_app_1700000000000');
    expect(workflowMigrations('app_')[0]).toBe(Init);
    expect(tableNames('app_').migrations).toBe('app_migrations');
  });

  it('refuse an invalid prefix', () => {
    expect(() => workflowMigrations('Bad-Prefix')).toThrow(/tablePrefix/);
  });
});

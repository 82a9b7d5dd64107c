/**
 * A TypeOrmStorage on the application's own DataSource: our entities and migrations next to the
 * application's, run by the application; the storage never closes that DataSource.
 */
import { afterAll, afterEach, describe, expect, it } from '@jest/globals';
import { makeCreate, nextCommit } from '@workflow-mastery/core/testing';
import { Column, DataSource, Entity, PrimaryColumn, Table, type DataSourceOptions, type MigrationInterface, type QueryRunner } from 'typeorm';
import {
  TypeOrmStorage,
  definitionsMigrationName,
  initMigrationName,
  retentionMigrationName,
  leanRowsMigrationName,
  workflowEntities,
  workflowMigrations,
  type SupportedType,
  type TypeOrmStorageConnectionOptions,
} from '../src/index.js';
import { uniquePrefix } from './support/databases.js';
import { availableTargets, type Target } from './support/targets.js';

const targets = await availableTargets();
/** Every DataSource a test made: destroyed after it even when it failed, so no socket keeps Jest from exiting. */
const made: DataSource[] = [];
afterEach(async () => {
  for (const ds of made.splice(0)) if (ds.isInitialized) await ds.destroy();
});
afterAll(async () => {
  for (const target of targets) await target.cleanup();
});

const APP = uniquePrefix('app');

/** The application's own entity. */
@Entity(`${APP}notes`)
class Note {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id!: string;

  @Column({ type: 'varchar', length: 255 })
  body!: string;
}

/** The application's own migration. */
class CreateNotes1700000000001 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: `${APP}notes`,
        columns: [
          { name: 'id', type: 'varchar', length: '64', isPrimary: true },
          { name: 'body', type: 'varchar', length: '255' },
        ],
      }),
      true,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable(`${APP}notes`, true);
  }
}

/** The application's DataSource on `target`, sharing the database the target's storages use for `prefix`. */
function appDataSource(target: Target, prefix: string, extra: Partial<DataSourceOptions>): DataSource {
  const connection = target.options(prefix) as TypeOrmStorageConnectionOptions;
  const where = connection.type === 'better-sqlite3' ? { database: connection.database! } : { url: connection.url! };
  const ds = new DataSource({
    type: connection.type,
    ...where,
    // The app's migrations table is per test run too: suites run in parallel on one database.
    migrationsTableName: `${prefix}app_migrations`,
    ...extra,
  } as DataSourceOptions);
  made.push(ds);
  return ds;
}

describe.each(targets.map((t) => [t.name, t] as const))("the application's DataSource on %s", (_name, target) => {
  const type = (target.options('x_') as TypeOrmStorageConnectionOptions).type as SupportedType;

  it('runs our migrations with the application\'s and serves both; close() leaves it open', async () => {
    const prefix = uniquePrefix('uds');
    const ds = appDataSource(target, prefix, {
      entities: [Note, ...workflowEntities(prefix, type)],
      migrations: [CreateNotes1700000000001, ...workflowMigrations(prefix)],
    });
    await ds.initialize();
    const ran = await ds.runMigrations();
    // By timestamp: ours of version 1, the application's, then our definitions table, retention and lean rows.
    expect(ran.map((m) => m.name)).toEqual([
      initMigrationName(prefix),
      'CreateNotes1700000000001',
      definitionsMigrationName(prefix),
      retentionMigrationName(prefix),
      leanRowsMigrationName(prefix),
    ]);

    const storage = new TypeOrmStorage({ dataSource: ds, tablePrefix: prefix });
    await storage.init();
    const { instance, events } = makeCreate({ state: 'RUNNING' });
    await storage.createInstance(instance, events, 'order-1');
    const commit = nextCommit(instance, { state: 'COMPLETED' });
    await storage.commit(commit);
    await ds.getRepository(Note).save({ id: 'n1', body: 'hello' });
    expect(await ds.getRepository(Note).findOneBy({ id: 'n1' })).toEqual({ id: 'n1', body: 'hello' });
    expect((await storage.findByIdempotencyKey('order-1'))?.state).toBe('COMPLETED');

    await storage.close();
    expect(ds.isInitialized).toBe(true);
    expect(await ds.getRepository(Note).count()).toBe(1);
    // A second storage on the same DataSource sees the same data.
    const again = new TypeOrmStorage({ dataSource: ds, tablePrefix: prefix });
    expect((await again.getInstance(instance.id))?.version).toBe(2);
    await again.close();
    await ds.undoLastMigration(); // our lean-rows indexes
    await ds.undoLastMigration(); // our retention tables and columns
    await ds.undoLastMigration(); // our definitions table
    await ds.undoLastMigration(); // the app's notes table
    expect(await ds.createQueryRunner().hasTable(`${APP}notes`)).toBe(false);
    await ds.destroy();
  });

  it('serves two prefixes from one DataSource, isolated from each other', async () => {
    const [p1, p2] = [uniquePrefix('udsa'), uniquePrefix('udsb')];
    const ds = appDataSource(target, p1, {
      entities: [...workflowEntities(p1, type), ...workflowEntities(p2, type)],
      migrations: [...workflowMigrations(p1), ...workflowMigrations(p2)],
    });
    target.options(p2); // let the target drop p2's tables too
    await ds.initialize();
    await ds.runMigrations();
    const [a, b] = [new TypeOrmStorage({ dataSource: ds, tablePrefix: p1 }), new TypeOrmStorage({ dataSource: ds, tablePrefix: p2 })];
    const { instance, events } = makeCreate();
    await a.createInstance(instance, events);
    expect(await a.getInstance(instance.id)).toBeDefined();
    expect(await b.getInstance(instance.id)).toBeUndefined();
    await Promise.all([a.close(), b.close()]);
    await ds.destroy();
  });

  it('accepts the portable entities (no database type given)', async () => {
    const prefix = uniquePrefix('udsg');
    const ds = appDataSource(target, prefix, { entities: workflowEntities(prefix), migrations: workflowMigrations(prefix) });
    const storage = new TypeOrmStorage({ dataSource: ds, tablePrefix: prefix, runMigrations: true });
    await storage.init(); // initializes the DataSource and runs its migrations
    const { instance, events } = makeCreate();
    await storage.createInstance(instance, events);
    expect((await storage.getInstance(instance.id))?.id).toBe(instance.id);
    await storage.close();
    expect(ds.isInitialized).toBe(true);
    await ds.destroy();
  });

  it('says which migration to run when the DataSource still lists only the version-1 migration (upgrade)', async () => {
    const prefix = uniquePrefix('udsu');
    const ds = appDataSource(target, prefix, { entities: workflowEntities(prefix, type), migrations: workflowMigrations(prefix).slice(0, 1) });
    await ds.initialize();
    await ds.runMigrations();
    const storage = new TypeOrmStorage({ dataSource: ds, tablePrefix: prefix });
    await expect(storage.init()).rejects.toMatchObject({
      code: 'WF_INPUT_INVALID',
      details: { table: `${prefix}definitions` },
      message: expect.stringMatching(new RegExp(`WorkflowMasteryDefinitions.*workflowMigrations\\("${prefix}"\\).*runMigrations\\(\\)`)),
    });
    await storage.close();
    await ds.destroy();
  });

  it('says what to add when the entities are missing', async () => {
    const prefix = uniquePrefix('udsm');
    const ds = appDataSource(target, prefix, { entities: [Note] });
    const storage = new TypeOrmStorage({ dataSource: ds, tablePrefix: prefix });
    await expect(storage.init()).rejects.toMatchObject({
      code: 'WF_INPUT_INVALID',
      message: expect.stringContaining(`workflowEntities("${prefix}"`),
    });
    await storage.close();
    await ds.destroy();
  });

  it('says what to run when the tables are missing', async () => {
    const prefix = uniquePrefix('udst');
    const ds = appDataSource(target, prefix, { entities: workflowEntities(prefix, type) });
    const storage = new TypeOrmStorage({ dataSource: ds, tablePrefix: prefix });
    await expect(storage.init()).rejects.toMatchObject({
      code: 'WF_INPUT_INVALID',
      message: expect.stringMatching(/does not exist: add \.\.\.workflowMigrations\(prefix\).*runMigrations: true/),
    });
    await storage.close();
    await ds.destroy();
  });
});

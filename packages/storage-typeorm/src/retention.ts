/**
 * Retention: finding finished instances whose `purgeAfter` has passed, deleting them whole, and the
 * named maintenance leases that let one engine of many do it.
 *
 * A purge deletes, per chunk of candidates in one transaction, the instance rows still at the
 * listed version and finished (read `FOR UPDATE` on PostgreSQL and MySQL/MariaDB, in id order; the
 * single writer's `BEGIN IMMEDIATE` on SQLite), then their events, work, timers, tasks, search
 * attributes, idempotency key and unique business key rows. A commit racing it either swaps first
 * (the version no longer matches: the instance stays) or finds no row (ConcurrencyError).
 */
import { TERMINAL_STATES, type Lease, type PurgeCandidate } from '@workflow-mastery/core';
import type { QueryRunner } from 'typeorm';
import type { AttributeTracker } from './attribute-rows.js';
import { placeholders } from './business-keys.js';
import { sqliteDatabaseOf } from './raw-sql.js';
import { prepared } from './sqlite-batch.js';
import { chunks, type StorageContext } from './storage-context.js';
import { deleteByKeys, deleteWhereIn } from './table-ops.js';
import type { TransactionRunner } from './transaction-runner.js';

const FINISHED = [...TERMINAL_STATES];

/** Finished instances with `purge_after <= now`, earliest first (then id), at most `limit`. */
export async function readPurgeable(ctx: StorageContext, queryRunner: QueryRunner, now: number, limit: number): Promise<PurgeCandidate[]> {
  const rows = await queryRunner.manager
    .createQueryBuilder(ctx.entities.instance, 'i')
    .select(['i.id', 'i.version', 'i.definitionName', 'i.purgeAfter'])
    // SQLite (never ANALYZEd in an application's file) would otherwise pick the state index and sort
    // every finished row for each batch; `+` keeps the state term off the index: purge_after leads.
    .where(`i.purgeAfter <= :now AND ${ctx.flavor === 'sqlite' ? '+' : ''}i.state IN (:...finished)`, { now, finished: FINISHED })
    .orderBy('i.purgeAfter', 'ASC')
    .addOrderBy('i.id', 'ASC')
    .limit(limit)
    .getMany();
  return rows.map((row) => ({ id: row.id, version: Number(row.version), definitionName: row.definitionName, purgeAfter: Number(row.purgeAfter) }));
}

/** Deletes, inside `queryRunner`'s transaction, the candidates still at their version and finished; returns their ids. */
async function purgeChunk(ctx: StorageContext, queryRunner: QueryRunner, candidates: ReadonlyArray<Pick<PurgeCandidate, 'id' | 'version'>>): Promise<string[]> {
  const wanted = new Map<string, number>();
  for (const { id, version } of candidates) if (!wanted.has(id)) wanted.set(id, version);
  const qb = queryRunner.manager
    .createQueryBuilder(ctx.entities.instance, 'i')
    .select(['i.id', 'i.version', 'i.state', 'i.idempotencyKey', 'i.definitionName', 'i.businessKey'])
    .where('i.id IN (:...ids)', { ids: [...wanted.keys()] })
    .orderBy('i.id', 'ASC');
  if (ctx.flavor !== 'sqlite') qb.setLock('pessimistic_write');
  const victims = (await qb.getMany()).filter((row) => wanted.get(row.id) === Number(row.version) && FINISHED.includes(row.state as (typeof FINISHED)[number]));
  if (victims.length === 0) return [];
  const ids = victims.map((row) => row.id);
  const { entities } = ctx;
  await deleteWhereIn(ctx, queryRunner, entities.instance, 'id', ids);
  for (const entity of [entities.event, entities.work, entities.timer, entities.task, entities.attribute]) {
    await deleteWhereIn(ctx, queryRunner, entity, 'instance_id', ids);
  }
  const keys = victims.flatMap((row) => (row.idempotencyKey === null ? [] : [[row.idempotencyKey, row.id]]));
  if (keys.length > 0) await deleteByKeys(ctx, queryRunner, entities.idempotencyKey, ['idempotency_key', 'instance_id'], keys);
  const businessKeys = victims.flatMap((row) => (row.businessKey === null ? [] : [[row.definitionName, row.businessKey, row.id]]));
  if (businessKeys.length > 0) await deleteByKeys(ctx, queryRunner, entities.businessKey, ['definition_name', 'business_key', 'instance_id'], businessKeys);
  return ids;
}

/** `purgeInstances` of {@link TypeOrmStorage}: one transaction per chunk of candidates. */
export async function purgeInstances(
  ctx: StorageContext,
  tx: TransactionRunner,
  tracker: AttributeTracker,
  candidates: ReadonlyArray<Pick<PurgeCandidate, 'id' | 'version'>>,
): Promise<string[]> {
  const purged: string[] = [];
  for (const slice of chunks(candidates)) {
    const ids = await tx.write((queryRunner) => purgeChunk(ctx, queryRunner, slice));
    for (const id of ids) tracker.forget(id);
    purged.push(...ids);
  }
  return purged;
}

/** The SQL of the lease statements for `ctx`. */
function leaseSql(ctx: StorageContext): { take: string; insert: string; read: string } {
  const table = ctx.dataSource.driver.escape(ctx.names.leases);
  const [name, owner, until] = ['name', 'owner', 'until'].map(ctx.col) as [string, string, string];
  const values = `(${name}, ${owner}, ${until}) VALUES (?, ?, ?)`;
  return {
    take: placeholders(ctx, `UPDATE ${table} SET ${owner} = ?, ${until} = ? WHERE ${name} = ? AND (${owner} = ? OR ${until} < ?)`),
    insert: placeholders(ctx, ctx.flavor === 'mysql' ? `INSERT IGNORE INTO ${table} ${values}` : `INSERT INTO ${table} ${values} ON CONFLICT DO NOTHING`),
    read: placeholders(ctx, `SELECT ${owner} AS owner, ${until} AS until FROM ${table} WHERE ${name} = ?`),
  };
}

/**
 * `acquireLease` of {@link TypeOrmStorage}: a conditional UPDATE (free when expired, or already
 * `lease.owner`'s), else an INSERT that only the first of racing callers gets in. On PostgreSQL and
 * MySQL/MariaDB each is a statement of its own (no transaction holds a lock between them).
 */
export async function acquireLease(ctx: StorageContext, tx: TransactionRunner, name: string, lease: Lease, now: number): Promise<boolean> {
  const sql = leaseSql(ctx);
  const take = [lease.owner, lease.until, name, lease.owner, now];
  const insert = [name, lease.owner, lease.until];
  if (ctx.flavor === 'sqlite') {
    const db = sqliteDatabaseOf(ctx.dataSource);
    return tx.writeSync(db, () => prepared(db, sql.take).run(...take).changes === 1 || prepared(db, sql.insert).run(...insert).changes === 1);
  }
  return tx.statement(() =>
    tx.read(async (queryRunner) => {
      const affected = async (text: string, params: unknown[]): Promise<number> => ((await queryRunner.query(text, params, true)) as { affected?: number }).affected ?? 0;
      if ((await affected(sql.take, take)) === 1 || (await affected(sql.insert, insert)) === 1) return true;
      // MySQL counts an UPDATE that changes nothing (the holder renewing to the same time) as 0 rows.
      if (ctx.flavor !== 'mysql') return false;
      const [row] = ((await queryRunner.query(sql.read, [name])) as Array<{ owner: string; until: unknown }>) ?? [];
      return row !== undefined && row.owner === lease.owner && Number(row.until) === lease.until;
    }),
  );
}

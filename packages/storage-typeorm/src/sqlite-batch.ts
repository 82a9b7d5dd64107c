/**
 * SQLite: a batch round on the better-sqlite3 connection itself, with prepared statements cached
 * per connection. Statements cost no round trip there, so each row is one cached statement; the
 * whole round runs synchronously inside the caller's `BEGIN IMMEDIATE` transaction (one fsync).
 * A constraint failure of one statement rolls back only that statement in SQLite, so a taken id or
 * key fails only its own create.
 *
 * Failures of these statements reject as TypeORM's own queries on the connection do: a
 * `QueryFailedError` with the statement, its parameters and the driver's error (`driverError`,
 * its `code` copied). Not better-sqlite3's `SqliteError` itself: the native addon is loaded once
 * per process and binds the error class of whichever copy of better-sqlite3 loaded it first, so
 * where modules are loaded more than once (a Jest worker runs each test file in its own realm) its
 * errors are objects of another realm, neither `instanceof Error` here nor errors to Jest.
 */
import { BusinessKeyTakenError, isTerminal, type InstanceRecord, type InstanceState } from '@workflow-mastery/core';
import { QueryFailedError } from 'typeorm';
import type { BatchRound, RoundOutcome } from './batch-round.js';
import { isUniqueViolation } from './db-errors.js';
import type { StorageContext } from './storage-context.js';
import { taskRows, timerRows, workRows } from './work-rows.js';

/** The part of a better-sqlite3 statement used here. */
export interface SqliteStatement {
  run(...params: unknown[]): { changes: number };
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
}

/** The part of a better-sqlite3 Database used here. */
export interface SqliteDatabase {
  prepare(sql: string): SqliteStatement;
}

const caches = new WeakMap<SqliteDatabase, Map<string, SqliteStatement>>();

/** The error a failed statement rejects with (see the top of this file). */
function queryFailed(sql: string, params: unknown[], error: unknown): QueryFailedError {
  if (error instanceof QueryFailedError) return error;
  const driverError = typeof error === 'object' && error !== null ? (error as Error) : new Error(String(error));
  return new QueryFailedError(sql, params, driverError);
}

/** `statement`, its failures turned into {@link queryFailed} errors. */
function guarded(sql: string, statement: SqliteStatement): SqliteStatement {
  return {
    run(...params) {
      try {
        return statement.run(...params);
      } catch (error) {
        throw queryFailed(sql, params, error);
      }
    },
    get(...params) {
      try {
        return statement.get(...params);
      } catch (error) {
        throw queryFailed(sql, params, error);
      }
    },
    all(...params) {
      try {
        return statement.all(...params);
      } catch (error) {
        throw queryFailed(sql, params, error);
      }
    },
  };
}

/**
 * `sql` prepared once per connection.
 * @throws QueryFailedError when it cannot be prepared or (from the statement) fails to run.
 */
export function prepared(db: SqliteDatabase, sql: string): SqliteStatement {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  let statement = cache.get(sql);
  if (!statement) {
    try {
      statement = guarded(sql, db.prepare(sql));
    } catch (error) {
      throw queryFailed(sql, [], error);
    }
    cache.set(sql, statement);
  }
  return statement;
}

/** The SQL of one storage's tables. */
interface SqliteStatements {
  swap: string;
  insertInstance: string;
  insertKey: string;
  deleteInstance: string;
  insertEvent: string;
  workKeys: string;
  deleteWork: string;
  putWork: string;
  timerKeys: string;
  deleteTimer: string;
  putTimer: string;
  taskKeys: string;
  deleteTask: string;
  putTask: string;
  claimKey: string;
  keyHolder: string;
  takeKey: string;
  deleteKey: string;
  deleteAttributes: string;
  insertAttribute: string;
}

const sqlByPrefix = new Map<string, SqliteStatements>();

function sqlOf(ctx: StorageContext): SqliteStatements {
  const n = ctx.names;
  let sql = sqlByPrefix.get(n.prefix);
  if (sql) return sql;
  sql = {
    swap:
      `UPDATE "${n.instances}" SET definition_name = ?, definition_version = ?, state = ?, version = ?, seq = ?, updated_at = ?, completed_at = ?, record = ?, ` +
      'business_key = ?, purge_after = ? WHERE id = ? AND version = ? AND seq = ?',
    insertInstance:
      `INSERT INTO "${n.instances}" (id, definition_name, definition_version, state, version, seq, created_at, updated_at, completed_at, idempotency_key, record, ` +
      'business_key, purge_after) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
    insertKey: `INSERT INTO "${n.idempotencyKeys}" (idempotency_key, instance_id, created_at) VALUES (?, ?, ?)`,
    deleteInstance: `DELETE FROM "${n.instances}" WHERE id = ?`,
    insertEvent: `INSERT INTO "${n.events}" (instance_id, seq, type, at, step_id, attempt, data) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    workKeys: `SELECT kind, step_id AS stepId FROM "${n.work}" WHERE instance_id = ?`,
    deleteWork: `DELETE FROM "${n.work}" WHERE instance_id = ? AND kind = ? AND step_id = ?`,
    putWork:
      `INSERT INTO "${n.work}" AS x (instance_id, kind, step_id, attempt, lease_owner, lease_until) VALUES (?, ?, ?, ?, ?, ?) ` +
      'ON CONFLICT (instance_id, kind, step_id) DO UPDATE SET attempt = excluded.attempt, lease_owner = excluded.lease_owner, lease_until = excluded.lease_until ' +
      'WHERE x.attempt IS NOT excluded.attempt',
    timerKeys: `SELECT timer_id AS timerId FROM "${n.timers}" WHERE instance_id = ?`,
    deleteTimer: `DELETE FROM "${n.timers}" WHERE instance_id = ? AND timer_id = ?`,
    putTimer:
      `INSERT INTO "${n.timers}" AS x (instance_id, timer_id, kind, fire_at, step_id, claimable, lease_owner, lease_until) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ` +
      'ON CONFLICT (instance_id, timer_id) DO UPDATE SET kind = excluded.kind, fire_at = excluded.fire_at, step_id = excluded.step_id, ' +
      'claimable = excluded.claimable, lease_owner = excluded.lease_owner, lease_until = excluded.lease_until ' +
      'WHERE x.kind IS NOT excluded.kind OR x.fire_at IS NOT excluded.fire_at OR x.step_id IS NOT excluded.step_id OR x.claimable IS NOT excluded.claimable',
    taskKeys: `SELECT id FROM "${n.tasks}" WHERE instance_id = ?`,
    deleteTask: `DELETE FROM "${n.tasks}" WHERE id = ?`,
    putTask:
      `INSERT INTO "${n.tasks}" AS x (id, instance_id, step_id, assigned_to, state, due_at) VALUES (?, ?, ?, ?, ?, ?) ` +
      'ON CONFLICT (id) DO UPDATE SET instance_id = excluded.instance_id, step_id = excluded.step_id, assigned_to = excluded.assigned_to, ' +
      'state = excluded.state, due_at = excluded.due_at ' +
      'WHERE x.instance_id IS NOT excluded.instance_id OR x.step_id IS NOT excluded.step_id OR x.assigned_to IS NOT excluded.assigned_to ' +
      'OR x.state IS NOT excluded.state OR x.due_at IS NOT excluded.due_at',
    claimKey: `INSERT INTO "${n.businessKeys}" (definition_name, business_key, instance_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
    keyHolder:
      `SELECT b.instance_id AS holder, i.state AS state FROM "${n.businessKeys}" b LEFT JOIN "${n.instances}" i ON i.id = b.instance_id ` +
      'WHERE b.definition_name = ? AND b.business_key = ?',
    takeKey: `UPDATE "${n.businessKeys}" SET instance_id = ? WHERE definition_name = ? AND business_key = ?`,
    deleteKey: `DELETE FROM "${n.idempotencyKeys}" WHERE idempotency_key = ?`,
    deleteAttributes: `DELETE FROM "${n.attributes}" WHERE instance_id = ?`,
    insertAttribute: `INSERT INTO "${n.attributes}" (instance_id, name, value) VALUES (?, ?, ?)`,
  };
  sqlByPrefix.set(n.prefix, sql);
  return sql;
}

/**
 * Claims the unique business key of `record` (if it asks for one) in the single writer's
 * transaction: inserted, or taken over when its holder is finished or gone.
 * @returns the unfinished holder's id when the key is taken.
 */
function claimBusinessKey(db: SqliteDatabase, sql: SqliteStatements, record: InstanceRecord): string | undefined {
  if (!record.uniqueBusinessKey || record.businessKey === undefined) return undefined;
  const key = [record.definitionName, record.businessKey];
  if (prepared(db, sql.claimKey).run(...key, record.id).changes === 1) return undefined;
  const row = prepared(db, sql.keyHolder).get(...key) as { holder: string; state: string | null } | undefined;
  if (row && row.holder !== record.id && row.state !== null && !isTerminal(row.state as InstanceState)) return row.holder;
  prepared(db, sql.takeKey).run(record.id, ...key);
  return undefined;
}

/**
 * Writes `round` inside the caller's transaction on `db`; the writes that did not land changed
 * nothing. Throws on any other database error (the caller rolls the transaction back).
 */
export function sqliteWriteRound(ctx: StorageContext, db: SqliteDatabase, round: BatchRound): RoundOutcome {
  const sql = sqlOf(ctx);
  const outcome: RoundOutcome = { created: new Set(), committed: new Set(), refused: new Map() };
  const landed: Array<{ record: BatchRound['commits'][number]['prepared']['record']; lease: { owner: string; until: number } | undefined; isNew: boolean; events: BatchRound['commits'][number]['prepared']['events'] }> = [];
  const swap = prepared(db, sql.swap);
  for (const { index, commit, prepared: p } of round.commits) {
    const r = p.record;
    const { changes } = swap.run(
      r.definitionName, r.definitionVersion, r.state, r.version, r.seq, r.updatedAt, r.completedAt ?? null, p.json, r.businessKey ?? null, r.purgeAfter ?? null,
      r.id, commit.expectedVersion, p.fromSeq,
    );
    if (changes !== 1) continue;
    if (p.writeAttributes) {
      prepared(db, sql.deleteAttributes).run(r.id);
      for (const [name, value] of p.attributes) prepared(db, sql.insertAttribute).run(r.id, name, value);
    }
    outcome.committed.add(index);
    landed.push({ record: r, lease: commit.lease, isNew: false, events: p.events });
  }
  const insertInstance = prepared(db, sql.insertInstance);
  for (const { index, prepared: p, idempotencyKey, lease } of round.creates) {
    const r = p.record;
    const { changes } = insertInstance.run(
      r.id, r.definitionName, r.definitionVersion, r.state, r.version, r.seq, r.createdAt, r.updatedAt, r.completedAt ?? null, idempotencyKey ?? null, p.json,
      r.businessKey ?? null, r.purgeAfter ?? null,
    );
    if (changes !== 1) continue;
    if (idempotencyKey !== undefined) {
      try {
        prepared(db, sql.insertKey).run(idempotencyKey, r.id, r.createdAt);
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        // The key is taken in the keys table only: this create did not happen.
        prepared(db, sql.deleteInstance).run(r.id);
        continue;
      }
    }
    const holder = claimBusinessKey(db, sql, r);
    if (holder !== undefined) {
      // Taken by an unfinished instance: this create did not happen.
      prepared(db, sql.deleteInstance).run(r.id);
      if (idempotencyKey !== undefined) prepared(db, sql.deleteKey).run(idempotencyKey);
      outcome.refused.set(index, new BusinessKeyTakenError(r.definitionName, r.businessKey!, holder));
      continue;
    }
    for (const [name, value] of p.attributes) prepared(db, sql.insertAttribute).run(r.id, name, value);
    outcome.created.add(index);
    landed.push({ record: r, lease, isNew: true, events: p.events });
  }
  const insertEvent = prepared(db, sql.insertEvent);
  for (const item of landed) {
    for (const e of item.events) insertEvent.run(e.instanceId, e.seq, e.type, e.at, e.stepId, e.attempt, e.data);
  }
  for (const { record, lease, isNew } of landed) {
    const id = record.id;
    const owner = lease?.owner ?? null;
    const until = lease?.until ?? null;
    const work = workRows(record);
    const timers = timerRows(record);
    const tasks = taskRows(record);
    if (!isNew) {
      const wanted = new Set(work.map((w) => `${w.kind}\u0000${w.stepId}`));
      for (const row of prepared(db, sql.workKeys).all(id) as Array<{ kind: string; stepId: string }>) {
        if (!wanted.has(`${row.kind}\u0000${row.stepId}`)) prepared(db, sql.deleteWork).run(id, row.kind, row.stepId);
      }
      const wantedTimers = new Set(timers.map((t) => t.timerId));
      for (const row of prepared(db, sql.timerKeys).all(id) as Array<{ timerId: string }>) {
        if (!wantedTimers.has(row.timerId)) prepared(db, sql.deleteTimer).run(id, row.timerId);
      }
      const wantedTasks = new Set(tasks.map((t) => t.id));
      for (const row of prepared(db, sql.taskKeys).all(id) as Array<{ id: string }>) {
        if (!wantedTasks.has(row.id)) prepared(db, sql.deleteTask).run(row.id);
      }
    }
    for (const w of work) prepared(db, sql.putWork).run(id, w.kind, w.stepId, w.attempt, owner, until);
    for (const t of timers) prepared(db, sql.putTimer).run(id, t.timerId, t.kind, t.fireAt, t.stepId, t.claimable, owner, until);
    for (const k of tasks) prepared(db, sql.putTask).run(k.id, id, k.stepId, k.assignedTo, k.state, k.dueAt);
  }
  return outcome;
}

/**
 * PostgreSQL: a whole batch round in ONE statement (data-modifying CTEs), so one round trip and one
 * implicit transaction (one fsync) for any number of instances. The statement text depends only on
 * the table prefix and the round's shape: it is prepared once per connection (a named statement of
 * node-postgres) and only the parameters change.
 *
 * - commits: one `UPDATE ... FROM` the new rows, guarded by `version` and `seq`; `RETURNING` tells
 *   which swapped (the others changed nothing of theirs);
 * - creates: `INSERT ... ON CONFLICT DO NOTHING` into instances (its primary key and its unique
 *   idempotency-key index refuse a taken id or key; a concurrent create with the same key waits
 *   for the other transaction); the idempotency keys of the stored ones follow;
 * - events, work, timers and tasks are written only for the instances that landed: new or changed
 *   derived rows are upserted (taking the write's lease), rows no longer implied are deleted, and
 *   unchanged rows are left alone (they keep their lease);
 * - `business_key` and `purge_after` go with the instance row; the search attribute rows of a
 *   commit are rewritten only when its attributes may have changed (`writeAttributes`).
 *
 * Shapes: a round of several writes passes every column as an array (`unnest`); a round of one
 * commit or one create, the common case when the engine is not saturated, passes the instance row
 * as scalars and leaves out the half it does not need. Measured on PostgreSQL 15, an `UPDATE ...
 * FROM unnest(...)` of one row costs about 0.18 ms more than the same update from scalars.
 * Creates with a unique business key do not come here (see `batch-writer.ts`).
 *
 * Re-planned as the tables grow: PostgreSQL plans a prepared statement once per connection and keeps
 * the plan until the tables' statistics change (autovacuum's ANALYZE, about a minute after a burst
 * of writes). A plan made while the instances table held a few dozen rows joins it by a sequential
 * scan; kept while the table grows to thousands, that cost about a third of the throughput on fresh
 * tables. So the statement's name carries a generation that moves on after 512, 4,096, 32,768 and
 * 262,144 rows written by this storage: the next round prepares it anew, on the table as it is.
 */
import type { BatchRound, RoundOutcome } from './batch-round.js';
import { appendRow, derivedColumns, type DerivedSource } from './batch-round.js';
import type { StorageContext } from './storage-context.js';

/** The part of node-postgres' Pool used here. */
export interface PgPool {
  query(config: { name?: string; text: string; values?: unknown[] }): Promise<{ rows: Array<Record<string, unknown>> }>;
}

/** `many`: arrays for everything; `commit` / `create`: one instance row, as scalars. */
export type RoundShape = 'many' | 'commit' | 'create';

type Columns = ReadonlyArray<readonly [name: string, type: string]>;

const COMMIT_COLUMNS: Columns = [
  ['id', 'varchar'], ['expected', 'int'], ['from_seq', 'int'], ['definition_name', 'varchar'], ['definition_version', 'varchar'], ['state', 'varchar'],
  ['version', 'int'], ['seq', 'int'], ['updated_at', 'bigint'], ['completed_at', 'bigint'], ['record', 'text'], ['business_key', 'varchar'], ['purge_after', 'bigint'],
];
const CREATE_COLUMNS: Columns = [
  ['id', 'varchar'], ['definition_name', 'varchar'], ['definition_version', 'varchar'], ['state', 'varchar'], ['version', 'int'], ['seq', 'int'],
  ['created_at', 'bigint'], ['updated_at', 'bigint'], ['completed_at', 'bigint'], ['idempotency_key', 'varchar'], ['record', 'text'], ['business_key', 'varchar'], ['purge_after', 'bigint'],
];
const EVENT_COLUMNS: Columns = [['instance_id', 'varchar'], ['seq', 'int'], ['type', 'varchar'], ['at', 'bigint'], ['step_id', 'varchar'], ['attempt', 'int'], ['data', 'text']];
const WORK_COLUMNS: Columns = [['instance_id', 'varchar'], ['kind', 'varchar'], ['step_id', 'varchar'], ['attempt', 'int'], ['lease_owner', 'varchar'], ['lease_until', 'bigint']];
const TIMER_COLUMNS: Columns = [
  ['instance_id', 'varchar'], ['timer_id', 'varchar'], ['kind', 'varchar'], ['fire_at', 'bigint'], ['step_id', 'varchar'], ['claimable', 'smallint'], ['lease_owner', 'varchar'], ['lease_until', 'bigint'],
];
const TASK_COLUMNS: Columns = [['id', 'varchar'], ['instance_id', 'varchar'], ['step_id', 'varchar'], ['assigned_to', 'varchar'], ['state', 'varchar'], ['due_at', 'bigint']];
const ATTRIBUTE_COLUMNS: Columns = [['instance_id', 'varchar'], ['name', 'varchar'], ['value', 'varchar']];

/** Numbers the parameters of one statement text in order. */
class Numbering {
  private next = 1;
  /** `SELECT * FROM unnest($a::t[], ...) AS alias(col, ...)`: one row per array element. */
  arrays(alias: string, columns: Columns): string {
    const args = columns.map(([, type]) => `$${this.next++}::${type}[]`).join(', ');
    return `SELECT * FROM unnest(${args}) AS ${alias}(${columns.map(([name]) => name).join(', ')})`;
  }
  /** `SELECT $a::t AS col, ...`: one row. */
  scalars(columns: Columns): string {
    return `SELECT ${columns.map(([name, type]) => `$${this.next++}::${type} AS ${name}`).join(', ')}`;
  }
  one(type: string): string {
    return `$${this.next++}::${type}`;
  }
}

const statements = new Map<string, string>();

/** The round statement for the tables of `ctx` and `shape` (cached by prefix and shape). */
export function roundStatement(ctx: StorageContext, shape: RoundShape): string {
  const n = ctx.names;
  const key = `${n.prefix}\u0000${shape}`;
  const cached = statements.get(key);
  if (cached) return cached;
  const p = new Numbering();
  const commits = shape !== 'create';
  const creates = shape !== 'commit';
  const parts: string[] = [];
  if (commits) {
    const source = shape === 'commit' ? p.scalars(COMMIT_COLUMNS) : p.arrays('c', COMMIT_COLUMNS);
    parts.push(`c AS (${source})`);
    parts.push(`upd AS (UPDATE "${n.instances}" i SET definition_name = c.definition_name, definition_version = c.definition_version, state = c.state,
    version = c.version, seq = c.seq, updated_at = c.updated_at, completed_at = c.completed_at, record = c.record,
    business_key = c.business_key, purge_after = c.purge_after
  FROM c WHERE i.id = c.id AND i.version = c.expected AND i.seq = c.from_seq RETURNING i.id)`);
  }
  if (creates) {
    const source = shape === 'create' ? p.scalars(CREATE_COLUMNS) : p.arrays('n', CREATE_COLUMNS);
    parts.push(`ins AS (INSERT INTO "${n.instances}" (${CREATE_COLUMNS.map(([name]) => name).join(', ')})
  ${source}
  ON CONFLICT DO NOTHING RETURNING id, idempotency_key, created_at)`);
    parts.push(`ik AS (INSERT INTO "${n.idempotencyKeys}" (idempotency_key, instance_id, created_at)
  SELECT idempotency_key, id, created_at FROM ins WHERE idempotency_key IS NOT NULL)`);
  }
  parts.push(`done AS (${[commits ? 'SELECT id FROM upd' : '', creates ? 'SELECT id FROM ins' : ''].filter(Boolean).join(' UNION ALL ')})`);
  const landed = (alias: string, columns: Columns): string => `${alias} AS (${p.arrays(alias, columns)}
  WHERE ${alias}.instance_id IN (SELECT id FROM done))`;
  parts.push(`ev AS (INSERT INTO "${n.events}" (${EVENT_COLUMNS.map(([name]) => name).join(', ')})
  ${p.arrays('e', EVENT_COLUMNS)} WHERE e.instance_id IN (SELECT id FROM done))`);
  // A new instance has no derived rows to delete: the deletes are for the commits only.
  parts.push(landed('w', WORK_COLUMNS));
  if (commits) {
    parts.push(`w_del AS (DELETE FROM "${n.work}" x USING upd WHERE x.instance_id = upd.id
  AND NOT EXISTS (SELECT 1 FROM w WHERE w.instance_id = x.instance_id AND w.kind = x.kind AND w.step_id = x.step_id))`);
  }
  parts.push(`w_put AS (INSERT INTO "${n.work}" AS x (instance_id, kind, step_id, attempt, lease_owner, lease_until) SELECT * FROM w
  ON CONFLICT (instance_id, kind, step_id) DO UPDATE SET attempt = EXCLUDED.attempt, lease_owner = EXCLUDED.lease_owner, lease_until = EXCLUDED.lease_until
  WHERE x.attempt IS DISTINCT FROM EXCLUDED.attempt)`);
  parts.push(landed('t', TIMER_COLUMNS));
  if (commits) {
    parts.push(`t_del AS (DELETE FROM "${n.timers}" x USING upd WHERE x.instance_id = upd.id
  AND NOT EXISTS (SELECT 1 FROM t WHERE t.instance_id = x.instance_id AND t.timer_id = x.timer_id))`);
  }
  parts.push(`t_put AS (INSERT INTO "${n.timers}" AS x (instance_id, timer_id, kind, fire_at, step_id, claimable, lease_owner, lease_until) SELECT * FROM t
  ON CONFLICT (instance_id, timer_id) DO UPDATE SET kind = EXCLUDED.kind, fire_at = EXCLUDED.fire_at, step_id = EXCLUDED.step_id,
    claimable = EXCLUDED.claimable, lease_owner = EXCLUDED.lease_owner, lease_until = EXCLUDED.lease_until
  WHERE (x.kind, x.fire_at, x.step_id, x.claimable) IS DISTINCT FROM (EXCLUDED.kind, EXCLUDED.fire_at, EXCLUDED.step_id, EXCLUDED.claimable))`);
  parts.push(landed('k', TASK_COLUMNS));
  if (commits) {
    parts.push(`k_del AS (DELETE FROM "${n.tasks}" x USING upd WHERE x.instance_id = upd.id
  AND NOT EXISTS (SELECT 1 FROM k WHERE k.id = x.id))`);
  }
  parts.push(`k_put AS (INSERT INTO "${n.tasks}" AS x (id, instance_id, step_id, assigned_to, state, due_at) SELECT * FROM k
  ON CONFLICT (id) DO UPDATE SET instance_id = EXCLUDED.instance_id, step_id = EXCLUDED.step_id, assigned_to = EXCLUDED.assigned_to,
    state = EXCLUDED.state, due_at = EXCLUDED.due_at
  WHERE (x.instance_id, x.step_id, x.assigned_to, x.state, x.due_at) IS DISTINCT FROM (EXCLUDED.instance_id, EXCLUDED.step_id, EXCLUDED.assigned_to, EXCLUDED.state, EXCLUDED.due_at))`);
  parts.push(landed('a', ATTRIBUTE_COLUMNS));
  if (commits) {
    // The commits whose attribute rows are replaced (their attributes may have changed).
    parts.push(`a_del AS (DELETE FROM "${n.attributes}" x USING upd WHERE x.instance_id = upd.id AND upd.id = ANY(${p.one('varchar[]')})
  AND NOT EXISTS (SELECT 1 FROM a WHERE a.instance_id = x.instance_id AND a.name = x.name))`);
  }
  parts.push(`a_put AS (INSERT INTO "${n.attributes}" AS x (instance_id, name, value) SELECT * FROM a
  ON CONFLICT (instance_id, name) DO UPDATE SET value = EXCLUDED.value WHERE x.value IS DISTINCT FROM EXCLUDED.value)`);
  const results = [commits ? 'SELECT 0 AS created, id FROM upd' : '', creates ? 'SELECT 1 AS created, id FROM ins' : ''].filter(Boolean).join(' UNION ALL ');
  const text = `WITH\n${parts.join(',\n')}\n${results}`;
  statements.set(key, text);
  return text;
}

/** The shape of `round`: one commit or one create pass their instance row as scalars. */
export function shapeOf(round: BatchRound): RoundShape {
  if (round.commits.length === 1 && round.creates.length === 0) return 'commit';
  if (round.creates.length === 1 && round.commits.length === 0) return 'create';
  return 'many';
}

/** The parameters of {@link roundStatement} for `round` of `shape`, in the statement's order. */
export function roundParameters(round: BatchRound, shape: RoundShape): unknown[] {
  const values: unknown[] = [];
  const add = (columns: unknown[][], scalar: boolean): void => {
    for (const column of columns) values.push(scalar ? column[0] : column);
  };
  if (shape !== 'create') {
    const c: unknown[][] = COMMIT_COLUMNS.map(() => []);
    for (const { commit, prepared } of round.commits) {
      const r = prepared.record;
      appendRow(c, [r.id, commit.expectedVersion, prepared.fromSeq, r.definitionName, r.definitionVersion, r.state, r.version, r.seq, r.updatedAt, r.completedAt ?? null, prepared.json,
        r.businessKey ?? null, r.purgeAfter ?? null]);
    }
    add(c, shape === 'commit');
  }
  if (shape !== 'commit') {
    const n: unknown[][] = CREATE_COLUMNS.map(() => []);
    for (const { prepared, idempotencyKey } of round.creates) {
      const r = prepared.record;
      appendRow(n, [r.id, r.definitionName, r.definitionVersion, r.state, r.version, r.seq, r.createdAt, r.updatedAt, r.completedAt ?? null, idempotencyKey ?? null, prepared.json,
        r.businessKey ?? null, r.purgeAfter ?? null]);
    }
    add(n, shape === 'create');
  }
  const written = [...round.commits, ...round.creates];
  const e: unknown[][] = EVENT_COLUMNS.map(() => []);
  for (const item of written) for (const ev of item.prepared.events) appendRow(e, [ev.instanceId, ev.seq, ev.type, ev.at, ev.stepId, ev.attempt, ev.data]);
  add(e, false);
  const sources: DerivedSource[] = [
    ...round.commits.map((item) => ({ id: item.prepared.record.id, record: item.prepared.record, lease: item.commit.lease })),
    ...round.creates.map((item) => ({ id: item.prepared.record.id, record: item.prepared.record, lease: item.lease })),
  ];
  const derived = derivedColumns(sources);
  add(derived.work, false);
  add(derived.timers, false);
  add(derived.tasks, false);
  // Attribute rows of the creates, and of the commits whose attributes may have changed (replaced).
  const a: unknown[][] = ATTRIBUTE_COLUMNS.map(() => []);
  for (const { prepared } of written) {
    if (!prepared.writeAttributes) continue;
    for (const [name, value] of prepared.attributes) appendRow(a, [prepared.record.id, name, value]);
  }
  add(a, false);
  if (shape !== 'create') values.push(round.commits.filter(({ prepared }) => prepared.writeAttributes).map(({ prepared }) => prepared.record.id));
  return values;
}

/** Rows written by this storage after which its statements are prepared anew (see above). */
const REPLAN_AFTER = [512, 4_096, 32_768, 262_144];
const written = new WeakMap<StorageContext, number>();

/** The generation of the statements of `ctx`, after counting `rows` more rows written. */
export function statementGeneration(ctx: StorageContext, rows: number): number {
  const total = (written.get(ctx) ?? 0) + rows;
  written.set(ctx, total);
  let generation = 0;
  while (generation < REPLAN_AFTER.length && total >= REPLAN_AFTER[generation]!) generation++;
  return generation;
}

/** Writes `round` in one statement; the writes that did not land changed nothing. */
export async function pgWriteRound(ctx: StorageContext, pool: PgPool, round: BatchRound): Promise<RoundOutcome> {
  const shape = shapeOf(round);
  const generation = statementGeneration(ctx, round.commits.length + round.creates.length);
  const name = `wm_round_${shape}_${generation}_${ctx.names.prefix}`;
  const result = await pool.query({ name, text: roundStatement(ctx, shape), values: roundParameters(round, shape) });
  const swapped = new Set<string>();
  const inserted = new Set<string>();
  for (const row of result.rows) (Number(row.created) === 1 ? inserted : swapped).add(String(row.id));
  const outcome: RoundOutcome = { created: new Set(), committed: new Set(), refused: new Map() };
  for (const item of round.commits) if (swapped.has(item.prepared.record.id)) outcome.committed.add(item.index);
  for (const item of round.creates) if (inserted.has(item.prepared.record.id)) outcome.created.add(item.index);
  return outcome;
}

/**
 * PostgreSQL: a whole batch round in ONE statement (data-modifying CTEs over `unnest` of array
 * parameters), so one round trip and one implicit transaction (one fsync) for any number of
 * instances. The statement text depends only on the table prefix: it is prepared once per
 * connection (a named statement of node-postgres) and only the arrays change.
 *
 * - commits: one `UPDATE ... FROM unnest(...)` guarded by `version` and `seq`; `RETURNING` tells
 *   which swapped (the others changed nothing of theirs);
 * - creates: `INSERT ... ON CONFLICT DO NOTHING` into instances (its primary key and its unique
 *   idempotency-key index refuse a taken id or key; a concurrent create with the same key waits
 *   for the other transaction); the idempotency keys of the stored ones follow;
 * - events, work, timers and tasks are written only for the instances that landed: new or changed
 *   derived rows are upserted (taking the write's lease), rows no longer implied are deleted, and
 *   unchanged rows are left alone (they keep their lease);
 * - `business_key` and `purge_after` go with the instance row; the search attribute rows of a
 *   commit are rewritten only when its attributes may have changed (`writeAttributes`).
 * Creates with a unique business key do not come here (see `batch-writer.ts`).
 */
import type { BatchRound, RoundOutcome } from './batch-round.js';
import { appendRow, derivedColumns, type DerivedSource } from './batch-round.js';
import type { StorageContext } from './storage-context.js';

/** The part of node-postgres' Pool used here. */
export interface PgPool {
  query(config: { name?: string; text: string; values?: unknown[] }): Promise<{ rows: Array<Record<string, unknown>> }>;
}

const statements = new Map<string, string>();

/** The batch statement for the tables of `ctx` (cached by prefix). */
export function batchStatement(ctx: StorageContext): string {
  const n = ctx.names;
  const cached = statements.get(n.prefix);
  if (cached) return cached;
  const text = `WITH
c AS (SELECT * FROM unnest($1::varchar[], $2::int[], $3::int[], $4::varchar[], $5::varchar[], $6::varchar[], $7::int[], $8::int[], $9::bigint[], $10::bigint[], $11::text[],
    $50::varchar[], $51::bigint[])
  AS c(id, expected, from_seq, definition_name, definition_version, state, version, seq, updated_at, completed_at, record, business_key, purge_after)),
upd AS (UPDATE "${n.instances}" i SET definition_name = c.definition_name, definition_version = c.definition_version, state = c.state,
    version = c.version, seq = c.seq, updated_at = c.updated_at, completed_at = c.completed_at, record = c.record,
    business_key = c.business_key, purge_after = c.purge_after
  FROM c WHERE i.id = c.id AND i.version = c.expected AND i.seq = c.from_seq RETURNING i.id),
ins AS (INSERT INTO "${n.instances}" (id, definition_name, definition_version, state, version, seq, created_at, updated_at, completed_at, idempotency_key, record,
    business_key, purge_after)
  SELECT * FROM unnest($12::varchar[], $13::varchar[], $14::varchar[], $15::varchar[], $16::int[], $17::int[], $18::bigint[], $19::bigint[], $20::bigint[], $21::varchar[], $22::text[],
    $52::varchar[], $53::bigint[])
  ON CONFLICT DO NOTHING RETURNING id, idempotency_key, created_at),
ik AS (INSERT INTO "${n.idempotencyKeys}" (idempotency_key, instance_id, created_at)
  SELECT idempotency_key, id, created_at FROM ins WHERE idempotency_key IS NOT NULL),
done AS (SELECT id FROM upd UNION ALL SELECT id FROM ins),
ev AS (INSERT INTO "${n.events}" (instance_id, seq, type, at, step_id, attempt, data)
  SELECT e.* FROM unnest($23::varchar[], $24::int[], $25::varchar[], $26::bigint[], $27::varchar[], $28::int[], $29::text[])
    AS e(instance_id, seq, type, at, step_id, attempt, data)
  WHERE e.instance_id IN (SELECT id FROM done)),
w AS (SELECT * FROM unnest($30::varchar[], $31::varchar[], $32::varchar[], $33::int[], $34::varchar[], $35::bigint[])
    AS w(instance_id, kind, step_id, attempt, lease_owner, lease_until)
  WHERE w.instance_id IN (SELECT id FROM done)),
w_del AS (DELETE FROM "${n.work}" x USING upd WHERE x.instance_id = upd.id
  AND NOT EXISTS (SELECT 1 FROM w WHERE w.instance_id = x.instance_id AND w.kind = x.kind AND w.step_id = x.step_id)),
w_put AS (INSERT INTO "${n.work}" AS x (instance_id, kind, step_id, attempt, lease_owner, lease_until) SELECT * FROM w
  ON CONFLICT (instance_id, kind, step_id) DO UPDATE SET attempt = EXCLUDED.attempt, lease_owner = EXCLUDED.lease_owner, lease_until = EXCLUDED.lease_until
  WHERE x.attempt IS DISTINCT FROM EXCLUDED.attempt),
t AS (SELECT * FROM unnest($36::varchar[], $37::varchar[], $38::varchar[], $39::bigint[], $40::varchar[], $41::smallint[], $42::varchar[], $43::bigint[])
    AS t(instance_id, timer_id, kind, fire_at, step_id, claimable, lease_owner, lease_until)
  WHERE t.instance_id IN (SELECT id FROM done)),
t_del AS (DELETE FROM "${n.timers}" x USING upd WHERE x.instance_id = upd.id
  AND NOT EXISTS (SELECT 1 FROM t WHERE t.instance_id = x.instance_id AND t.timer_id = x.timer_id)),
t_put AS (INSERT INTO "${n.timers}" AS x (instance_id, timer_id, kind, fire_at, step_id, claimable, lease_owner, lease_until) SELECT * FROM t
  ON CONFLICT (instance_id, timer_id) DO UPDATE SET kind = EXCLUDED.kind, fire_at = EXCLUDED.fire_at, step_id = EXCLUDED.step_id,
    claimable = EXCLUDED.claimable, lease_owner = EXCLUDED.lease_owner, lease_until = EXCLUDED.lease_until
  WHERE (x.kind, x.fire_at, x.step_id, x.claimable) IS DISTINCT FROM (EXCLUDED.kind, EXCLUDED.fire_at, EXCLUDED.step_id, EXCLUDED.claimable)),
k AS (SELECT * FROM unnest($44::varchar[], $45::varchar[], $46::varchar[], $47::varchar[], $48::varchar[], $49::bigint[])
    AS k(id, instance_id, step_id, assigned_to, state, due_at)
  WHERE k.instance_id IN (SELECT id FROM done)),
k_del AS (DELETE FROM "${n.tasks}" x USING upd WHERE x.instance_id = upd.id
  AND NOT EXISTS (SELECT 1 FROM k WHERE k.id = x.id)),
k_put AS (INSERT INTO "${n.tasks}" AS x (id, instance_id, step_id, assigned_to, state, due_at) SELECT * FROM k
  ON CONFLICT (id) DO UPDATE SET instance_id = EXCLUDED.instance_id, step_id = EXCLUDED.step_id, assigned_to = EXCLUDED.assigned_to,
    state = EXCLUDED.state, due_at = EXCLUDED.due_at
  WHERE (x.instance_id, x.step_id, x.assigned_to, x.state, x.due_at) IS DISTINCT FROM (EXCLUDED.instance_id, EXCLUDED.step_id, EXCLUDED.assigned_to, EXCLUDED.state, EXCLUDED.due_at)),
a AS (SELECT * FROM unnest($54::varchar[], $55::varchar[], $56::varchar[]) AS a(instance_id, name, value)
  WHERE a.instance_id IN (SELECT id FROM done)),
a_del AS (DELETE FROM "${n.attributes}" x USING upd WHERE x.instance_id = upd.id AND upd.id = ANY($57::varchar[])
  AND NOT EXISTS (SELECT 1 FROM a WHERE a.instance_id = x.instance_id AND a.name = x.name)),
a_put AS (INSERT INTO "${n.attributes}" AS x (instance_id, name, value) SELECT * FROM a
  ON CONFLICT (instance_id, name) DO UPDATE SET value = EXCLUDED.value WHERE x.value IS DISTINCT FROM EXCLUDED.value)
SELECT 0 AS created, id FROM upd UNION ALL SELECT 1 AS created, id FROM ins`;
  statements.set(n.prefix, text);
  return text;
}

/** The 57 array parameters of {@link batchStatement} for `round`. */
export function batchParameters(round: BatchRound): unknown[][] {
  const c: unknown[][] = Array.from({ length: 11 }, () => []);
  for (const { commit, prepared } of round.commits) {
    const r = prepared.record;
    appendRow(c, [r.id, commit.expectedVersion, prepared.fromSeq, r.definitionName, r.definitionVersion, r.state, r.version, r.seq, r.updatedAt, r.completedAt ?? null, prepared.json]);
  }
  const n: unknown[][] = Array.from({ length: 11 }, () => []);
  for (const { prepared, idempotencyKey } of round.creates) {
    const r = prepared.record;
    appendRow(n, [r.id, r.definitionName, r.definitionVersion, r.state, r.version, r.seq, r.createdAt, r.updatedAt, r.completedAt ?? null, idempotencyKey ?? null, prepared.json]);
  }
  const e: unknown[][] = Array.from({ length: 7 }, () => []);
  for (const item of [...round.commits, ...round.creates]) {
    for (const ev of item.prepared.events) appendRow(e, [ev.instanceId, ev.seq, ev.type, ev.at, ev.stepId, ev.attempt, ev.data]);
  }
  const sources: DerivedSource[] = [
    ...round.commits.map((item) => ({ id: item.prepared.record.id, record: item.prepared.record, lease: item.commit.lease })),
    ...round.creates.map((item) => ({ id: item.prepared.record.id, record: item.prepared.record, lease: item.lease })),
  ];
  const derived = derivedColumns(sources);
  const commitRetention: unknown[][] = [[], []];
  for (const { prepared: { record } } of round.commits) appendRow(commitRetention, [record.businessKey ?? null, record.purgeAfter ?? null]);
  const createRetention: unknown[][] = [[], []];
  for (const { prepared: { record } } of round.creates) appendRow(createRetention, [record.businessKey ?? null, record.purgeAfter ?? null]);
  // Attribute rows of the creates, and of the commits whose attributes may have changed (replaced).
  const a: unknown[][] = [[], [], []];
  const replaced: string[] = [];
  for (const { prepared } of round.commits) if (prepared.writeAttributes) replaced.push(prepared.record.id);
  for (const { prepared } of [...round.commits, ...round.creates]) {
    if (!prepared.writeAttributes) continue;
    for (const [name, value] of prepared.attributes) appendRow(a, [prepared.record.id, name, value]);
  }
  return [...c, ...n, ...e, ...derived.work, ...derived.timers, ...derived.tasks, ...commitRetention, ...createRetention, ...a, replaced];
}

/** Writes `round` in one statement; the writes that did not land changed nothing. */
export async function pgWriteRound(ctx: StorageContext, pool: PgPool, round: BatchRound): Promise<RoundOutcome> {
  const result = await pool.query({ name: `wm_batch_${ctx.names.prefix}`, text: batchStatement(ctx), values: batchParameters(round) });
  const swapped = new Set<string>();
  const inserted = new Set<string>();
  for (const row of result.rows) (Number(row.created) === 1 ? inserted : swapped).add(String(row.id));
  const outcome: RoundOutcome = { created: new Set(), committed: new Set(), refused: new Map() };
  for (const item of round.commits) if (swapped.has(item.prepared.record.id)) outcome.committed.add(item.index);
  for (const item of round.creates) if (inserted.has(item.prepared.record.id)) outcome.created.add(item.index);
  return outcome;
}

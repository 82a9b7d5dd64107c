/**
 * Claiming and renewing leases on work and timer rows. On PostgreSQL and MySQL/MariaDB the
 * candidates are selected `FOR UPDATE SKIP LOCKED`, so concurrent claimers (any process) each get
 * different rows without waiting for each other. SQLite has no row locks: the claim runs in a
 * `BEGIN IMMEDIATE` transaction (one writer at a time across processes) and the UPDATE repeats the
 * "not leased" condition.
 */
import type { ClaimedWork, Lease } from '@workflow-mastery/core';
import type { QueryRunner, SelectQueryBuilder } from 'typeorm';
import type { WorkflowTimerEntity } from './entities/timer.entity.js';
import type { WorkflowWorkEntity } from './entities/work.entity.js';
import type { StorageContext } from './storage-context.js';
import { updateByKeys } from './table-ops.js';

function lockFree<T extends { leaseUntil: number | null }>(ctx: StorageContext, qb: SelectQueryBuilder<T>): SelectQueryBuilder<T> {
  return ctx.flavor === 'sqlite' ? qb : qb.setLock('pessimistic_write').setOnLocked('skip_locked');
}

/** Takes from `a` and `b` in turn: neither kind of work starves the other. */
function interleave<A, B>(a: readonly A[], b: readonly B[], limit: number): { a: A[]; b: B[] } {
  const out = { a: [] as A[], b: [] as B[] };
  let i = 0;
  let j = 0;
  while (out.a.length + out.b.length < limit && (i < a.length || j < b.length)) {
    if (i < a.length) out.a.push(a[i++]!);
    if (j < b.length && out.a.length + out.b.length < limit) out.b.push(b[j++]!);
  }
  return out;
}

/** Claims up to `limit` runnable attempts and due timers inside `queryRunner`'s transaction. */
export async function claimRows(ctx: StorageContext, queryRunner: QueryRunner, lease: Lease, now: number, limit: number): Promise<ClaimedWork[]> {
  const free = '(r.leaseUntil IS NULL OR r.leaseUntil < :now)';
  const work = await lockFree(ctx, queryRunner.manager.createQueryBuilder(ctx.entities.work, 'r'))
    .where(free, { now })
    .limit(limit)
    .getMany();
  const timers = await lockFree(ctx, queryRunner.manager.createQueryBuilder(ctx.entities.timer, 'r'))
    .where(`r.fireAt <= :now AND r.claimable = 1 AND ${free}`, { now })
    .orderBy('r.fireAt', 'ASC')
    .limit(limit)
    .getMany();
  const picked = interleave<WorkflowWorkEntity, WorkflowTimerEntity>(work, timers, limit);
  const set = { leaseOwner: lease.owner, leaseUntil: lease.until };
  const { col } = ctx;
  const guard = `(${col('lease_until')} IS NULL OR ${col('lease_until')} < :now)`;
  if (picked.a.length > 0) {
    const keys = picked.a.map((r) => [r.instanceId, r.kind, r.stepId]);
    await updateByKeys(ctx, queryRunner, ctx.entities.work, set, ['instance_id', 'kind', 'step_id'], keys, guard, { now });
  }
  if (picked.b.length > 0) {
    const keys = picked.b.map((r) => [r.instanceId, r.timerId]);
    await updateByKeys(ctx, queryRunner, ctx.entities.timer, set, ['instance_id', 'timer_id'], keys, guard, { now });
  }
  return [
    ...picked.a.map((r): ClaimedWork => ({ kind: r.kind as 'step' | 'compensation', instanceId: r.instanceId, stepId: r.stepId, attempt: r.attempt })),
    ...picked.b.map((r): ClaimedWork => ({ kind: 'timer', instanceId: r.instanceId, timerId: r.timerId, fireAt: r.fireAt })),
  ];
}

/** Extends to `lease.until` the leases `lease.owner` still holds on `items`. */
export async function renewRows(ctx: StorageContext, queryRunner: QueryRunner, lease: Lease, items: readonly ClaimedWork[]): Promise<void> {
  const guard = `${ctx.col('lease_owner')} = :owner`;
  const set = { leaseUntil: lease.until };
  const work = items.flatMap((i) => (i.kind === 'timer' ? [] : [[i.instanceId, i.kind, i.stepId, i.attempt]]));
  const timers = items.flatMap((i) => (i.kind === 'timer' ? [[i.instanceId, i.timerId]] : []));
  if (work.length > 0) {
    await updateByKeys(ctx, queryRunner, ctx.entities.work, set, ['instance_id', 'kind', 'step_id', 'attempt'], work, guard, { owner: lease.owner });
  }
  if (timers.length > 0) {
    await updateByKeys(ctx, queryRunner, ctx.entities.timer, set, ['instance_id', 'timer_id'], timers, guard, { owner: lease.owner });
  }
}

/**
 * Keeps the work, timers and tasks tables equal to what each committed record implies, inside the
 * commit's transaction. Rows that stay as they were keep their lease; new or changed rows take the
 * commit's lease (or none); rows no longer implied are deleted.
 */
import type { InstanceRecord, Lease } from '@workflow-mastery/core';
import type { QueryRunner } from 'typeorm';
import type { WorkflowTaskEntity } from './entities/task.entity.js';
import type { WorkflowTimerEntity } from './entities/timer.entity.js';
import type { WorkflowWorkEntity } from './entities/work.entity.js';
import { diffRows } from './row-diff.js';
import type { StorageContext } from './storage-context.js';
import { deleteByKeys, deleteWhereIn, insertRows, selectWhereIn } from './table-ops.js';
import { taskRows, timerRows, workRows, type TaskRow, type TimerRow, type WorkRow } from './work-rows.js';

/** A committed record and the lease its new work takes. */
export interface DerivedTarget {
  record: InstanceRecord;
  lease?: Lease;
}

function workEntity(instanceId: string, row: WorkRow, lease?: Lease): WorkflowWorkEntity {
  return { instanceId, ...row, leaseOwner: lease?.owner ?? null, leaseUntil: lease?.until ?? null };
}

function timerEntity(instanceId: string, row: TimerRow, lease?: Lease): WorkflowTimerEntity {
  return { instanceId, ...row, leaseOwner: lease?.owner ?? null, leaseUntil: lease?.until ?? null };
}

function taskEntity(instanceId: string, row: TaskRow): WorkflowTaskEntity {
  return { instanceId, ...row };
}

/** Inserts the rows of brand-new instances (nothing is stored for them yet). */
export async function insertDerivedRows(ctx: StorageContext, queryRunner: QueryRunner, targets: readonly DerivedTarget[]): Promise<void> {
  const work: WorkflowWorkEntity[] = [];
  const timers: WorkflowTimerEntity[] = [];
  const tasks: WorkflowTaskEntity[] = [];
  for (const { record, lease } of targets) {
    for (const row of workRows(record)) work.push(workEntity(record.id, row, lease));
    for (const row of timerRows(record)) timers.push(timerEntity(record.id, row, lease));
    for (const row of taskRows(record)) tasks.push(taskEntity(record.id, row));
  }
  if (work.length > 0) await insertRows(queryRunner, ctx.entities.work, work);
  if (timers.length > 0) await insertRows(queryRunner, ctx.entities.timer, timers);
  if (tasks.length > 0) await insertRows(queryRunner, ctx.entities.task, tasks);
}

function groupByInstance<T extends { instanceId: string }>(rows: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const group = groups.get(row.instanceId);
    if (group) group.push(row);
    else groups.set(row.instanceId, [row]);
  }
  return groups;
}

/** One derived table, described for {@link syncTable}. */
interface TableSpec<S extends { instanceId: string }, D> {
  entity: new () => S;
  keyColumns: string[];
  keyOf(row: S): unknown[];
  desired(record: InstanceRecord): D[];
  keyOfStored(row: S): string;
  keyOfDesired(row: D): string;
  same(stored: S, desired: D): boolean;
  toEntity(instanceId: string, row: D, lease?: Lease): S;
}

/**
 * Diffs one table for every target at once: one SELECT for all of them (none when no target has
 * rows there: then one DELETE clears whatever was stored), one DELETE and one INSERT for the changes.
 */
async function syncTable<S extends { instanceId: string }, D>(
  ctx: StorageContext,
  queryRunner: QueryRunner,
  targets: readonly DerivedTarget[],
  spec: TableSpec<S, D>,
): Promise<void> {
  const desired = targets.map((t) => spec.desired(t.record));
  const ids = targets.map((t) => t.record.id);
  if (desired.every((rows) => rows.length === 0)) {
    await deleteWhereIn(ctx, queryRunner, spec.entity, 'instance_id', ids);
    return;
  }
  const stored = groupByInstance(await selectWhereIn(queryRunner, spec.entity, 'instanceId', ids));
  const deletes: unknown[][] = [];
  const inserts: S[] = [];
  targets.forEach((target, i) => {
    const id = target.record.id;
    const diff = diffRows(stored.get(id) ?? [], desired[i]!, spec.keyOfStored, spec.keyOfDesired, spec.same);
    for (const row of diff.deletes) deletes.push(spec.keyOf(row));
    for (const row of diff.inserts) inserts.push(spec.toEntity(id, row, target.lease));
  });
  if (deletes.length > 0) await deleteByKeys(ctx, queryRunner, spec.entity, spec.keyColumns, deletes);
  if (inserts.length > 0) await insertRows(queryRunner, spec.entity, inserts);
}

/** Brings the derived rows of `targets` (distinct instances) in line with their records. */
export async function syncDerivedRows(ctx: StorageContext, queryRunner: QueryRunner, targets: readonly DerivedTarget[]): Promise<void> {
  if (targets.length === 0) return;
  await syncTable<WorkflowWorkEntity, WorkRow>(ctx, queryRunner, targets, {
    entity: ctx.entities.work,
    keyColumns: ['instance_id', 'kind', 'step_id'],
    keyOf: (r) => [r.instanceId, r.kind, r.stepId],
    desired: workRows,
    keyOfStored: (r) => `${r.kind}\u0000${r.stepId}`,
    keyOfDesired: (r) => `${r.kind}\u0000${r.stepId}`,
    same: (s, d) => s.attempt === d.attempt,
    toEntity: workEntity,
  });
  await syncTable<WorkflowTimerEntity, TimerRow>(ctx, queryRunner, targets, {
    entity: ctx.entities.timer,
    keyColumns: ['instance_id', 'timer_id'],
    keyOf: (r) => [r.instanceId, r.timerId],
    desired: timerRows,
    keyOfStored: (r) => r.timerId,
    keyOfDesired: (r) => r.timerId,
    same: (s, d) => s.kind === d.kind && s.fireAt === d.fireAt && s.stepId === d.stepId && s.claimable === d.claimable,
    toEntity: timerEntity,
  });
  await syncTable<WorkflowTaskEntity, TaskRow>(ctx, queryRunner, targets, {
    entity: ctx.entities.task,
    keyColumns: ['id'],
    keyOf: (r) => [r.id],
    desired: taskRows,
    keyOfStored: (r) => r.id,
    keyOfDesired: (r) => r.id,
    same: (s, d) => s.stepId === d.stepId && s.assignedTo === d.assignedTo && s.state === d.state && s.dueAt === d.dueAt,
    toEntity: taskEntity,
  });
}

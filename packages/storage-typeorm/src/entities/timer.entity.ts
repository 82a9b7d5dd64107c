/** The timers table. */
import type { ColumnSpec, IndexSpec } from './column-spec.js';

/**
 * A durable timer of an instance, copied from `record.timers` on every commit so that due timers
 * are found (and claimed) by index. `claimable` is 0 on finished instances.
 * {@link workflowEntities} makes the entity class of a table prefix.
 */
export abstract class WorkflowTimerEntity {
  instanceId!: string;
  timerId!: string;
  kind!: string;
  fireAt!: number;
  stepId!: string | null;
  /** 1 while the instance is not finished. */
  claimable!: number;
  leaseOwner!: string | null;
  leaseUntil!: number | null;
}

/** Columns of {@link WorkflowTimerEntity}. */
export const timerColumns: ColumnSpec[] = [
  { property: 'instanceId', name: 'instance_id', kind: 'id', primary: true },
  { property: 'timerId', name: 'timer_id', kind: 'id', primary: true },
  { property: 'kind', name: 'kind', kind: 'id', length: 32 },
  { property: 'fireAt', name: 'fire_at', kind: 'bigint' },
  { property: 'stepId', name: 'step_id', kind: 'id', nullable: true },
  { property: 'claimable', name: 'claimable', kind: 'smallint' },
  { property: 'leaseOwner', name: 'lease_owner', kind: 'id', nullable: true },
  { property: 'leaseUntil', name: 'lease_until', kind: 'bigint', nullable: true },
];

/** Indexes of {@link WorkflowTimerEntity}. */
export const timerIndexes: IndexSpec[] = [{ suffix: 'ix_timers_fire_at', properties: ['fireAt'] }];

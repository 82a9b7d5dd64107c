/** The work table. */
import type { ColumnSpec, IndexSpec } from './column-spec.js';

/**
 * A runnable attempt: a SCHEDULED step of a RUNNING/WAITING instance or a SCHEDULED compensation
 * of a COMPENSATING one. Re-derived from the record on every commit; claimers lease rows.
 * {@link workflowEntities} makes the entity class of a table prefix.
 */
export abstract class WorkflowWorkEntity {
  instanceId!: string;
  /** `step` or `compensation`. */
  kind!: string;
  stepId!: string;
  attempt!: number;
  leaseOwner!: string | null;
  leaseUntil!: number | null;
}

/** Columns of {@link WorkflowWorkEntity}. */
export const workColumns: ColumnSpec[] = [
  { property: 'instanceId', name: 'instance_id', kind: 'id', primary: true },
  { property: 'kind', name: 'kind', kind: 'id', length: 32, primary: true },
  { property: 'stepId', name: 'step_id', kind: 'id', primary: true },
  { property: 'attempt', name: 'attempt', kind: 'int' },
  { property: 'leaseOwner', name: 'lease_owner', kind: 'id', nullable: true },
  { property: 'leaseUntil', name: 'lease_until', kind: 'bigint', nullable: true },
];

/** Indexes of {@link WorkflowWorkEntity}. */
export const workIndexes: IndexSpec[] = [{ suffix: 'ix_work_lease_until', properties: ['leaseUntil'] }];

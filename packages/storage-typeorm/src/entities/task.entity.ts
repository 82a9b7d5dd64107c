/** The tasks table. */
import type { ColumnSpec, IndexSpec } from './column-spec.js';

/** Task ids are `<instanceId>.<stepId>.<run>`: longer than an instance id. */
export const TASK_ID_LENGTH = 600;

/**
 * The human task of a step (`steps[*].task`), copied from the record on every commit so that an
 * inbox (`assigned_to`, `state`) is an index lookup.
 * {@link workflowEntities} makes the entity class of a table prefix.
 */
export abstract class WorkflowTaskEntity {
  id!: string;
  instanceId!: string;
  stepId!: string;
  assignedTo!: string;
  state!: string;
  dueAt!: number | null;
}

/** Columns of {@link WorkflowTaskEntity}. */
export const taskColumns: ColumnSpec[] = [
  { property: 'id', name: 'id', kind: 'id', length: TASK_ID_LENGTH, primary: true },
  { property: 'instanceId', name: 'instance_id', kind: 'id' },
  { property: 'stepId', name: 'step_id', kind: 'id' },
  { property: 'assignedTo', name: 'assigned_to', kind: 'id' },
  { property: 'state', name: 'state', kind: 'id', length: 32 },
  { property: 'dueAt', name: 'due_at', kind: 'bigint', nullable: true },
];

/** Indexes of {@link WorkflowTaskEntity}. */
export const taskIndexes: IndexSpec[] = [
  { suffix: 'ix_tasks_assigned_state', properties: ['assignedTo', 'state'] },
  { suffix: 'ix_tasks_instance', properties: ['instanceId'] },
];

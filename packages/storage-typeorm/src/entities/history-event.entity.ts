/** The history table. */
import type { ColumnSpec, IndexSpec } from './column-spec.js';

/**
 * A row of the history table; `(instance_id, seq)` is the key, so an event is never written twice.
 * {@link workflowEntities} makes the entity class of a table prefix.
 */
export abstract class WorkflowEventEntity {
  instanceId!: string;
  seq!: number;
  type!: string;
  at!: number;
  stepId!: string | null;
  attempt!: number | null;
  /** The event's `data` as JSON. */
  data!: string | null;
}

/** Columns of {@link WorkflowEventEntity}. */
export const eventColumns: ColumnSpec[] = [
  { property: 'instanceId', name: 'instance_id', kind: 'id', primary: true },
  { property: 'seq', name: 'seq', kind: 'int', primary: true },
  { property: 'type', name: 'type', kind: 'id', length: 64 },
  { property: 'at', name: 'at', kind: 'bigint' },
  { property: 'stepId', name: 'step_id', kind: 'id', nullable: true },
  { property: 'attempt', name: 'attempt', kind: 'int', nullable: true },
  { property: 'data', name: 'data', kind: 'json', nullable: true },
];

/** Indexes of {@link WorkflowEventEntity}: the primary key `(instance_id, seq)` is the only one reads use. */
export const eventIndexes: IndexSpec[] = [];

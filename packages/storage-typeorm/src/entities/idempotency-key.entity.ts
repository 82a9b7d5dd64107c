/** The idempotency keys table. */
import type { ColumnSpec, IndexSpec } from './column-spec.js';

/**
 * An idempotency key and the instance it started. Inserted first in the create transaction: its
 * primary key is what makes two concurrent starts with one key yield one instance.
 * {@link workflowEntities} makes the entity class of a table prefix.
 */
export abstract class WorkflowIdempotencyKeyEntity {
  idempotencyKey!: string;
  instanceId!: string;
  createdAt!: number;
}

/** Columns of {@link WorkflowIdempotencyKeyEntity}. */
export const idempotencyKeyColumns: ColumnSpec[] = [
  { property: 'idempotencyKey', name: 'idempotency_key', kind: 'id', primary: true },
  { property: 'instanceId', name: 'instance_id', kind: 'id' },
  { property: 'createdAt', name: 'created_at', kind: 'bigint' },
];

/** Indexes of {@link WorkflowIdempotencyKeyEntity}: none besides the key. */
export const idempotencyKeyIndexes: IndexSpec[] = [];

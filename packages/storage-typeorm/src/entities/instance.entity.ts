/** The instances table. */
import type { ColumnSpec, IndexSpec } from './column-spec.js';

/**
 * A row of the instances table: `record` is the whole `InstanceRecord` as JSON, the other columns
 * copy the fields that queries filter and sort on; `version` is the compare-and-swap version.
 * {@link workflowEntities} makes the entity class of a table prefix.
 */
export abstract class WorkflowInstanceEntity {
  id!: string;
  definitionName!: string;
  definitionVersion!: string;
  state!: string;
  version!: number;
  /** Seq of the last history event. */
  seq!: number;
  createdAt!: number;
  updatedAt!: number;
  completedAt!: number | null;
  idempotencyKey!: string | null;
  record!: string;
  /** The record's `businessKey` (retention migration). */
  businessKey!: string | null;
  /** The record's `purgeAfter`, epoch ms (retention migration). */
  purgeAfter!: number | null;
}

/** Columns of {@link WorkflowInstanceEntity}. */
export const instanceColumns: ColumnSpec[] = [
  { property: 'id', name: 'id', kind: 'id', primary: true },
  { property: 'definitionName', name: 'definition_name', kind: 'id' },
  { property: 'definitionVersion', name: 'definition_version', kind: 'id' },
  { property: 'state', name: 'state', kind: 'id', length: 32 },
  { property: 'version', name: 'version', kind: 'int' },
  { property: 'seq', name: 'seq', kind: 'int' },
  { property: 'createdAt', name: 'created_at', kind: 'bigint' },
  { property: 'updatedAt', name: 'updated_at', kind: 'bigint' },
  { property: 'completedAt', name: 'completed_at', kind: 'bigint', nullable: true },
  { property: 'idempotencyKey', name: 'idempotency_key', kind: 'id', nullable: true },
  { property: 'record', name: 'record', kind: 'json' },
  { property: 'businessKey', name: 'business_key', kind: 'id', nullable: true },
  { property: 'purgeAfter', name: 'purge_after', kind: 'bigint', nullable: true },
];

/**
 * Indexes of {@link WorkflowInstanceEntity}. None covers a column a step's commit changes
 * (`version`, `seq`, `updated_at`, `record`), so on PostgreSQL that commit is a HOT update when the
 * page has room (lean-rows migration): no index entry written at all.
 */
export const instanceIndexes: IndexSpec[] = [
  { suffix: 'ix_instances_definition_created', properties: ['definitionName', 'createdAt'] },
  { suffix: 'ix_instances_created', properties: ['createdAt', 'id'] },
  { suffix: 'ux_instances_idempotency_key', properties: ['idempotencyKey'], unique: true, whereNotNull: 'idempotency_key' },
  { suffix: 'ix_instances_business_key', properties: ['businessKey', 'createdAt'], whereNotNull: 'business_key' },
  { suffix: 'ix_instances_purge_after', properties: ['purgeAfter'], whereNotNull: 'purge_after' },
  { suffix: 'ix_instances_state_created', properties: ['state', 'createdAt', 'id'] },
];

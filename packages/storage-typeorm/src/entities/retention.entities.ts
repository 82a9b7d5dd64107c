/** The tables of the retention migration: search attributes, unique business keys, maintenance leases. */
import type { ColumnSpec, IndexSpec } from './column-spec.js';

/**
 * One search attribute of an instance (`InstanceRecord.attributes`), value as text; rewritten with
 * the instance row when the record's attributes change, deleted with it by a purge.
 */
export abstract class WorkflowAttributeEntity {
  instanceId!: string;
  name!: string;
  value!: string;
}

/** Columns of {@link WorkflowAttributeEntity}. */
export const attributeColumns: ColumnSpec[] = [
  { property: 'instanceId', name: 'instance_id', kind: 'id', primary: true },
  { property: 'name', name: 'name', kind: 'id', primary: true },
  { property: 'value', name: 'value', kind: 'id' },
];

/** Indexes of {@link WorkflowAttributeEntity}: lookups by name and value. */
export const attributeIndexes: IndexSpec[] = [{ suffix: 'ix_attributes_name_value', properties: ['name', 'value', 'instanceId'] }];

/**
 * The instance holding a unique business key of a definition. Inserted in the create transaction of
 * an instance started with `uniqueBusinessKey`; a later create takes the row over only when its
 * holder is finished or gone. Deleted by the purge of its holder.
 */
export abstract class WorkflowBusinessKeyEntity {
  definitionName!: string;
  businessKey!: string;
  instanceId!: string;
}

/** Columns of {@link WorkflowBusinessKeyEntity}. */
export const businessKeyColumns: ColumnSpec[] = [
  { property: 'definitionName', name: 'definition_name', kind: 'id', primary: true },
  { property: 'businessKey', name: 'business_key', kind: 'id', primary: true },
  { property: 'instanceId', name: 'instance_id', kind: 'id' },
];

/** Indexes of {@link WorkflowBusinessKeyEntity}: none besides the key. */
export const businessKeyIndexes: IndexSpec[] = [];

/** A named maintenance lease (`acquireLease`): who holds it until when (epoch ms). */
export abstract class WorkflowLeaseEntity {
  name!: string;
  owner!: string;
  until!: number;
}

/** Columns of {@link WorkflowLeaseEntity}. */
export const leaseColumns: ColumnSpec[] = [
  { property: 'name', name: 'name', kind: 'id', primary: true },
  { property: 'owner', name: 'owner', kind: 'id' },
  { property: 'until', name: 'until', kind: 'bigint' },
];

/** Indexes of {@link WorkflowLeaseEntity}: none besides the key. */
export const leaseIndexes: IndexSpec[] = [];

/**
 * A finished instance the purge archived before deleting it (`storage.archive()`): the record and
 * its history as JSON. Written again (replaced) when an instance is archived twice.
 */
export abstract class WorkflowArchivedInstanceEntity {
  instanceId!: string;
  definitionName!: string;
  archivedAt!: number;
  record!: string;
  history!: string;
}

/** Columns of {@link WorkflowArchivedInstanceEntity}. */
export const archivedInstanceColumns: ColumnSpec[] = [
  { property: 'instanceId', name: 'instance_id', kind: 'id', primary: true },
  { property: 'definitionName', name: 'definition_name', kind: 'id' },
  { property: 'archivedAt', name: 'archived_at', kind: 'bigint' },
  { property: 'record', name: 'record', kind: 'json' },
  { property: 'history', name: 'history', kind: 'json' },
];

/** Indexes of {@link WorkflowArchivedInstanceEntity}: by definition and archive time. */
export const archivedInstanceIndexes: IndexSpec[] = [{ suffix: 'ix_archived_definition_at', properties: ['definitionName', 'archivedAt'] }];

/** Every table of the schema, by role: its name, columns and indexes, for entities and migrations alike. */
import type { TableNames } from '../schema/table-names.js';
import type { ColumnSpec, IndexSpec } from './column-spec.js';
import { definitionColumns, definitionIndexes } from './definition.entity.js';
import { eventColumns, eventIndexes } from './history-event.entity.js';
import { idempotencyKeyColumns, idempotencyKeyIndexes } from './idempotency-key.entity.js';
import { instanceColumns, instanceIndexes } from './instance.entity.js';
import {
  archivedInstanceColumns,
  archivedInstanceIndexes,
  attributeColumns,
  attributeIndexes,
  businessKeyColumns,
  businessKeyIndexes,
  leaseColumns,
  leaseIndexes,
} from './retention.entities.js';
import { taskColumns, taskIndexes } from './task.entity.js';
import { timerColumns, timerIndexes } from './timer.entity.js';
import { workColumns, workIndexes } from './work.entity.js';

/** Roles of the tables. */
export type TableRole = 'instance' | 'event' | 'timer' | 'work' | 'task' | 'idempotencyKey' | 'definition' | 'attribute' | 'businessKey' | 'lease' | 'archivedInstance';

/** One table. */
export interface EntitySpec {
  role: TableRole;
  /** Class name stem: `WorkflowMastery<stem>`. */
  stem: string;
  table(names: TableNames): string;
  columns: ColumnSpec[];
  indexes: IndexSpec[];
}

/** The tables, in creation order. */
export const ENTITY_SPECS: readonly EntitySpec[] = [
  { role: 'instance', stem: 'Instance', table: (n) => n.instances, columns: instanceColumns, indexes: instanceIndexes },
  { role: 'event', stem: 'Event', table: (n) => n.events, columns: eventColumns, indexes: eventIndexes },
  { role: 'timer', stem: 'Timer', table: (n) => n.timers, columns: timerColumns, indexes: timerIndexes },
  { role: 'work', stem: 'Work', table: (n) => n.work, columns: workColumns, indexes: workIndexes },
  { role: 'task', stem: 'Task', table: (n) => n.tasks, columns: taskColumns, indexes: taskIndexes },
  { role: 'idempotencyKey', stem: 'IdempotencyKey', table: (n) => n.idempotencyKeys, columns: idempotencyKeyColumns, indexes: idempotencyKeyIndexes },
  { role: 'definition', stem: 'Definition', table: (n) => n.definitions, columns: definitionColumns, indexes: definitionIndexes },
  { role: 'attribute', stem: 'Attribute', table: (n) => n.attributes, columns: attributeColumns, indexes: attributeIndexes },
  { role: 'businessKey', stem: 'BusinessKey', table: (n) => n.businessKeys, columns: businessKeyColumns, indexes: businessKeyIndexes },
  { role: 'lease', stem: 'Lease', table: (n) => n.leases, columns: leaseColumns, indexes: leaseIndexes },
  { role: 'archivedInstance', stem: 'ArchivedInstance', table: (n) => n.archivedInstances, columns: archivedInstanceColumns, indexes: archivedInstanceIndexes },
];

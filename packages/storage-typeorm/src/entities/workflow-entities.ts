/**
 * Concrete entity classes for one table prefix and database. Table names live on `@Entity` and
 * column types depend on the database, so every (prefix, database) gets its own classes, made once
 * and cached: storages with different prefixes can share one DataSource.
 */
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { flavorOfType, type SupportedType } from '../schema/sql-flavor.js';
import { DEFAULT_TABLE_PREFIX, tableNames } from '../schema/table-names.js';
import { entityColumnOptions, partialIndexWhere, type EntityFlavor } from './column-spec.js';
import { ENTITY_SPECS, type EntitySpec, type TableRole } from './entity-specs.js';
import type { WorkflowDefinitionEntity } from './definition.entity.js';
import type { WorkflowEventEntity } from './history-event.entity.js';
import type { WorkflowIdempotencyKeyEntity } from './idempotency-key.entity.js';
import type { WorkflowInstanceEntity } from './instance.entity.js';
import type { WorkflowArchivedInstanceEntity, WorkflowAttributeEntity, WorkflowBusinessKeyEntity, WorkflowLeaseEntity } from './retention.entities.js';
import type { WorkflowTaskEntity } from './task.entity.js';
import type { WorkflowTimerEntity } from './timer.entity.js';
import type { WorkflowWorkEntity } from './work.entity.js';

/** A concrete entity class. */
export type EntityClass<T> = new () => T;

/** The entity classes of one table prefix, by role. */
export interface WorkflowEntitySet {
  readonly prefix: string;
  readonly flavor: EntityFlavor;
  readonly instance: EntityClass<WorkflowInstanceEntity>;
  readonly event: EntityClass<WorkflowEventEntity>;
  readonly timer: EntityClass<WorkflowTimerEntity>;
  readonly work: EntityClass<WorkflowWorkEntity>;
  readonly task: EntityClass<WorkflowTaskEntity>;
  readonly idempotencyKey: EntityClass<WorkflowIdempotencyKeyEntity>;
  readonly definition: EntityClass<WorkflowDefinitionEntity>;
  readonly attribute: EntityClass<WorkflowAttributeEntity>;
  readonly businessKey: EntityClass<WorkflowBusinessKeyEntity>;
  readonly lease: EntityClass<WorkflowLeaseEntity>;
  readonly archivedInstance: EntityClass<WorkflowArchivedInstanceEntity>;
}

/** `wm_` gives `WorkflowMasteryInstance`; `app2_` gives `WorkflowMasteryInstance_app2_`. */
function className(stem: string, prefix: string): string {
  return `WorkflowMastery${stem}${prefix === DEFAULT_TABLE_PREFIX ? '' : `_${prefix}`}`;
}

/** A named class registered with TypeORM as the entity of `spec` for `prefix` and `flavor`. */
function defineEntity(spec: EntitySpec, prefix: string, flavor: EntityFlavor): EntityClass<object> {
  const name = className(spec.stem, prefix);
  const holder = { [name]: class {} };
  const cls = holder[name]!;
  Entity({ name: spec.table(tableNames(prefix)) })(cls);
  for (const column of spec.columns) {
    const options = entityColumnOptions(column, flavor);
    if (column.primary) PrimaryColumn(options as Parameters<typeof PrimaryColumn>[0])(cls.prototype, column.property);
    else Column(options)(cls.prototype, column.property);
  }
  for (const index of spec.indexes) {
    const where = partialIndexWhere(index, flavor);
    Index(`${prefix}${index.suffix}`, index.properties, { unique: index.unique === true, ...(where ? { where } : {}) })(cls);
  }
  return cls;
}

const sets = new Map<string, WorkflowEntitySet>();

function entityFlavor(type: SupportedType | EntityFlavor | undefined): EntityFlavor {
  if (type === undefined || type === 'generic' || type === 'sqlite' || type === 'postgres' || type === 'mysql') return type ?? 'generic';
  return flavorOfType(type);
}

/**
 * The entity classes for `prefix` on a database of `type`, by role; the same objects on every call
 * with the same arguments. Without `type`, portable column types without collations (queries work;
 * TypeORM's schema diff would then want to change the migrated tables).
 * @throws WorkflowError (WF_INPUT_INVALID) on an invalid prefix or unsupported type.
 */
export function workflowEntitySet(prefix: string = DEFAULT_TABLE_PREFIX, type?: SupportedType | EntityFlavor): WorkflowEntitySet {
  const flavor = entityFlavor(type);
  const cacheKey = `${flavor}\u0000${prefix}`;
  const cached = sets.get(cacheKey);
  if (cached) return cached;
  tableNames(prefix); // validates the prefix
  const classes = {} as Record<TableRole, EntityClass<object>>;
  for (const spec of ENTITY_SPECS) classes[spec.role] = defineEntity(spec, prefix, flavor);
  const set = { prefix, flavor, ...classes } as unknown as WorkflowEntitySet;
  sets.set(cacheKey, set);
  return set;
}

/**
 * The entity classes to list in your own DataSource's `entities`, for tables named with `prefix`:
 * `new DataSource({ type: 'postgres', ..., entities: [...yours, ...workflowEntities('wm_', 'postgres')] })`.
 * Give your database `type` so that the entities describe exactly the tables the migrations create.
 * Never `synchronize` them: the schema comes from {@link workflowMigrations}.
 */
export function workflowEntities(prefix: string = DEFAULT_TABLE_PREFIX, type?: SupportedType): Function[] {
  const set = workflowEntitySet(prefix, type);
  return ENTITY_SPECS.map((spec) => set[spec.role]);
}

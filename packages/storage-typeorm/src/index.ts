/**
 * @workflow-mastery/storage-typeorm: durable, multi-engine workflow storage on TypeORM, for
 * PostgreSQL, MySQL/MariaDB and SQLite (better-sqlite3).
 *
 * ```ts
 * // The storage creates, migrates and closes its own DataSource:
 * const storage = new TypeOrmStorage({ type: 'postgres', url: 'postgres://app@db/app' });
 *
 * // Or in your DataSource (never synchronize these; run the migrations):
 * const dataSource = new DataSource({
 *   type: 'postgres', url,
 *   entities: [...mine, ...workflowEntities()],
 *   migrations: [...mine, ...workflowMigrations()],
 * });
 * await dataSource.initialize();
 * await dataSource.runMigrations();
 * const storage = new TypeOrmStorage({ dataSource });
 * ```
 * @packageDocumentation
 */
export { TypeOrmStorage } from './typeorm-storage.js';
export {
  DEFAULT_MAX_PAYLOAD_BYTES,
  type TypeOrmStorageOptions,
  type TypeOrmStorageCommonOptions,
  type TypeOrmStorageConnectionOptions,
  type TypeOrmStorageDataSourceOptions,
} from './typeorm-storage.options.js';
export type { StorageStats } from './transaction-runner.js';
export { PayloadTooLargeError, PAYLOAD_TOO_LARGE } from './payload-too-large.error.js';

export { workflowEntities, workflowEntitySet, type WorkflowEntitySet, type EntityClass } from './entities/workflow-entities.js';
export type { EntityFlavor } from './entities/column-spec.js';
export { WorkflowInstanceEntity } from './entities/instance.entity.js';
export { WorkflowEventEntity } from './entities/history-event.entity.js';
export { WorkflowTimerEntity } from './entities/timer.entity.js';
export { WorkflowWorkEntity } from './entities/work.entity.js';
export { WorkflowTaskEntity } from './entities/task.entity.js';
export { WorkflowIdempotencyKeyEntity } from './entities/idempotency-key.entity.js';
export { WorkflowDefinitionEntity } from './entities/definition.entity.js';
export { WorkflowAttributeEntity, WorkflowBusinessKeyEntity, WorkflowLeaseEntity, WorkflowArchivedInstanceEntity } from './entities/retention.entities.js';
export { TableArchive, type ArchivedRow } from './table-archive.js';

export { workflowMigrations } from './migrations/workflow-migrations.js';
export { WorkflowMasteryInit1700000000000, initMigrationName, type MigrationClass } from './migrations/init.migration.js';
export { WorkflowMasteryDefinitions1796342400000, definitionsMigrationName } from './migrations/definitions.migration.js';
export { WorkflowMasteryRetention1796428800000, retentionMigrationName } from './migrations/retention.migration.js';
export { WorkflowMasteryLeanRows1796515200000, leanRowsMigrationName } from './migrations/lean-rows.migration.js';

export { tableNames, DEFAULT_TABLE_PREFIX, type TableNames } from './schema/table-names.js';
export { SUPPORTED_TYPES, type SupportedType } from './schema/sql-flavor.js';

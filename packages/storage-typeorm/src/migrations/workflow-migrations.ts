/** Every migration of this package, in order, for one table prefix. */
import { DEFAULT_TABLE_PREFIX } from '../schema/table-names.js';
import { definitionsMigration } from './definitions.migration.js';
import type { MigrationClass } from './frozen-tables.js';
import { initMigration } from './init.migration.js';
import { leanRowsMigration } from './lean-rows.migration.js';
import { retentionMigration } from './retention.migration.js';

/**
 * The migration classes to list in your own DataSource's `migrations`, for tables named with
 * `prefix`: `new DataSource({ ..., migrations: [...yours, ...workflowMigrations()] })`, then
 * `dataSource.runMigrations()`. Their names start with `WorkflowMastery` and end with a timestamp,
 * as TypeORM requires, so they never clash with yours. In order:
 *
 * 1. `WorkflowMasteryInit1700000000000`: instances, events, timers, work, tasks, idempotency keys.
 * 2. `WorkflowMasteryDefinitions1796342400000`: the stored definition versions.
 * 3. `WorkflowMasteryRetention1796428800000`: `business_key` and `purge_after` on instances, search
 *    attributes, unique business keys and maintenance leases.
 * 4. `WorkflowMasteryLeanRows1796515200000`: fewer index entries per commit (two unused indexes
 *    dropped, partial indexes on PostgreSQL and SQLite, fill factor 80 on PostgreSQL's instances).
 */
export function workflowMigrations(prefix: string = DEFAULT_TABLE_PREFIX): MigrationClass[] {
  return [initMigration(prefix), definitionsMigration(prefix), retentionMigration(prefix), leanRowsMigration(prefix)];
}

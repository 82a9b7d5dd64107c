/**
 * The second migration: the definitions table (`<prefix>definitions`), where the stored versions
 * of workflow definitions live (issue #15). Existing databases get it on their next migration run;
 * tables that exist are left alone, so it is idempotent.
 */
import { DEFAULT_TABLE_PREFIX } from '../schema/table-names.js';
import { migrationName, tablesMigration, type FrozenTable, type MigrationClass } from './frozen-tables.js';

/** Milliseconds that end every name of this migration (2026-12-04). */
export const DEFINITIONS_MIGRATION_TIMESTAMP = 1796342400000;

/**
 * `WorkflowMasteryDefinitions1796342400000` for the default prefix,
 * `WorkflowMasteryDefinitions_<prefix>1796342400000` for others.
 */
export function definitionsMigrationName(prefix: string = DEFAULT_TABLE_PREFIX): string {
  return migrationName('Definitions', DEFINITIONS_MIGRATION_TIMESTAMP, prefix);
}

/** The table as this migration creates it, frozen (see `init.migration.ts`). */
const DEFINITIONS: readonly FrozenTable[] = [
  {
    table: 'definitions',
    columns: [
      ['name', 'id', { primary: true }],
      ['version', 'id', { primary: true }],
      ['hash', 'id', { length: 64 }],
      ['source', 'json'],
      ['stored_at', 'bigint'],
    ],
    indexes: [],
  },
];

/**
 * The definitions migration class for `prefix` (one class per prefix, cached).
 * @throws WorkflowError (WF_INPUT_INVALID) on an invalid prefix.
 */
export function definitionsMigration(prefix: string = DEFAULT_TABLE_PREFIX): MigrationClass {
  return tablesMigration('Definitions', DEFINITIONS_MIGRATION_TIMESTAMP, prefix, DEFINITIONS);
}

/** The definitions migration of the default prefix `wm_`. Prefer {@link workflowMigrations}. */
export const WorkflowMasteryDefinitions1796342400000: MigrationClass = definitionsMigration(DEFAULT_TABLE_PREFIX);

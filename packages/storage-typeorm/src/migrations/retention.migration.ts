/**
 * The third migration: retention, business keys and search attributes. Adds to the instances table
 * the columns `business_key` (with an index on `business_key, created_at`) and `purge_after` (with
 * its index) and an index on `state, created_at, id` (listing by state), and creates `<prefix>instance_attributes`, `<prefix>business_keys` and
 * `<prefix>leases`. Additive and idempotent: columns, indexes and tables that exist are left alone,
 * so a database of an earlier release upgrades on its next migration run, rows untouched.
 */
import { TableColumn, TableIndex } from 'typeorm';
import { tableColumnOptions, type ColumnKind } from '../entities/column-spec.js';
import { flavorOfType } from '../schema/sql-flavor.js';
import { DEFAULT_TABLE_PREFIX, tableNames } from '../schema/table-names.js';
import { frozenTables, migrationName, namedMigration, type FrozenTable, type MigrationClass } from './frozen-tables.js';

/** Milliseconds that end every name of this migration (2026-12-05). */
export const RETENTION_MIGRATION_TIMESTAMP = 1796428800000;

/**
 * `WorkflowMasteryRetention1796428800000` for the default prefix,
 * `WorkflowMasteryRetention_<prefix>1796428800000` for others.
 */
export function retentionMigrationName(prefix: string = DEFAULT_TABLE_PREFIX): string {
  return migrationName('Retention', RETENTION_MIGRATION_TIMESTAMP, prefix);
}

/** The columns added to the instances table, frozen. */
const INSTANCE_COLUMNS: ReadonlyArray<[name: string, kind: ColumnKind]> = [
  ['business_key', 'id'],
  ['purge_after', 'bigint'],
];

/** The indexes added to the instances table, frozen. */
const INSTANCE_INDEXES: ReadonlyArray<[suffix: string, columns: string[]]> = [
  ['ix_instances_business_key', ['business_key', 'created_at']],
  ['ix_instances_purge_after', ['purge_after']],
  // Listing by state pages by creation time: without it a page of COMPLETED among millions sorts them all.
  ['ix_instances_state_created', ['state', 'created_at', 'id']],
];

/** The tables this migration creates, frozen. */
const TABLES: readonly FrozenTable[] = [
  {
    table: 'attributes',
    columns: [
      ['instance_id', 'id', { primary: true }],
      ['name', 'id', { primary: true }],
      ['value', 'id'],
    ],
    indexes: [['ix_attributes_name_value', ['name', 'value', 'instance_id']]],
  },
  {
    table: 'businessKeys',
    columns: [
      ['definition_name', 'id', { primary: true }],
      ['business_key', 'id', { primary: true }],
      ['instance_id', 'id'],
    ],
    indexes: [],
  },
  {
    table: 'leases',
    columns: [
      ['name', 'id', { primary: true }],
      ['owner', 'id'],
      ['until', 'bigint'],
    ],
    indexes: [],
  },
  {
    table: 'archivedInstances',
    columns: [
      ['instance_id', 'id', { primary: true }],
      ['definition_name', 'id'],
      ['archived_at', 'bigint'],
      ['record', 'json'],
      ['history', 'json'],
    ],
    indexes: [['ix_archived_definition_at', ['definition_name', 'archived_at']]],
  },
];

/**
 * The retention migration class for `prefix` (one class per prefix, cached).
 * @throws WorkflowError (WF_INPUT_INVALID) on an invalid prefix.
 */
export function retentionMigration(prefix: string = DEFAULT_TABLE_PREFIX): MigrationClass {
  const names = tableNames(prefix); // validates the prefix
  return namedMigration('Retention', RETENTION_MIGRATION_TIMESTAMP, prefix, {
    async up(queryRunner) {
      const flavor = flavorOfType(String(queryRunner.connection.driver.options.type));
      const table = await queryRunner.getTable(names.instances);
      if (table) {
        const missing = INSTANCE_COLUMNS.filter(([column]) => !table.findColumnByName(column)).map(
          ([column, kind]) => new TableColumn(tableColumnOptions({ property: column, name: column, kind, nullable: true }, flavor)),
        );
        if (missing.length > 0) await queryRunner.addColumns(table, missing);
        const indexed = await queryRunner.getTable(names.instances);
        for (const [suffix, columnNames] of INSTANCE_INDEXES) {
          if (indexed?.indices.some((i) => i.name === `${prefix}${suffix}`)) continue;
          await queryRunner.createIndex(names.instances, new TableIndex({ name: `${prefix}${suffix}`, columnNames }));
        }
      }
      for (const created of frozenTables(queryRunner, prefix, TABLES)) await queryRunner.createTable(created, true);
    },
    async down(queryRunner) {
      for (const created of frozenTables(queryRunner, prefix, TABLES).reverse()) await queryRunner.dropTable(created.name, true);
      const table = await queryRunner.getTable(names.instances);
      if (!table) return;
      for (const [suffix] of INSTANCE_INDEXES) {
        if (table.indices.some((i) => i.name === `${prefix}${suffix}`)) await queryRunner.dropIndex(names.instances, `${prefix}${suffix}`);
      }
      const present = INSTANCE_COLUMNS.map(([column]) => column).filter((column) => table.findColumnByName(column));
      if (present.length > 0) await queryRunner.dropColumns(names.instances, present);
    },
  });
}

/** The retention migration of the default prefix `wm_`. Prefer {@link workflowMigrations}. */
export const WorkflowMasteryRetention1796428800000: MigrationClass = retentionMigration(DEFAULT_TABLE_PREFIX);

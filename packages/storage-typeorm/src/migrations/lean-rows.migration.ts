/**
 * The fourth migration: fewer index entries per commit. No table or column changes; rows untouched.
 *
 * - Drops `ix_instances_state_updated` (no query reads `updated_at`; listing by state uses
 *   `ix_instances_state_created`) and `ix_events_instance_at` (history is read by its primary key).
 * - On PostgreSQL and SQLite, makes the indexes of the optional columns partial (`WHERE col IS NOT
 *   NULL`): `ux_instances_idempotency_key`, `ix_instances_business_key`, `ix_instances_purge_after`.
 *   An instance without an idempotency key, a business key or a purge time costs no entry in them.
 *   MariaDB has no partial indexes: its indexes stay as they are.
 * - On PostgreSQL, sets `fillfactor = 80` on the instances table, so a step's commit (which changes
 *   no indexed column any more) can be a HOT update: the new row version goes on the same page and
 *   no index entry is written. It applies to pages written from then on.
 *
 * Rebuilding the three indexes locks the instances table for writes while it runs (seconds for a
 * million rows). Safe to run again: what is already as this migration leaves it is left alone.
 */
import { TableIndex, type QueryRunner } from 'typeorm';
import { flavorOfType, type SqlFlavor } from '../schema/sql-flavor.js';
import { DEFAULT_TABLE_PREFIX, tableNames } from '../schema/table-names.js';
import { migrationName, namedMigration, type MigrationClass } from './frozen-tables.js';

/** Milliseconds that end every name of this migration (2026-12-06). */
export const LEAN_ROWS_MIGRATION_TIMESTAMP = 1796515200000;

/** The fill factor of the instances table on PostgreSQL after this migration. */
export const INSTANCES_FILLFACTOR = 80;

/**
 * `WorkflowMasteryLeanRows1796515200000` for the default prefix,
 * `WorkflowMasteryLeanRows_<prefix>1796515200000` for others.
 */
export function leanRowsMigrationName(prefix: string = DEFAULT_TABLE_PREFIX): string {
  return migrationName('LeanRows', LEAN_ROWS_MIGRATION_TIMESTAMP, prefix);
}

type Dropped = [table: 'instances' | 'events', suffix: string, columns: string[]];
/** The indexes this migration drops (and `down` puts back), frozen. */
const DROPPED: readonly Dropped[] = [
  ['instances', 'ix_instances_state_updated', ['state', 'updated_at']],
  ['events', 'ix_events_instance_at', ['instance_id', 'at']],
];

type Partial = [suffix: string, columns: string[], unique: boolean, column: string];
/** The indexes this migration makes partial on PostgreSQL and SQLite, frozen. */
const PARTIAL: readonly Partial[] = [
  ['ux_instances_idempotency_key', ['idempotency_key'], true, 'idempotency_key'],
  ['ix_instances_business_key', ['business_key', 'created_at'], false, 'business_key'],
  ['ix_instances_purge_after', ['purge_after'], false, 'purge_after'],
];

const partialFlavor = (flavor: SqlFlavor): boolean => flavor === 'postgres' || flavor === 'sqlite';

/** Whether index `name` exists on `table`, and whether it is partial, read from the catalog. */
async function indexState(queryRunner: QueryRunner, flavor: SqlFlavor, table: string, name: string): Promise<{ exists: boolean; partial: boolean }> {
  if (flavor === 'postgres') {
    const rows = (await queryRunner.query('SELECT indexdef FROM pg_indexes WHERE tablename = $1 AND indexname = $2 AND schemaname = current_schema()', [table, name])) as Array<{ indexdef: string }>;
    return { exists: rows.length > 0, partial: rows.some((r) => / WHERE /i.test(r.indexdef)) };
  }
  if (flavor === 'sqlite') {
    const rows = (await queryRunner.query(`SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND name = ?`, [table, name])) as Array<{ sql: string | null }>;
    return { exists: rows.length > 0, partial: rows.some((r) => / WHERE /i.test(r.sql ?? '')) };
  }
  const rows = (await queryRunner.query('SELECT 1 FROM information_schema.statistics WHERE table_schema = DATABASE() AND table_name = ? AND index_name = ? LIMIT 1', [table, name])) as unknown[];
  return { exists: rows.length > 0, partial: false };
}

/** Replaces index `suffix` of the instances table by the partial (or, with `partial` false, full) one. */
async function rebuild(queryRunner: QueryRunner, flavor: SqlFlavor, prefix: string, [suffix, columnNames, isUnique, column]: Partial, partial: boolean): Promise<void> {
  const table = tableNames(prefix).instances;
  const name = `${prefix}${suffix}`;
  const state = await indexState(queryRunner, flavor, table, name);
  if (state.exists && state.partial === partial) return;
  if (state.exists) await queryRunner.dropIndex(table, name);
  await queryRunner.createIndex(table, new TableIndex({ name, columnNames, isUnique, ...(partial ? { where: `"${column}" IS NOT NULL` } : {}) }));
}

/**
 * The lean-rows migration class for `prefix` (one class per prefix, cached).
 * @throws WorkflowError (WF_INPUT_INVALID) on an invalid prefix.
 */
export function leanRowsMigration(prefix: string = DEFAULT_TABLE_PREFIX): MigrationClass {
  const names = tableNames(prefix); // validates the prefix
  const flavorOf = (queryRunner: QueryRunner): SqlFlavor => flavorOfType(String(queryRunner.connection.driver.options.type));
  return namedMigration('LeanRows', LEAN_ROWS_MIGRATION_TIMESTAMP, prefix, {
    async up(queryRunner) {
      const flavor = flavorOf(queryRunner);
      for (const [table, suffix] of DROPPED) {
        if ((await indexState(queryRunner, flavor, names[table], `${prefix}${suffix}`)).exists) await queryRunner.dropIndex(names[table], `${prefix}${suffix}`);
      }
      if (partialFlavor(flavor)) for (const index of PARTIAL) await rebuild(queryRunner, flavor, prefix, index, true);
      if (flavor === 'postgres') await queryRunner.query(`ALTER TABLE "${names.instances}" SET (fillfactor = ${INSTANCES_FILLFACTOR})`);
    },
    async down(queryRunner) {
      const flavor = flavorOf(queryRunner);
      if (flavor === 'postgres') await queryRunner.query(`ALTER TABLE "${names.instances}" RESET (fillfactor)`);
      if (partialFlavor(flavor)) for (const index of PARTIAL) await rebuild(queryRunner, flavor, prefix, index, false);
      for (const [table, suffix, columnNames] of DROPPED) {
        if (!(await indexState(queryRunner, flavor, names[table], `${prefix}${suffix}`)).exists) {
          await queryRunner.createIndex(names[table], new TableIndex({ name: `${prefix}${suffix}`, columnNames }));
        }
      }
    },
  });
}

/** The lean-rows migration of the default prefix `wm_`. Prefer {@link workflowMigrations}. */
export const WorkflowMasteryLeanRows1796515200000: MigrationClass = leanRowsMigration(DEFAULT_TABLE_PREFIX);

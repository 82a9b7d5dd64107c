/**
 * The first migration: every table and index, written once with TypeORM's portable `Table` API
 * (column types per database from `column-spec.ts`). Idempotent: tables that exist are left alone.
 */
import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { tableColumnOptions, type ColumnKind, type ColumnSpec } from '../entities/column-spec.js';
import { flavorOfType } from '../schema/sql-flavor.js';
import { DEFAULT_TABLE_PREFIX, tableNames, type TableNames } from '../schema/table-names.js';

/** A migration class, as TypeORM's `migrations` option takes it. */
export type MigrationClass = new () => MigrationInterface;

/** Milliseconds that end every name of this migration (TypeORM reads the last 13 digits). */
export const INIT_MIGRATION_TIMESTAMP = 1700000000000;

/**
 * The name recorded in the migrations table: `WorkflowMasteryInit1700000000000` for the default
 * prefix, `WorkflowMasteryInit_<prefix>1700000000000` for others, so neither clashes with the
 * application's own migrations nor with another prefix's.
 */
export function initMigrationName(prefix: string = DEFAULT_TABLE_PREFIX): string {
  return `WorkflowMasteryInit${prefix === DEFAULT_TABLE_PREFIX ? '' : `_${prefix}`}${INIT_MIGRATION_TIMESTAMP}`;
}

type Col = [name: string, kind: ColumnKind, extra?: Partial<ColumnSpec>];

/**
 * The schema of version 1, frozen here on purpose: the entity files may change in later versions,
 * each change with a migration of its own; this one must keep creating what it created when
 * released. The `schema in sync` test checks that entities and migrations agree.
 */
const V1: ReadonlyArray<{ table: keyof Omit<TableNames, 'prefix' | 'migrations'>; columns: Col[]; indexes: Array<[suffix: string, columns: string[], unique?: boolean]> }> = [
  {
    table: 'instances',
    columns: [
      ['id', 'id', { primary: true }],
      ['definition_name', 'id'],
      ['definition_version', 'id'],
      ['state', 'id', { length: 32 }],
      ['version', 'int'],
      ['seq', 'int'],
      ['created_at', 'bigint'],
      ['updated_at', 'bigint'],
      ['completed_at', 'bigint', { nullable: true }],
      ['idempotency_key', 'id', { nullable: true }],
      ['record', 'json'],
    ],
    indexes: [
      ['ix_instances_state_updated', ['state', 'updated_at']],
      ['ix_instances_definition_created', ['definition_name', 'created_at']],
      ['ix_instances_created', ['created_at', 'id']],
      ['ux_instances_idempotency_key', ['idempotency_key'], true],
    ],
  },
  {
    table: 'events',
    columns: [
      ['instance_id', 'id', { primary: true }],
      ['seq', 'int', { primary: true }],
      ['type', 'id', { length: 64 }],
      ['at', 'bigint'],
      ['step_id', 'id', { nullable: true }],
      ['attempt', 'int', { nullable: true }],
      ['data', 'json', { nullable: true }],
    ],
    indexes: [['ix_events_instance_at', ['instance_id', 'at']]],
  },
  {
    table: 'timers',
    columns: [
      ['instance_id', 'id', { primary: true }],
      ['timer_id', 'id', { primary: true }],
      ['kind', 'id', { length: 32 }],
      ['fire_at', 'bigint'],
      ['step_id', 'id', { nullable: true }],
      ['claimable', 'smallint'],
      ['lease_owner', 'id', { nullable: true }],
      ['lease_until', 'bigint', { nullable: true }],
    ],
    indexes: [['ix_timers_fire_at', ['fire_at']]],
  },
  {
    table: 'work',
    columns: [
      ['instance_id', 'id', { primary: true }],
      ['kind', 'id', { primary: true, length: 32 }],
      ['step_id', 'id', { primary: true }],
      ['attempt', 'int'],
      ['lease_owner', 'id', { nullable: true }],
      ['lease_until', 'bigint', { nullable: true }],
    ],
    indexes: [['ix_work_lease_until', ['lease_until']]],
  },
  {
    table: 'tasks',
    columns: [
      ['id', 'id', { primary: true, length: 600 }],
      ['instance_id', 'id'],
      ['step_id', 'id'],
      ['assigned_to', 'id'],
      ['state', 'id', { length: 32 }],
      ['due_at', 'bigint', { nullable: true }],
    ],
    indexes: [
      ['ix_tasks_assigned_state', ['assigned_to', 'state']],
      ['ix_tasks_instance', ['instance_id']],
    ],
  },
  {
    table: 'idempotencyKeys',
    columns: [
      ['idempotency_key', 'id', { primary: true }],
      ['instance_id', 'id'],
      ['created_at', 'bigint'],
    ],
    indexes: [],
  },
];

/** The version-1 tables for `prefix`, for the database `queryRunner` talks to. */
export function initTables(queryRunner: QueryRunner, prefix: string): Table[] {
  const flavor = flavorOfType(String(queryRunner.connection.driver.options.type));
  const names = tableNames(prefix);
  return V1.map(
    (t) =>
      new Table({
        name: names[t.table],
        columns: t.columns.map(([name, kind, extra]) => tableColumnOptions({ property: name, name, kind, ...extra }, flavor)),
        indices: t.indexes.map(([suffix, columnNames, unique]) => new TableIndex({ name: `${prefix}${suffix}`, columnNames, isUnique: unique === true })),
      }),
  );
}

const classes = new Map<string, MigrationClass>();

/**
 * The init migration class for `prefix` (one class per prefix, cached).
 * @throws WorkflowError (WF_INPUT_INVALID) on an invalid prefix.
 */
export function initMigration(prefix: string = DEFAULT_TABLE_PREFIX): MigrationClass {
  const cached = classes.get(prefix);
  if (cached) return cached;
  tableNames(prefix); // validates the prefix
  const name = initMigrationName(prefix);
  const holder = {
    [name]: class implements MigrationInterface {
      /** TypeORM records this name; the class name is the same. */
      readonly name = name;

      async up(queryRunner: QueryRunner): Promise<void> {
        for (const table of initTables(queryRunner, prefix)) await queryRunner.createTable(table, true);
      }

      async down(queryRunner: QueryRunner): Promise<void> {
        for (const table of initTables(queryRunner, prefix).reverse()) await queryRunner.dropTable(table.name, true);
      }
    },
  };
  const cls = holder[name]!;
  classes.set(prefix, cls);
  return cls;
}

/**
 * The init migration of the default prefix `wm_`, named `WorkflowMasteryInit1700000000000`.
 * Prefer {@link workflowMigrations}, which also covers migrations added in later versions.
 */
export const WorkflowMasteryInit1700000000000: MigrationClass = initMigration(DEFAULT_TABLE_PREFIX);

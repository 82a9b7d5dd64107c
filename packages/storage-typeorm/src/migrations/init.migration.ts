/**
 * The first migration: every table and index, written once with TypeORM's portable `Table` API
 * (column types per database from `column-spec.ts`). Idempotent: tables that exist are left alone.
 */
import type { QueryRunner, Table } from 'typeorm';
import { DEFAULT_TABLE_PREFIX } from '../schema/table-names.js';
import { frozenTables, migrationName, tablesMigration, type FrozenTable, type MigrationClass } from './frozen-tables.js';

export type { MigrationClass } from './frozen-tables.js';

/** Milliseconds that end every name of this migration (TypeORM reads the last 13 digits). */
export const INIT_MIGRATION_TIMESTAMP = 1700000000000;

/**
 * The name recorded in the migrations table: `WorkflowMasteryInit1700000000000` for the default
 * prefix, `WorkflowMasteryInit_<prefix>1700000000000` for others, so neither clashes with the
 * application's own migrations nor with another prefix's.
 */
export function initMigrationName(prefix: string = DEFAULT_TABLE_PREFIX): string {
  return migrationName('Init', INIT_MIGRATION_TIMESTAMP, prefix);
}

/**
 * The schema of version 1, frozen here on purpose: the entity files may change in later versions,
 * each change with a migration of its own; this one must keep creating what it created when
 * released. The `schema in sync` test checks that entities and migrations agree.
 */
const V1: readonly FrozenTable[] = [
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
  return frozenTables(queryRunner, prefix, V1);
}

/**
 * The init migration class for `prefix` (one class per prefix, cached).
 * @throws WorkflowError (WF_INPUT_INVALID) on an invalid prefix.
 */
export function initMigration(prefix: string = DEFAULT_TABLE_PREFIX): MigrationClass {
  return tablesMigration('Init', INIT_MIGRATION_TIMESTAMP, prefix, V1);
}

/**
 * The init migration of the default prefix `wm_`, named `WorkflowMasteryInit1700000000000`.
 * Prefer {@link workflowMigrations}, which also covers migrations added in later versions.
 */
export const WorkflowMasteryInit1700000000000: MigrationClass = initMigration(DEFAULT_TABLE_PREFIX);

/**
 * What every migration of this package is made of: tables described once as frozen data (column
 * kinds from `column-spec.ts`, turned into TypeORM `Table`s per database) and a named migration
 * class per table prefix that creates them if absent and drops them on `down`.
 */
import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { tableColumnOptions, type ColumnKind, type ColumnSpec } from '../entities/column-spec.js';
import { flavorOfType } from '../schema/sql-flavor.js';
import { DEFAULT_TABLE_PREFIX, tableNames, type TableNames } from '../schema/table-names.js';

/** A migration class, as TypeORM's `migrations` option takes it. */
export type MigrationClass = new () => MigrationInterface;

/** One column: its name, kind and options. */
export type FrozenColumn = [name: string, kind: ColumnKind, extra?: Partial<ColumnSpec>];

/** One table as a migration created it when released (never edited afterwards). */
export interface FrozenTable {
  table: keyof Omit<TableNames, 'prefix' | 'migrations'>;
  columns: FrozenColumn[];
  indexes: Array<[suffix: string, columns: string[], unique?: boolean]>;
}

/**
 * The name recorded in the migrations table: `WorkflowMasteryStem<timestamp>` for the default
 * prefix, `WorkflowMasteryStem_<prefix><timestamp>` for others, so neither clashes with the
 * application's own migrations nor with another prefix's (TypeORM reads the last 13 digits).
 */
export function migrationName(stem: string, timestamp: number, prefix: string = DEFAULT_TABLE_PREFIX): string {
  return `WorkflowMastery${stem}${prefix === DEFAULT_TABLE_PREFIX ? '' : `_${prefix}`}${timestamp}`;
}

/** `frozen` as TypeORM tables for `prefix`, for the database `queryRunner` talks to. */
export function frozenTables(queryRunner: QueryRunner, prefix: string, frozen: readonly FrozenTable[]): Table[] {
  const flavor = flavorOfType(String(queryRunner.connection.driver.options.type));
  const names = tableNames(prefix);
  return frozen.map(
    (t) =>
      new Table({
        name: names[t.table],
        columns: t.columns.map(([name, kind, extra]) => tableColumnOptions({ property: name, name, kind, ...extra }, flavor)),
        indices: t.indexes.map(([suffix, columnNames, unique]) => new TableIndex({ name: `${prefix}${suffix}`, columnNames, isUnique: unique === true })),
      }),
  );
}

const classes = new Map<string, MigrationClass>();

/** What a migration does, given the database it runs on. */
export interface MigrationSteps {
  up(queryRunner: QueryRunner): Promise<void>;
  down(queryRunner: QueryRunner): Promise<void>;
}

/**
 * The migration class named {@link migrationName} that runs `steps`; one class per name, cached
 * (TypeORM records the name; the class name is the same).
 * @throws WorkflowError (WF_INPUT_INVALID) on an invalid prefix.
 */
export function namedMigration(stem: string, timestamp: number, prefix: string, steps: MigrationSteps): MigrationClass {
  tableNames(prefix); // validates the prefix
  const name = migrationName(stem, timestamp, prefix);
  const cached = classes.get(name);
  if (cached) return cached;
  const holder = {
    [name]: class implements MigrationInterface {
      readonly name = name;
      up(queryRunner: QueryRunner): Promise<void> {
        return steps.up(queryRunner);
      }
      down(queryRunner: QueryRunner): Promise<void> {
        return steps.down(queryRunner);
      }
    },
  };
  const cls = holder[name]!;
  classes.set(name, cls);
  return cls;
}

/**
 * The migration class named {@link migrationName} that creates `frozen` (tables that exist are left
 * alone, so it is idempotent) and drops them on `down`; one class per name, cached.
 * @throws WorkflowError (WF_INPUT_INVALID) on an invalid prefix.
 */
export function tablesMigration(stem: string, timestamp: number, prefix: string, frozen: readonly FrozenTable[]): MigrationClass {
  return namedMigration(stem, timestamp, prefix, {
    async up(queryRunner) {
      for (const table of frozenTables(queryRunner, prefix, frozen)) await queryRunner.createTable(table, true);
    },
    async down(queryRunner) {
      for (const table of frozenTables(queryRunner, prefix, frozen).reverse()) await queryRunner.dropTable(table.name, true);
    },
  });
}

/**
 * One description of every column, turned into both TypeORM column options (the entities) and
 * `TableColumn` options (the migration), per database. Entities and schema therefore agree, and
 * TypeORM's schema diff (`migration:generate`, `synchronize`) finds nothing to change.
 *
 * Ids compare and sort byte-wise on every database (`COLLATE "C"`, `utf8mb4_bin`, SQLite's BINARY):
 * ids differing in case or accents stay distinct, and list order and cursors agree with
 * JavaScript's string order. JSON is LONGTEXT on MySQL (TEXT stops at 64 KiB).
 */
import type { ColumnOptions, TableColumnOptions, ValueTransformer } from 'typeorm';
import type { SqlFlavor } from '../schema/sql-flavor.js';

/** `generic`: plain types without collation, for a DataSource whose type was not given. */
export type EntityFlavor = SqlFlavor | 'generic';

/** Longest instance id, step id, timer id, idempotency key or owner name. */
export const ID_LENGTH = 255;

/** What a column holds. */
export type ColumnKind = 'id' | 'int' | 'bigint' | 'smallint' | 'json';

/** One column of an entity and of its table. */
export interface ColumnSpec {
  /** Property of the entity class. */
  property: string;
  /** snake_case column name. */
  name: string;
  kind: ColumnKind;
  /** For `id`. @defaultValue 255 */
  length?: number;
  nullable?: boolean;
  primary?: boolean;
}

/** One index, named `<prefix><suffix>`. */
export interface IndexSpec {
  suffix: string;
  properties: string[];
  unique?: boolean;
  /**
   * A partial index of the rows where this column is not null, on PostgreSQL and SQLite (MariaDB
   * has no partial indexes: a full one there). Rows without a value cost no index entry.
   */
  whereNotNull?: string;
}

/** The `where` of a partial index of `index` on `flavor`, when it has one there. */
export function partialIndexWhere(index: IndexSpec, flavor: EntityFlavor): string | undefined {
  if (index.whereNotNull === undefined || (flavor !== 'postgres' && flavor !== 'sqlite')) return undefined;
  return `"${index.whereNotNull}" IS NOT NULL`;
}

/** BIGINT comes back as a string from pg and mysql2; epoch milliseconds fit a double exactly. */
export const epochMsTransformer: ValueTransformer = {
  to: (value: unknown) => value,
  from: (value: unknown) => (value === null || value === undefined ? value : Number(value)),
};

function binary(flavor: EntityFlavor): { charset?: string; collation?: string } {
  if (flavor === 'postgres') return { collation: 'C' };
  if (flavor === 'mysql') return { charset: 'utf8mb4', collation: 'utf8mb4_bin' };
  return {};
}

function sqlType(spec: ColumnSpec, flavor: EntityFlavor): string {
  switch (spec.kind) {
    case 'id':
      return 'varchar';
    case 'int':
      return flavor === 'mysql' ? 'int' : 'integer';
    case 'bigint':
      return 'bigint';
    case 'smallint':
      return 'smallint';
    case 'json':
      return flavor === 'mysql' ? 'longtext' : 'text';
  }
}

function textOptions(spec: ColumnSpec, flavor: EntityFlavor): { charset?: string; collation?: string } {
  return spec.kind === 'id' || (spec.kind === 'json' && flavor === 'mysql') ? binary(flavor) : {};
}

/** Options of the entity column. */
export function entityColumnOptions(spec: ColumnSpec, flavor: EntityFlavor): ColumnOptions {
  return {
    name: spec.name,
    type: sqlType(spec, flavor) as ColumnOptions['type'],
    nullable: spec.nullable === true,
    ...(spec.kind === 'id' ? { length: spec.length ?? ID_LENGTH } : {}),
    ...(spec.kind === 'bigint' ? { transformer: epochMsTransformer } : {}),
    ...textOptions(spec, flavor),
  };
}

/** Options of the migration's table column. */
export function tableColumnOptions(spec: ColumnSpec, flavor: EntityFlavor): TableColumnOptions {
  return {
    name: spec.name,
    type: sqlType(spec, flavor),
    isNullable: spec.nullable === true,
    isPrimary: spec.primary === true,
    ...(spec.kind === 'id' ? { length: String(spec.length ?? ID_LENGTH) } : {}),
    ...textOptions(spec, flavor),
  };
}

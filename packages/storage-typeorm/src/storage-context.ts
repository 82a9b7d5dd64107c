/** What the query modules need to know about one storage: dialect, entities, names, limits. */
import type { DataSource } from 'typeorm';
import type { WorkflowEntitySet } from './entities/workflow-entities.js';
import type { SqlFlavor } from './schema/sql-flavor.js';
import type { TableNames } from './schema/table-names.js';

/** Shared, read-only state of a {@link TypeOrmStorage}. */
export interface StorageContext {
  readonly dataSource: DataSource;
  readonly flavor: SqlFlavor;
  /** Settled on `init()`: the set the DataSource lists. */
  entities: WorkflowEntitySet;
  readonly names: TableNames;
  readonly maxPayloadBytes: number;
  /** Quotes a column name for the dialect. */
  readonly col: (name: string) => string;
}

/** Rows per multi-row INSERT and items per IN list: far below every driver's parameter limit. */
export const CHUNK = 400;

/** `items` in slices of `size`. */
export function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

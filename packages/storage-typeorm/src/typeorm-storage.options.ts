/** Options of {@link TypeOrmStorage}. */
import { ErrorCode, WorkflowError } from '@workflow-mastery/core';
import type { DataSource } from 'typeorm';
import type { SupportedType } from './schema/sql-flavor.js';

/** Options common to both ways of opening a {@link TypeOrmStorage}. */
export interface TypeOrmStorageCommonOptions {
  /**
   * Prefix of every table and index name: 1-24 characters of `[a-z0-9_]`. Several prefixes can
   * share a database (and a DataSource).
   * @defaultValue `wm_`
   */
  tablePrefix?: string;
  /**
   * Largest JSON of a record (or of one event's data), in UTF-8 bytes. A bigger one is refused with
   * a `PayloadTooLargeError` (code `WF_PAYLOAD_TOO_LARGE`) and nothing is written.
   * @defaultValue 1 MiB (1048576)
   */
  maxPayloadBytes?: number;
  /**
   * Run the migrations on `init()`. With your own DataSource this runs every pending migration it
   * lists (include `workflowMigrations(prefix)` there).
   * @defaultValue true when the storage creates the DataSource, false with your own
   */
  runMigrations?: boolean;
  /**
   * SQLite file in WAL mode: who copies the WAL into the database file. `background`: a worker
   * thread with its own connection, shortly after writes (passive checkpoints, never blocking the
   * engine's thread); `inline`: SQLite's automatic checkpoint inside the COMMIT that fills
   * `wal_autocheckpoint` pages, on the engine's thread. @defaultValue `background`
   */
  sqliteCheckpoints?: 'background' | 'inline';
  /**
   * SQLite `synchronous` of the connection. `normal` (better-sqlite3's default in WAL mode): a
   * commit survives a crash of the process, and the WAL is synced at checkpoints, so a power loss
   * or an OS crash may lose the last commits. `full`: the WAL is synced at every commit (durable
   * across power loss; slower). Unset leaves the connection as it is.
   */
  sqliteSynchronous?: 'normal' | 'full';
}

/** Use a DataSource you own: it must list `workflowEntities(prefix)`; we never destroy it. */
export interface TypeOrmStorageDataSourceOptions extends TypeOrmStorageCommonOptions {
  dataSource: DataSource;
}

/** Let the storage create (and on `close()` destroy) its DataSource. */
export interface TypeOrmStorageConnectionOptions extends TypeOrmStorageCommonOptions {
  type: SupportedType;
  /** `postgres://user@host:5432/db` or `mysql://user@host:3306/db`. */
  url?: string;
  host?: string;
  port?: number;
  username?: string;
  password?: string;
  /** The database name; for better-sqlite3 the file path, or `:memory:`. @defaultValue `:memory:` for better-sqlite3 */
  database?: string;
  /**
   * PostgreSQL `application_name` of the connections (to find them in `pg_stat_activity`).
   * @defaultValue `workflow-mastery`
   */
  applicationName?: string;
  /** Connections in the pool (PostgreSQL, MySQL). @defaultValue the driver's (10) */
  poolSize?: number;
  /** SQLite: how long to wait for another process's write lock, in ms. @defaultValue 5000 */
  busyTimeoutMs?: number;
  /** Log every query. @defaultValue false */
  logging?: boolean;
  /** Driver options passed through as TypeORM's `extra` (e.g. `ssl`, timeouts). */
  extra?: Record<string, unknown>;
}

/** Options of {@link TypeOrmStorage}: your own DataSource, or what to connect to. */
export type TypeOrmStorageOptions = TypeOrmStorageDataSourceOptions | TypeOrmStorageConnectionOptions;

/** Default of {@link TypeOrmStorageCommonOptions.maxPayloadBytes}. */
export const DEFAULT_MAX_PAYLOAD_BYTES = 1_048_576;

/** `value` when it is one of `allowed`. @throws WorkflowError (WF_INPUT_INVALID) naming the option. */
export function oneOf<T extends string>(name: string, value: T, allowed: readonly T[]): T {
  if (allowed.includes(value)) return value;
  throw new WorkflowError(ErrorCode.InputInvalid, `${name} must be ${allowed.map((a) => `"${a}"`).join(' or ')}; got ${JSON.stringify(value)}.`, { [name]: value });
}

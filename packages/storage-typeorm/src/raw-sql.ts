/**
 * The hot path without TypeORM's query builders: parameterized SQL sent straight to the driver
 * (node-postgres named statements, prepared once per connection; better-sqlite3 statements cached
 * per connection; mysql2 through the DataSource), for the reads the engine does before every
 * decision and the writes of a batch.
 */
import type { DataSource } from 'typeorm';
import { ErrorCode, WorkflowError } from '@workflow-mastery/core';
import type { PgPool } from './pg-batch.js';
import { prepared, type SqliteDatabase } from './sqlite-batch.js';
import type { StorageContext } from './storage-context.js';

/** Rows of a raw query. */
export type RawRows = Array<Record<string, unknown>>;

/** Runs `text` (with `?` placeholders, or `$n` on PostgreSQL) and returns its rows. */
export type RawQuery = (name: string, text: string, params: unknown[]) => Promise<RawRows>;

/** The node-postgres pool of a TypeORM PostgreSQL DataSource. */
export function pgPoolOf(dataSource: DataSource): PgPool {
  const pool = (dataSource.driver as unknown as { master?: PgPool }).master;
  if (!pool) throw new WorkflowError(ErrorCode.StorageUnavailable, 'The PostgreSQL DataSource has no connection pool; initialize it first.');
  return pool;
}

/** The better-sqlite3 connection of a TypeORM better-sqlite3 DataSource. */
export function sqliteDatabaseOf(dataSource: DataSource): SqliteDatabase {
  const db = (dataSource.driver as unknown as { databaseConnection?: SqliteDatabase }).databaseConnection;
  if (!db) throw new WorkflowError(ErrorCode.StorageUnavailable, 'The better-sqlite3 DataSource has no connection; initialize it first.');
  return db;
}

/** A {@link RawQuery} for the DataSource of `ctx` (call after it is initialized). */
export function rawQuery(ctx: StorageContext): RawQuery {
  if (ctx.flavor === 'postgres') {
    const pool = pgPoolOf(ctx.dataSource);
    return async (name, text, params) => (await pool.query({ name: `${name}_${ctx.names.prefix}`, text, values: params })).rows;
  }
  if (ctx.flavor === 'sqlite') {
    const db = sqliteDatabaseOf(ctx.dataSource);
    return (_name, text, params) => Promise.resolve(prepared(db, text).all(...params) as RawRows);
  }
  return (_name, text, params) => ctx.dataSource.query(text, params) as Promise<RawRows>;
}

/** SQL of the raw reads, for the tables and dialect of `ctx`. */
export interface RawReadSql {
  byId: string;
  byKey: string;
  /** Version and seq of one instance. */
  version: string;
  /** The rows of several ids (`$1` an array on PostgreSQL; `count` placeholders elsewhere). */
  byIds(count: number): string;
}

/** The raw reads' SQL for `ctx`. */
export function rawReadSql(ctx: StorageContext): RawReadSql {
  const n = ctx.names;
  const q = (name: string): string => ctx.col(name);
  const p = ctx.flavor === 'postgres' ? '$1' : '?';
  const table = (name: string): string => ctx.dataSource.driver.escape(name);
  return {
    byId: `SELECT ${q('id')} AS id, ${q('version')} AS version, ${q('record')} AS record FROM ${table(n.instances)} WHERE ${q('id')} = ${p}`,
    byKey: `SELECT ${q('id')} AS id, ${q('version')} AS version, ${q('record')} AS record FROM ${table(n.instances)} WHERE ${q('idempotency_key')} = ${p}`,
    version: `SELECT ${q('version')} AS version, ${q('seq')} AS seq FROM ${table(n.instances)} WHERE ${q('id')} = ${p}`,
    byIds: (count) =>
      `SELECT ${q('id')} AS id, ${q('version')} AS version, ${q('record')} AS record FROM ${table(n.instances)} WHERE ${q('id')} ` +
      (ctx.flavor === 'postgres' ? '= ANY($1::varchar[])' : `IN (${new Array(count).fill('?').join(', ')})`),
  };
}

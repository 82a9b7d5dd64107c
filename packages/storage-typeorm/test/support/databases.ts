/**
 * The databases of the integration suites: where they are (WM_PG_URL, WM_MYSQL_URL), whether they
 * answer (on CI a missing one fails the suite; locally it is skipped with a warning), unique table
 * prefixes per suite (files run in parallel) and an admin connection to clean up.
 */
import { describe } from '@jest/globals';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { TypeOrmStorage, type TypeOrmStorageOptions } from '../../src/index.js';

/** PostgreSQL of the tests. */
export const PG_URL = process.env.WM_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/** MariaDB/MySQL of the tests. */
export const MYSQL_URL = process.env.WM_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';

/** A server database of the suites. */
export type ServerKind = 'postgres' | 'mariadb';

const HOW_TO_START: Record<ServerKind, string> = {
  postgres:
    'start PostgreSQL (e.g. `sudo service postgresql start`, or `docker run -d -p 5432:5432 -e POSTGRES_HOST_AUTH_METHOD=trust -e POSTGRES_DB=test postgres:16`) or point WM_PG_URL at one',
  mariadb:
    'start MariaDB (e.g. `sudo service mariadb start`, or `docker run -d -p 3306:3306 -e MARIADB_ALLOW_EMPTY_ROOT_PASSWORD=1 -e MARIADB_DATABASE=test mariadb:11`) or point WM_MYSQL_URL at one',
};

/** Something that runs SQL on a server outside the storage under test. */
export interface AdminConnection {
  query(sql: string, params?: unknown[]): Promise<Array<Record<string, unknown>>>;
  close(): Promise<void>;
}

/** A connection for set-up and clean-up. */
export async function adminConnection(kind: ServerKind): Promise<AdminConnection> {
  if (kind === 'postgres') {
    const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000, application_name: 'wm-test-admin' });
    await client.connect();
    return {
      query: async (sql, params) => (await client.query(sql, params)).rows as Array<Record<string, unknown>>,
      close: () => client.end(),
    };
  }
  const connection = await mysql.createConnection({ uri: MYSQL_URL, connectTimeout: 3000 });
  return {
    query: async (sql, params) => {
      const [rows] = await connection.query(sql, params);
      return (Array.isArray(rows) ? rows : []) as Array<Record<string, unknown>>;
    },
    close: () => connection.end(),
  };
}

/**
 * True when `kind` answers. When it does not: throws on CI (`CI` set), so the suite fails naming
 * the service; otherwise warns and returns false, so the suite is skipped.
 */
export async function serverAvailable(kind: ServerKind): Promise<boolean> {
  try {
    const admin = await adminConnection(kind);
    await admin.query('SELECT 1');
    await admin.close();
    return true;
  } catch (error) {
    const url = kind === 'postgres' ? PG_URL : MYSQL_URL;
    const message = `${kind} is not reachable at ${url} (${(error as Error).message}): ${HOW_TO_START[kind]}.`;
    if (process.env.CI) throw new Error(`${message} CI is set, so this suite fails instead of being skipped.`);
    // stderr directly: Jest drops console output of a file whose tests are all skipped.
    process.stderr.write(`\n[storage-typeorm] Skipping the ${kind} tests: ${message}\n`);
    return false;
  }
}

/** `describe`, or `describe.skip` when the database is not there. */
export function describeIf(available: boolean): typeof describe {
  return available ? describe : (describe.skip as typeof describe);
}

/** A table prefix no other suite or run uses: `t_<tag>_<random>_`. */
export function uniquePrefix(tag: string): string {
  return `t_${tag}_${Math.random().toString(36).slice(2, 7)}_`.slice(0, 24);
}

/** The options that open `kind` with `prefix`. */
export function storageOptions(kind: ServerKind, prefix: string, extra: Partial<TypeOrmStorageOptions> = {}): TypeOrmStorageOptions {
  return kind === 'postgres'
    ? { type: 'postgres', url: PG_URL, tablePrefix: prefix, poolSize: 5, ...extra }
    : { type: 'mariadb', url: MYSQL_URL, tablePrefix: prefix, poolSize: 5, ...extra };
}

/** A storage on `kind` with `prefix`. */
export function serverStorage(kind: ServerKind, prefix: string, extra: Partial<TypeOrmStorageOptions> = {}): TypeOrmStorage {
  return new TypeOrmStorage(storageOptions(kind, prefix, extra) as TypeOrmStorageOptions);
}

/** `_` is a LIKE wildcard: match the prefix literally. */
function likePrefix(prefix: string): string {
  return `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Names of the tables starting with `prefix`. */
export async function tablesWithPrefix(admin: AdminConnection, kind: ServerKind, prefix: string): Promise<string[]> {
  const rows =
    kind === 'postgres'
      ? await admin.query("SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() AND tablename LIKE $1", [likePrefix(prefix)])
      : await admin.query('SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name LIKE ?', [likePrefix(prefix)]);
  return rows.map((r) => String(r.name ?? r.NAME));
}

/** Drops every table starting with `prefix`. */
export async function dropTables(admin: AdminConnection, kind: ServerKind, prefix: string): Promise<void> {
  const tables = await tablesWithPrefix(admin, kind, prefix);
  if (tables.length === 0) return;
  const quote = (t: string): string => (kind === 'postgres' ? `"${t}"` : `\`${t}\``);
  await admin.query(`DROP TABLE IF EXISTS ${tables.map(quote).join(', ')}`);
}

/** Empties the workflow tables of `prefix` (keeps the migrations table); no-op before they exist. */
export async function emptyTables(admin: AdminConnection, kind: ServerKind, prefix: string): Promise<void> {
  const tables = (await tablesWithPrefix(admin, kind, prefix)).filter((t) => t !== `${prefix}migrations`);
  for (const table of tables) await admin.query(`DELETE FROM ${kind === 'postgres' ? `"${table}"` : `\`${table}\``}`);
}

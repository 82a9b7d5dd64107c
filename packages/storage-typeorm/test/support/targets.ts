/**
 * The databases a behaviour is checked on: SQLite always, PostgreSQL and MariaDB when they answer.
 * Each target opens storages on a table prefix, runs raw SQL beside them, and cleans up.
 */
import { TypeOrmStorage, type TypeOrmStorageOptions } from '../../src/index.js';
import { adminConnection, dropTables, serverAvailable, storageOptions, type AdminConnection, type ServerKind } from './databases.js';
import { SqliteFiles } from './sqlite-files.js';

/** Where a test runs. */
export interface Target {
  readonly name: 'sqlite' | ServerKind;
  /** Options of a storage on this database with `prefix`. */
  options(prefix: string, extra?: Partial<TypeOrmStorageOptions>): TypeOrmStorageOptions;
  /** `$1` on PostgreSQL, `?` elsewhere. */
  param(index: number): string;
  /** Quotes an identifier. */
  quote(name: string): string;
  /** Drops the tables of the prefixes used, closes connections, removes files. */
  cleanup(): Promise<void>;
}

const opened = new Set<TypeOrmStorage>();

/** A storage on `target`, closed by {@link closeStorages} if the test does not close it. */
export function openStorage(target: Target, prefix: string, extra: Partial<TypeOrmStorageOptions> = {}): TypeOrmStorage {
  const storage = new TypeOrmStorage(target.options(prefix, extra));
  opened.add(storage);
  return storage;
}

/** Closes every storage {@link openStorage} opened (a failed test leaves its pools open otherwise). */
export async function closeStorages(): Promise<void> {
  const all = [...opened];
  opened.clear();
  await Promise.allSettled(all.map((s) => s.close()));
}

/** SQLite: one file per prefix in a temp directory. */
function sqliteTarget(): Target {
  const files = new SqliteFiles();
  const byPrefix = new Map<string, string>();
  return {
    name: 'sqlite',
    options: (prefix, extra = {}) => {
      let file = byPrefix.get(prefix);
      if (!file) byPrefix.set(prefix, (file = files.next()));
      return { type: 'better-sqlite3', database: file, tablePrefix: prefix, ...extra } as TypeOrmStorageOptions;
    },
    param: () => '?',
    quote: (name) => `"${name}"`,
    cleanup: async () => files.remove(),
  };
}

/** A server database; remembers the prefixes it handed out to drop them. */
function serverTarget(kind: ServerKind, admin: AdminConnection): Target {
  const prefixes = new Set<string>();
  return {
    name: kind,
    options: (prefix, extra = {}) => {
      prefixes.add(prefix);
      return storageOptions(kind, prefix, extra);
    },
    param: (index) => (kind === 'postgres' ? `$${index}` : '?'),
    quote: (name) => (kind === 'postgres' ? `"${name}"` : `\`${name}\``),
    cleanup: async () => {
      for (const prefix of prefixes) await dropTables(admin, kind, prefix);
      await admin.close();
    },
  };
}

/** SQLite plus every server database that answers (see `serverAvailable` for CI). */
export async function availableTargets(servers: ServerKind[] = ['postgres', 'mariadb']): Promise<Target[]> {
  const targets: Target[] = [sqliteTarget()];
  for (const kind of servers) {
    if (await serverAvailable(kind)) targets.push(serverTarget(kind, await adminConnection(kind)));
  }
  return targets;
}

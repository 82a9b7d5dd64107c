/** Builds the storage a {@link DatabaseSpec} names. */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { FileStorage, MemoryStorage, type StorageAdapter } from '@workflow-mastery/core';
import type { DatabaseSpec } from './database-url.js';

/** Options of {@link openStorage}. */
export interface OpenStorageOptions {
  /** Table prefix of the SQL storages. @defaultValue TypeOrmStorage's (`wm_`) */
  tablePrefix?: string;
}

/**
 * A storage for `spec` (not yet initialized: the engine or `migrate` calls `init()`). SQLite files get
 * their folder created. TypeORM and its drivers are loaded only for the SQL storages, so that
 * commands on other storages (and `--help`) start fast.
 */
export async function openStorage(spec: DatabaseSpec, options: OpenStorageOptions = {}): Promise<StorageAdapter> {
  if (spec.kind === 'file') return new FileStorage({ directory: spec.directory });
  if (spec.kind === 'memory') return new MemoryStorage();
  const { TypeOrmStorage } = await import('@workflow-mastery/storage-typeorm');
  const prefix = options.tablePrefix !== undefined ? { tablePrefix: options.tablePrefix } : {};
  switch (spec.kind) {
    case 'sqlite':
      if (spec.file !== ':memory:') mkdirSync(path.dirname(spec.file), { recursive: true });
      return new TypeOrmStorage({ type: 'better-sqlite3', database: spec.file, ...prefix });
    case 'postgres':
      return new TypeOrmStorage({ type: 'postgres', url: spec.url, applicationName: 'workflow-mastery-cli', ...prefix });
    case 'mysql':
    case 'mariadb':
      return new TypeOrmStorage({ type: spec.kind, url: spec.url, ...prefix });
  }
}

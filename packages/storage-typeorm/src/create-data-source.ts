/** The DataSource a {@link TypeOrmStorage} creates for itself when not handed one. */
import { DataSource, type DataSourceOptions } from 'typeorm';
import { workflowEntities } from './entities/workflow-entities.js';
import { workflowMigrations } from './migrations/workflow-migrations.js';
import { flavorOfType } from './schema/sql-flavor.js';
import { tableNames } from './schema/table-names.js';
import type { TypeOrmStorageConnectionOptions } from './typeorm-storage.options.js';

/**
 * A DataSource with our entities and migrations only, recording migrations in
 * `<prefix>migrations`. SQLite files get WAL and a busy timeout; MySQL connections speak utf8mb4.
 */
export function createDataSource(options: TypeOrmStorageConnectionOptions, prefix: string): DataSource {
  const flavor = flavorOfType(options.type);
  const common = {
    entities: workflowEntities(prefix, options.type),
    migrations: workflowMigrations(prefix),
    migrationsTableName: tableNames(prefix).migrations,
    migrationsTransactionMode: 'each' as const,
    synchronize: false,
    logging: options.logging ?? false,
    ...(options.extra ? { extra: options.extra } : {}),
  };
  const credentials = {
    ...(options.url !== undefined ? { url: options.url } : {}),
    ...(options.host !== undefined ? { host: options.host } : {}),
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.username !== undefined ? { username: options.username } : {}),
    ...(options.password !== undefined ? { password: options.password } : {}),
    ...(options.database !== undefined ? { database: options.database } : {}),
    ...(options.poolSize !== undefined ? { poolSize: options.poolSize } : {}),
  };
  let dataSourceOptions: DataSourceOptions;
  if (flavor === 'sqlite') {
    const database = options.database ?? ':memory:';
    dataSourceOptions = {
      ...common,
      type: 'better-sqlite3',
      database,
      enableWAL: database !== ':memory:',
      timeout: options.busyTimeoutMs ?? 5000,
    };
  } else if (flavor === 'postgres') {
    dataSourceOptions = { ...common, ...credentials, type: 'postgres', applicationName: options.applicationName ?? 'workflow-mastery' };
  } else {
    dataSourceOptions = { ...common, ...credentials, type: options.type as 'mysql' | 'mariadb', charset: 'utf8mb4' };
  }
  return new DataSource(dataSourceOptions);
}

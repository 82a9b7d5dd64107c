/** Where the distributed sample's processes find PostgreSQL and Redis, from the environment. */

/** Settings shared by the API and worker processes. */
export interface DistributedConfig {
  /** PostgreSQL holding workflow state and the demo's side-effect ledger. */
  databaseUrl: string;
  /** Redis behind the BullMQ queues. */
  redisUrl: string;
  /** BullMQ queue name. */
  queue: string;
  /** Prefix of the workflow tables (and of the ledger's). */
  tablePrefix: string;
}

/** `DATABASE_URL`, `REDIS_URL`, `WM_QUEUE`, `WM_TABLE_PREFIX`, with local defaults. */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): DistributedConfig {
  const tablePrefix = env.WM_TABLE_PREFIX ?? 'wm_dist_';
  if (!/^[a-z][a-z0-9_]*$/.test(tablePrefix)) {
    throw new Error(`WM_TABLE_PREFIX must be lower-case letters, digits and "_", starting with a letter (got "${tablePrefix}").`);
  }
  return {
    databaseUrl: env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    redisUrl: env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    queue: env.WM_QUEUE ?? 'orders',
    tablePrefix,
  };
}

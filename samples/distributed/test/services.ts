/**
 * PostgreSQL and Redis for the distributed tests: unique table prefixes and queue names per run,
 * a Redis database of their own (FLUSHDB there touches no other suite). Without the services the
 * suite is skipped with a warning, except on CI (CI set), where it fails.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { describe, it } from '@jest/globals';
import { Redis } from 'ioredis';
import pg from 'pg';

export const PG_URL = process.env.WM_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_BASE = process.env.WM_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** What is missing, or undefined when PostgreSQL, Redis and the built sample are all there. */
export async function missing(): Promise<string | undefined> {
  if (!existsSync(path.join(import.meta.dirname, '..', 'dist', 'worker.js'))) return 'the built sample (run `npm run build` first; `npm test` does)';
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    return `PostgreSQL at ${PG_URL} (${(error as Error).message}); start it or set WM_PG_URL`;
  } finally {
    await client.end().catch(() => undefined);
  }
  const redis = new Redis(REDIS_BASE, { lazyConnect: true, connectTimeout: 2000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    return `Redis at ${REDIS_BASE} (${(error as Error).message}); start it or set WM_REDIS_URL`;
  } finally {
    redis.disconnect();
  }
  return undefined;
}

/** `describe` when everything is there; a failing test on CI; skipped with a warning elsewhere. */
export function describeWithServices(name: string, lack: string | undefined, body: () => void): void {
  if (!lack) describe(name, body);
  else if (process.env.CI) {
    describe(name, () => {
      it('needs PostgreSQL and Redis', () => {
        throw new Error(`Missing ${lack}. CI is set, so this suite fails instead of being skipped.`);
      });
    });
  } else {
    console.warn(`Missing ${lack}: skipping "${name}" (on CI it fails).`);
    describe.skip(name, body);
  }
}

/** Table prefix, queue and Redis URL of one test run. */
export function runEnv(db: number): { WM_TABLE_PREFIX: string; WM_QUEUE: string; REDIS_URL: string; DATABASE_URL: string } {
  const id = randomUUID().replace(/-/g, '').slice(0, 8);
  return { WM_TABLE_PREFIX: `wm_dt${id}_`, WM_QUEUE: `orders-${id}`, REDIS_URL: `${REDIS_BASE}/${db}`, DATABASE_URL: PG_URL };
}

/** Drop every table of a run. */
export async function dropRun(prefix: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ tablename: string }>(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE $1`, [`${prefix.replace(/_/g, '\\_')}%`]);
    for (const { tablename } of rows) await client.query(`DROP TABLE IF EXISTS "${tablename}" CASCADE`);
  } finally {
    await client.end();
  }
}

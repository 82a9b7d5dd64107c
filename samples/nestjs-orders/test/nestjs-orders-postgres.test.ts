/**
 * The NestJS orders sample on PostgreSQL (DATABASE_URL), end to end over real HTTP: the demo's
 * orders all end as planned. Without PostgreSQL the suite is skipped with a warning, except on CI.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { scaledClock } from '@workflow-mastery/core';
import { runDemo } from '../src/demo.js';
import { startServer } from '../src/server.js';
import { storageFromEnv } from '../src/storage.js';

const PG_URL = process.env.WM_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const prefix = `wm_nest${randomUUID().replace(/-/g, '').slice(0, 6)}_`;

async function reachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    return true;
  } catch (error) {
    const message = `PostgreSQL at ${PG_URL} is not reachable (${(error as Error).message})`;
    if (process.env.CI) throw new Error(`${message}; CI is set, so this suite fails instead of being skipped.`);
    console.warn(`${message}: skipping the NestJS orders PostgreSQL suite`);
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

const up = await reachable();

afterAll(async () => {
  if (!up) return;
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  const { rows } = await client.query<{ tablename: string }>(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE $1`, [`${prefix.replace(/_/g, '\\_')}%`]);
  for (const { tablename } of rows) await client.query(`DROP TABLE IF EXISTS "${tablename}" CASCADE`);
  await client.end();
});

(up ? describe : describe.skip)('NestJS orders sample on PostgreSQL', () => {
  it('DATABASE_URL selects PostgreSQL, and the demo orders all end as planned', async () => {
    const { storage, description } = storageFromEnv({ DATABASE_URL: PG_URL, WM_TABLE_PREFIX: prefix });
    expect(description).toMatch(/^PostgreSQL/);
    const server = await startServer({ storage, clock: scaledClock(1000), logger: false });
    try {
      expect(await runDemo(server.url, () => undefined)).toBe(true);
    } finally {
      await server.close();
    }
  }, 60_000);
});

/** PostgreSQL of the CLI tests: reachable, or (on CI) a failure naming it. */
import pg from 'pg';

/** Where the tests find PostgreSQL. */
export const PG_URL = process.env.WM_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * True when PostgreSQL answers. When it does not: throws with CI=true (the suite must fail, not skip);
 * locally, warns and returns false so the test is skipped.
 */
export async function postgresAvailable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch (error) {
    const message = `PostgreSQL at ${PG_URL} is not reachable (${(error as Error).message}); start it or set WM_PG_URL`;
    if (process.env.CI === 'true') throw new Error(message);
    console.warn(`${message}: skipping`);
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Run `sql` on the test database. */
export async function pgQuery(sql: string, params: unknown[] = []): Promise<Array<Record<string, unknown>>> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as Array<Record<string, unknown>>;
  } finally {
    await client.end();
  }
}

/** Drop every table of the public schema whose name starts with `prefix` (a test's own tables). */
export async function dropTables(prefix: string): Promise<void> {
  const rows = await pgQuery(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE $1`, [`${prefix.replace(/_/g, '\\_')}%`]);
  for (const r of rows) await pgQuery(`DROP TABLE IF EXISTS "${String(r.tablename)}" CASCADE`);
}

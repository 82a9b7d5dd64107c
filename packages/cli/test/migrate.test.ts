import { afterAll, describe, expect, it, jest } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { json, runCli, tempDatabase } from './support/cli-process.js';
import { dropTables, PG_URL, pgQuery, postgresAvailable } from './support/postgres.js';

// Every test runs the CLI as child processes (about half a second each).
jest.setTimeout(60_000);

interface MigrateResult {
  database: string;
  tablePrefix: string;
  applied: string[];
  executed: string[];
  upToDate: boolean;
}

describe('migrate', () => {
  const db = tempDatabase();
  afterAll(() => db.remove());

  it('creates the tables of a new SQLite file, then finds it up to date', async () => {
    const env = { WORKFLOW_DATABASE_URL: db.url };
    const first = await runCli(['migrate'], env);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/✔ applied WorkflowMastery\w+/);
    expect(first.stdout).toContain('tables wm_* ready');
    const second = json<MigrateResult>(await runCli(['migrate', '--json'], env));
    expect(second).toMatchObject({ applied: [], upToDate: true, tablePrefix: 'wm_' });
    expect(second.executed.length).toBeGreaterThan(0);
    // The migrated file is usable at once.
    expect((await runCli(['list', '--json'], env)).code).toBe(0);
  });

  it('migrates PostgreSQL under its own table prefix (and cleans up)', async () => {
    if (!(await postgresAvailable())) return;
    const prefix = `cli_${randomBytes(4).toString('hex')}_`;
    const env = { WORKFLOW_DATABASE_URL: PG_URL, WORKFLOW_TABLE_PREFIX: prefix };
    try {
      const first = json<MigrateResult>(await runCli(['migrate', '--json'], env));
      expect(first.applied).toEqual([`WorkflowMasteryInit_${prefix}1700000000000`, `WorkflowMasteryDefinitions_${prefix}1796342400000`, `WorkflowMasteryRetention_${prefix}1796428800000`, `WorkflowMasteryLeanRows_${prefix}1796515200000`]);
      expect(first.database).toMatch(/^PostgreSQL 127\.0\.0\.1:5432\/test$|^PostgreSQL /);
      const tables = await pgQuery(`SELECT tablename FROM pg_tables WHERE tablename LIKE $1 ORDER BY tablename`, [`${prefix}%`]);
      expect(tables.map((t) => t.tablename)).toEqual(
        expect.arrayContaining([`${prefix}instances`, `${prefix}events`, `${prefix}definitions`, `${prefix}migrations`]),
      );
      const again = await runCli(['migrate'], env);
      expect(again.code).toBe(0);
      expect(again.stdout).toContain('already up to date');
    } finally {
      await dropTables(prefix);
    }
  });
});

/**
 * `storage: { type: 'typeorm', dataSource: DataSource }` on PostgreSQL through the real
 * `@nestjs/typeorm`: the workflow tables (a prefix of this run) migrated by TypeOrmModule, the
 * instances stored there and read back by a second app after the first one closed.
 * Needs PostgreSQL at WM_PG_URL (default postgres://postgres@127.0.0.1:5432/test): skipped with a
 * warning when it does not answer, failed on CI.
 */
import 'reflect-metadata';
import { afterAll, describe, expect, it } from '@jest/globals';
import { TypeOrmModule } from '@nestjs/typeorm';
import { WorkflowEngine } from '@workflow-mastery/core';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { WorkflowModule } from '../src/index.js';
import { orderWorkflow } from './fixtures.js';
import { runOrder, startApp, workflowDataSourceOptions } from './typeorm-app.js';

const PG_URL = process.env.WM_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const PREFIX = `t_nest_${Math.random().toString(36).slice(2, 7)}_`;

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function available(): Promise<boolean> {
  try {
    await admin((client) => client.query('SELECT 1'));
    return true;
  } catch (error) {
    const message = `PostgreSQL is not reachable at ${PG_URL} (${(error as Error).message}).`;
    if (process.env.CI) throw new Error(`${message} CI is set, so this suite fails instead of being skipped.`);
    process.stderr.write(`\n[nestjs] Skipping the PostgreSQL tests: ${message}\n`);
    return false;
  }
}

const describeIf = (await available()) ? describe : describe.skip;

afterAll(async () => {
  if (describeIf === describe.skip) return;
  await admin(async (client) => {
    const { rows } = await client.query<{ tablename: string }>('SELECT tablename FROM pg_tables WHERE tablename LIKE $1', [`${PREFIX.replace(/_/g, '\\_')}%`]);
    for (const { tablename } of rows) await client.query(`DROP TABLE IF EXISTS "${tablename}" CASCADE`);
  });
});

describeIf("storage: { type: 'typeorm' } with @nestjs/typeorm on PostgreSQL", () => {
  const options = workflowDataSourceOptions({ type: 'postgres', url: PG_URL, migrationsTableName: `${PREFIX}migrations` }, PREFIX);
  const modules = () => [TypeOrmModule.forRoot(options), WorkflowModule.forRoot({ storage: { type: 'typeorm', dataSource: DataSource, tablePrefix: PREFIX }, definitions: [orderWorkflow] })];

  it("stores in the app's database; another app on it reads the instance after the first closed", async () => {
    const first = await startApp(modules());
    const order = await runOrder(first);
    expect(order.state).toBe('COMPLETED');
    const rows = await first.get(DataSource).query(`SELECT id, state FROM "${PREFIX}instances"`);
    expect(rows).toEqual([{ id: order.id, state: 'COMPLETED' }]);
    await first.close();

    const second = await startApp(modules());
    try {
      expect(await second.get(WorkflowEngine).getInstance(order.id)).toMatchObject({ id: order.id, state: 'COMPLETED', data: { shipped: true } });
    } finally {
      await second.close();
    }
  });
});

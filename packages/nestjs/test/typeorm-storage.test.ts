/**
 * `storage: { type: 'typeorm' }` on the DataSource of the real `@nestjs/typeorm` (better-sqlite3 in
 * memory, so a second DataSource would see an empty database): given by token (`DataSource`, or
 * `getDataSourceToken(name)`) or by instance from `forRootAsync`, the storage package loaded on
 * demand, the app's DataSource reused and closed by TypeOrmModule, not by the engine.
 */
import 'reflect-metadata';
import { afterEach, describe, expect, it } from '@jest/globals';
import type { TestingModule } from '@nestjs/testing';
import { TypeOrmModule, getDataSourceToken } from '@nestjs/typeorm';
import { WorkflowEngine } from '@workflow-mastery/core';
import { DataSource } from 'typeorm';
import { WorkflowModule } from '../src/index.js';
import { orderWorkflow } from './fixtures.js';
import { runOrder, startApp, workflowDataSourceOptions } from './typeorm-app.js';

const sqlite = workflowDataSourceOptions({ type: 'better-sqlite3', database: ':memory:' });
const apps: TestingModule[] = [];

afterEach(async () => {
  for (const app of apps.splice(0)) await app.close().catch(() => undefined);
});

async function open(...imports: Parameters<typeof startApp>[0]): Promise<TestingModule> {
  const app = await startApp(imports);
  apps.push(app);
  return app;
}

/** The instances table as the app's own DataSource sees it. */
const rowsOf = (ds: DataSource) => ds.query('SELECT id, state FROM wm_instances') as Promise<Array<{ id: string; state: string }>>;

describe("storage: { type: 'typeorm' } with @nestjs/typeorm", () => {
  it("stores in the app's DataSource given by its class token, which TypeOrmModule (not the engine) closes", async () => {
    const app = await open(TypeOrmModule.forRoot(sqlite), WorkflowModule.forRoot({ storage: { type: 'typeorm', dataSource: DataSource }, definitions: [orderWorkflow] }));
    expect(app.get(WorkflowEngine).storage.constructor.name).toBe('TypeOrmStorage');
    const order = await runOrder(app);
    expect(order.state).toBe('COMPLETED');
    const ds = app.get(DataSource);
    expect(await rowsOf(ds)).toEqual([{ id: order.id, state: 'COMPLETED' }]);
    await app.close();
    apps.pop();
    expect(ds.isInitialized).toBe(false);
  });

  it('waits for TypeOrmModule.forRootAsync, and takes a named DataSource by getDataSourceToken(name)', async () => {
    const app = await open(
      TypeOrmModule.forRootAsync({
        name: 'workflows',
        useFactory: async () => {
          // Slower than the workflow module's own providers: the storage must wait for it.
          await new Promise((resolve) => setTimeout(resolve, 30));
          return { ...sqlite, name: 'workflows' };
        },
      }),
      WorkflowModule.forRoot({ storage: { type: 'typeorm', dataSource: getDataSourceToken('workflows') }, definitions: [orderWorkflow] }),
    );
    const order = await runOrder(app);
    expect(order.state).toBe('COMPLETED');
    expect(await rowsOf(app.get<DataSource>(getDataSourceToken('workflows')))).toEqual([{ id: order.id, state: 'COMPLETED' }]);
  });

  it('takes the DataSource instance injected into WorkflowModule.forRootAsync', async () => {
    const app = await open(
      TypeOrmModule.forRoot(sqlite),
      WorkflowModule.forRootAsync({
        inject: [DataSource],
        useFactory: (dataSource: DataSource) => ({ storage: { type: 'typeorm', dataSource }, definitions: [orderWorkflow] }),
      }),
    );
    const order = await runOrder(app, 5000);
    // Above PricingService's limit: the order is rejected, and the rejection is in the app's database.
    expect(order.state).toBe('COMPLETED');
    expect(await app.get(WorkflowEngine).getInstance(order.id)).toMatchObject({ data: { rejected: true } });
    expect(await rowsOf(app.get(DataSource))).toEqual([{ id: order.id, state: 'COMPLETED' }]);
  });

  it('names the missing provider when the token is not a DataSource of the app', async () => {
    const failure = await startApp([TypeOrmModule.forRoot(sqlite), WorkflowModule.forRoot({ storage: { type: 'typeorm', dataSource: getDataSourceToken('nope') }, definitions: [orderWorkflow] })]).catch(
      (error: Error) => error,
    );
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toContain('nopeDataSource');
  });
});

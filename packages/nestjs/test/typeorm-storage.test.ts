/**
 * `storage: { type: 'typeorm' }` on a real TypeORM DataSource (better-sqlite3 in memory) that the
 * app provides by token, as `@nestjs/typeorm` would: the storage package is loaded on demand and the
 * app's DataSource reused (never destroyed by the engine).
 */
import 'reflect-metadata';
import { afterEach, describe, expect, it } from '@jest/globals';
import { Module, type FactoryProvider } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { WorkflowEngine } from '@workflow-mastery/core';
import { WorkflowModule, WorkflowService } from '../src/index.js';
import { orderProviders, orderWorkflow } from './fixtures.js';

// Loaded by specifier so that type-checking this package does not depend on the storage package's build.
const storagePackage: string = '@workflow-mastery/storage-typeorm';
const { workflowEntities, workflowMigrations } = (await import(storagePackage)) as { workflowEntities(): Function[]; workflowMigrations(): Function[] };
const { DataSource } = (await import('typeorm' as string)) as {
  DataSource: new (options: object) => { initialize(): Promise<unknown>; runMigrations(): Promise<unknown>; destroy(): Promise<void>; isInitialized: boolean };
};

type AppDataSource = InstanceType<typeof DataSource>;

const DATA_SOURCE = 'APP_DATA_SOURCE';
const opened: AppDataSource[] = [];
const apps: TestingModule[] = [];

afterEach(async () => {
  for (const app of apps.splice(0)) await app.close().catch(() => undefined);
  for (const ds of opened.splice(0)) if (ds.isInitialized) await ds.destroy();
});

/** The app's database module, global like TypeOrmModule's. */
const dataSourceProvider: FactoryProvider = {
  provide: DATA_SOURCE,
  useFactory: async () => {
    // Give the storage factory a chance to run first: the alias provider must make it wait.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const ds = new DataSource({ type: 'better-sqlite3', database: ':memory:', entities: workflowEntities(), migrations: workflowMigrations() });
    await ds.initialize();
    await ds.runMigrations();
    opened.push(ds);
    return ds;
  },
};

@Module({ providers: [dataSourceProvider], exports: [DATA_SOURCE] })
class DatabaseModule {}

describe("storage: { type: 'typeorm' }", () => {
  it('reuses the DataSource given by token to forRoot, and leaves it open on shutdown', async () => {
    const app = await Test.createTestingModule({
      imports: [{ module: DatabaseModule, global: true }, WorkflowModule.forRoot({ storage: { type: 'typeorm', dataSource: DATA_SOURCE }, definitions: [orderWorkflow] })],
      providers: orderProviders,
    }).compile();
    apps.push(app);
    await app.init();
    expect(app.get(WorkflowEngine).storage.constructor.name).toBe('TypeOrmStorage');
    const workflows = app.get(WorkflowService);
    const inst = await workflows.start('order', { order: { total: 3 } });
    expect((await workflows.waitFor(inst.id, { until: 'terminal' })).state).toBe('COMPLETED');
    const ds = app.get<AppDataSource>(DATA_SOURCE);
    await app.close();
    apps.pop();
    expect(ds.isInitialized).toBe(true);
  });

  it('takes the DataSource instance from forRootAsync inject', async () => {
    const app = await Test.createTestingModule({
      imports: [
        WorkflowModule.forRootAsync({
          imports: [DatabaseModule],
          inject: [DATA_SOURCE],
          useFactory: (dataSource: object) => ({ storage: { type: 'typeorm', dataSource }, definitions: [orderWorkflow] }),
        }),
      ],
      providers: orderProviders,
    }).compile();
    apps.push(app);
    await app.init();
    const workflows = app.get(WorkflowService);
    const inst = await workflows.start('order', { order: { total: 3 } });
    expect((await workflows.waitFor(inst.id, { until: 'terminal' })).state).toBe('COMPLETED');
  });
});

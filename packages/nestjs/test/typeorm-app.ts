/**
 * A Nest app with the real `@nestjs/typeorm` and the workflow module on its DataSource, as an
 * application would write it: `TypeOrmModule.forRoot` (our entities and migrations next to the
 * app's), and `storage: { type: 'typeorm', dataSource: <token or instance> }`.
 */
import 'reflect-metadata';
import type { DynamicModule } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import type { DataSourceOptions } from 'typeorm';
import { WorkflowService } from '../src/index.js';
import { orderProviders } from './fixtures.js';

// Loaded by specifier so that type-checking this package does not depend on the storage package's build.
const storagePackage: string = '@workflow-mastery/storage-typeorm';
const storage = (await import(storagePackage)) as { workflowEntities(prefix?: string): Function[]; workflowMigrations(prefix?: string): Function[] };

/** The DataSource options of the app: the workflow tables (with `prefix`) migrated on start. */
export function workflowDataSourceOptions(base: DataSourceOptions, prefix?: string): DataSourceOptions {
  return { ...base, entities: storage.workflowEntities(prefix), migrations: storage.workflowMigrations(prefix), migrationsRun: true } as DataSourceOptions;
}

/** Compile and init a testing module importing `imports` (the order actions provided). */
export async function startApp(imports: Array<DynamicModule | Promise<DynamicModule>>): Promise<TestingModule> {
  const app = await Test.createTestingModule({ imports, providers: orderProviders }).compile();
  await app.init();
  return app;
}

/** Run an order to its end through the module's WorkflowService; its id and final state. */
export async function runOrder(app: TestingModule, total = 3): Promise<{ id: string; state: string }> {
  const workflows = app.get(WorkflowService);
  const inst = await workflows.start('order', { order: { total } });
  const done = await workflows.waitFor(inst.id, { until: 'terminal' });
  return { id: inst.id, state: done.state };
}

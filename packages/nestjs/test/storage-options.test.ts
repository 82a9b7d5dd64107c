import 'reflect-metadata';
import { afterEach, describe, expect, it } from '@jest/globals';
import { Test, type TestingModule } from '@nestjs/testing';
import { InProcessRunner, MemoryStorage, WorkflowEngine } from '@workflow-mastery/core';
import { WORKFLOW_STORAGE, WorkflowModule, WorkflowModuleConfigError, type WorkflowModuleOptions } from '../src/index.js';
import { createWorkflowStorage } from '../src/workflow-storage.factory.js';

const apps: TestingModule[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close().catch(() => undefined);
});

async function startupError(options: WorkflowModuleOptions): Promise<Error> {
  const built = Test.createTestingModule({ imports: [WorkflowModule.forRoot(options)] }).compile();
  return built.then(
    async (app) => {
      apps.push(app);
      await app.init();
      throw new Error('expected startup to fail');
    },
    (error: Error) => error,
  );
}

const notInstalled = (specifier: string) =>
  Promise.reject(Object.assign(new Error(`Cannot find package '${specifier}' imported from /app/index.js`), { code: 'ERR_MODULE_NOT_FOUND' }));

describe('storage option', () => {
  it('uses a StorageAdapter instance as given', async () => {
    const storage = new MemoryStorage();
    const app = await Test.createTestingModule({ imports: [WorkflowModule.forRoot({ storage })] }).compile();
    apps.push(app);
    await app.init();
    expect(app.get(WorkflowEngine).storage).toBe(storage);
    expect(app.get(WORKFLOW_STORAGE)).toBe(storage);
  });

  it("names the package to install when 'typeorm' or 'redis' storage cannot be loaded", async () => {
    const ctx = { resolve: () => undefined, importer: notInstalled };
    await expect(createWorkflowStorage({ type: 'typeorm', dataSource: {} }, ctx)).rejects.toThrow(
      "storage type 'typeorm' needs the package @workflow-mastery/storage-typeorm, which could not be loaded (it is not installed). Install it: npm install @workflow-mastery/storage-typeorm",
    );
    await expect(createWorkflowStorage({ type: 'redis', url: 'redis://localhost' }, ctx)).rejects.toThrow('npm install @workflow-mastery/storage-redis');
    const broken = () => Promise.reject(new SyntaxError('Unexpected token'));
    await expect(createWorkflowStorage({ type: 'redis' }, { resolve: () => undefined, importer: broken })).rejects.toThrow('loading it failed: Unexpected token');
  });

  it('passes the TypeORM DataSource, given or resolved by token, to TypeOrmStorage', async () => {
    const made: object[] = [];
    class TypeOrmStorage extends MemoryStorage {
      constructor(readonly options: object) {
        super();
        made.push(options);
      }
    }
    const importer = async (specifier: string) => (specifier === '@workflow-mastery/storage-typeorm' ? { TypeOrmStorage } : notInstalled(specifier));
    const dataSource = { isInitialized: true };
    await createWorkflowStorage({ type: 'typeorm', dataSource, tablePrefix: 'app_' }, { resolve: () => undefined, importer });
    await createWorkflowStorage({ type: 'typeorm', dataSource: 'DATA_SOURCE' }, { resolve: (token) => (token === 'DATA_SOURCE' ? dataSource : undefined), importer });
    expect(made).toEqual([{ tablePrefix: 'app_', dataSource }, { dataSource }]);
    await expect(createWorkflowStorage({ type: 'typeorm', dataSource: 'MISSING' }, { resolve: () => undefined, importer })).rejects.toThrow(
      /no provider with that token is available.*inject: \["MISSING"\]/s,
    );
  });

  it('refuses unknown storage shapes and a file storage without a directory', async () => {
    expect((await startupError({ storage: { type: 'mongo' } as never })).message).toContain("unknown storage { type: \"mongo\" }");
    expect((await startupError({ storage: { type: 'file' } as never })).message).toContain('needs a directory');
    expect(await startupError({ storage: 'disk' as never })).toBeInstanceOf(WorkflowModuleConfigError);
  });
});

describe('runner option', () => {
  it("says the 'bullmq' runner needs WorkflowBullMQModule when no queue is registered", async () => {
    const error = await startupError({ runner: 'bullmq' });
    expect(error).toBeInstanceOf(WorkflowModuleConfigError);
    expect(error.message).toContain('WorkflowBullMQModule.forRoot');
  });

  it('wraps a given runner and hands it work once the app has bootstrapped', async () => {
    const runner = new InProcessRunner({ concurrency: 2 });
    const app = await Test.createTestingModule({
      imports: [WorkflowModule.forRoot({ runner, definitions: [{ name: 'one', steps: { a: { action: 'noop' } } }], engineOptions: { actions: { noop: () => undefined } } })],
    }).compile();
    apps.push(app);
    await app.init();
    const engine = app.get(WorkflowEngine);
    const inst = await engine.start('one', {});
    expect((await engine.waitFor(inst.id)).state).toBe('COMPLETED');
    expect(runner.concurrency).toBe(2);
  });

  it('refuses something that is not a runner', async () => {
    expect((await startupError({ runner: 'threads' as never })).message).toContain("unknown runner \"threads\"");
  });
});

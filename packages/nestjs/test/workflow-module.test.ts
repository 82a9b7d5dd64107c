import 'reflect-metadata';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { Inject, Injectable, Module } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { FileStorage, MemoryStorage, WorkflowEngine } from '@workflow-mastery/core';
import { WORKFLOW_MODULE_OPTIONS, WorkflowModule, WorkflowService, type WorkflowModuleOptions } from '../src/index.js';
import { orderProviders, orderWorkflow, PaymentGateway, PricingService } from './fixtures.js';

const apps: TestingModule[] = [];
const dirs: string[] = [];

async function boot(metadata: Parameters<typeof Test.createTestingModule>[0]): Promise<TestingModule> {
  const app = await Test.createTestingModule(metadata).compile();
  apps.push(app);
  await app.init();
  return app;
}

afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'wm-nest-'));
  dirs.push(dir);
  return dir;
}

/** A ConfigService look-alike in its own module, as @nestjs/config would provide it. */
@Injectable()
class AppConfig {
  constructor(@Inject('ENV') private readonly env: Record<string, string>) {}
  get(key: string): string {
    return this.env[key]!;
  }
}

@Module({})
class AppConfigModule {
  static with(env: Record<string, string>) {
    return { module: AppConfigModule, providers: [{ provide: 'ENV', useValue: env }, AppConfig], exports: [AppConfig] };
  }
}

describe('WorkflowModule.forRoot', () => {
  it('provides the engine and WorkflowService, on memory storage by default', async () => {
    const app = await boot({ imports: [WorkflowModule.forRoot()] });
    const engine = app.get(WorkflowEngine);
    expect(engine).toBeInstanceOf(WorkflowEngine);
    expect(engine.storage).toBeInstanceOf(MemoryStorage);
    expect(app.get(WorkflowService).engine).toBe(engine);
    expect(app.get<WorkflowModuleOptions>(WORKFLOW_MODULE_OPTIONS)).toEqual({});
  });

  it('runs a workflow end to end through WorkflowService, with actions from providers', async () => {
    const app = await boot({ imports: [WorkflowModule.forRoot({ definitions: [orderWorkflow] })], providers: orderProviders });
    const workflows = app.get(WorkflowService);
    const started = await workflows.start('order', { order: { total: 120 } }, { idempotencyKey: 'order-1', startedBy: 'alice' });
    const done = await workflows.waitFor(started.id, { until: 'terminal' });
    expect(done.state).toBe('COMPLETED');
    expect(done.data).toMatchObject({ order: { total: 120, valid: true }, payment: { id: `pay-${started.id}` }, shipped: true });
    expect(app.get(PricingService).calls).toEqual(['check:120']);
    expect(app.get(PaymentGateway).charged).toEqual([started.id]);
    expect((await workflows.start('order', { order: { total: 120 } }, { idempotencyKey: 'order-1' })).id).toBe(started.id);
    expect((await workflows.history(started.id)).map((e) => e.type)).toContain('workflow.completed');
    expect((await workflows.getInstance(started.id)).state).toBe('COMPLETED');
    expect((await workflows.listInstances({ definitionName: 'order' })).items.map((i) => i.id)).toEqual([started.id]);
    expect(workflows.definitions().map((d) => `${d.name}@${d.version}`)).toEqual(['order@1']);
  });

  it('passes engineOptions through to the engine', async () => {
    const app = await boot({ imports: [WorkflowModule.forRoot({ engineOptions: { owner: 'test-owner', shutdownTimeoutMs: 1234 } })] });
    expect(app.get(WorkflowEngine).owner).toBe('test-owner');
  });

  it('keeps state in files with storage { type: "file" }: an instance goes on after a restart', async () => {
    const directory = await tempDir();
    const waitingWorkflow = {
      name: 'approval',
      version: '1',
      steps: { request: { action: 'reject_order' }, approve: { action: 'reject_order', assigned_to: 'manager' }, done: { action: 'ship_order' } },
      transitions: [
        { from: 'request', to: 'approve' },
        { from: 'approve', to: 'done' },
      ],
    };
    const options = { storage: { type: 'file' as const, directory, fsync: false }, definitions: [waitingWorkflow] };

    const first = await boot({ imports: [WorkflowModule.forRoot(options)], providers: orderProviders });
    expect(first.get(WorkflowEngine).storage).toBeInstanceOf(FileStorage);
    const inst = await first.get(WorkflowService).start('approval', {});
    expect((await first.get(WorkflowService).waitFor(inst.id)).state).toBe('WAITING');
    await first.close();
    apps.splice(apps.indexOf(first), 1);

    const second = await boot({ imports: [WorkflowModule.forRoot(options)], providers: orderProviders });
    const workflows = second.get(WorkflowService);
    const [task] = await workflows.tasks({ instanceId: inst.id });
    expect(task).toMatchObject({ stepId: 'approve', assignedTo: 'manager' });
    await workflows.completeTask(task!.id, { approved: true }, 'bob');
    const done = await workflows.waitFor(inst.id, { until: 'terminal' });
    expect(done.state).toBe('COMPLETED');
    expect(done.data).toMatchObject({ approved: true, shipped: true });
  });
});

describe('WorkflowModule.forRootAsync', () => {
  it('builds options with useFactory + inject from a config provider', async () => {
    const directory = await tempDir();
    const app = await boot({
      imports: [
        WorkflowModule.forRootAsync({
          imports: [AppConfigModule.with({ WORKFLOW_DIR: directory, OWNER: 'from-config' })],
          inject: [AppConfig],
          useFactory: (config: AppConfig): WorkflowModuleOptions => ({
            storage: { type: 'file', directory: config.get('WORKFLOW_DIR'), fsync: false },
            definitions: [orderWorkflow],
            engineOptions: { owner: config.get('OWNER') },
          }),
        }),
      ],
      providers: orderProviders,
    });
    const engine = app.get(WorkflowEngine);
    expect(engine.owner).toBe('from-config');
    expect((engine.storage as FileStorage).directory).toBe(path.resolve(directory));
    const inst = await app.get(WorkflowService).start('order', { order: { total: 5 } });
    expect((await engine.waitFor(inst.id, { until: 'terminal' })).state).toBe('COMPLETED');
  });

  it('accepts useClass option factories', async () => {
    @Injectable()
    class WorkflowConfig {
      create(): WorkflowModuleOptions {
        return { definitions: [orderWorkflow], engineOptions: { owner: 'from-class' } };
      }
    }
    const app = await boot({ imports: [WorkflowModule.forRootAsync({ useClass: WorkflowConfig })], providers: orderProviders });
    expect(app.get(WorkflowEngine).owner).toBe('from-class');
    expect(app.get(WorkflowService).definitions().map((d) => d.name)).toEqual(['order']);
  });
});

describe('isGlobal', () => {
  @Injectable()
  class Checkout {
    constructor(readonly workflows: WorkflowService) {}
  }
  @Module({ providers: [Checkout], exports: [Checkout] })
  class CheckoutModule {}

  it('makes WorkflowService injectable in modules that do not import WorkflowModule', async () => {
    const app = await boot({ imports: [WorkflowModule.forRoot({ isGlobal: true }), CheckoutModule] });
    expect(app.get(Checkout).workflows).toBe(app.get(WorkflowService));
  });

  it('is off by default: such a module cannot resolve WorkflowService', async () => {
    await expect(Test.createTestingModule({ imports: [WorkflowModule.forRoot(), CheckoutModule] }).compile()).rejects.toThrow(/WorkflowService/);
  });
});

/**
 * `runner: 'bullmq'` through `@nestjs/bullmq`, on real Redis: BullModule registers the queue,
 * WorkflowBullMQModule's WorkerHost runs the jobs; an API-only app (`worker: false`) only
 * enqueues and a worker app on the same storage runs the instance. The same with `forRootAsync`,
 * its options from an injected configuration provider.
 */
import 'reflect-metadata';
import { afterEach, expect, it } from '@jest/globals';
import { BullModule, getQueueToken, WorkerHost } from '@nestjs/bullmq';
import { DiscoveryService } from '@nestjs/core';
import { Injectable, Module } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { Test, type TestingModule } from '@nestjs/testing';
import { MemoryStorage, WorkflowEngine } from '@workflow-mastery/core';
import { WorkflowModule, WorkflowService } from '../src/index.js';
import { WorkflowBullMQModule } from '../src/bullmq/index.js';
import { describeWithRedis, redisOptions, redisReachable, uniqueQueue } from '../../bullmq/test/support.js';
import { orderProviders, orderWorkflow } from './fixtures.js';

const DB = 8;
const connection = redisOptions(DB);
const reachable = await redisReachable();

const apps: TestingModule[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

/** Configuration an app would read from its environment. */
@Injectable()
class QueueConfig {
  readonly concurrency = 3;
  readonly prefix = 'nestasync';
}

@Module({ providers: [QueueConfig], exports: [QueueConfig] })
class QueueConfigModule {}

async function boot(queue: string, storage: MemoryStorage, worker: boolean, withActions: boolean, async = false): Promise<TestingModule> {
  const app = await Test.createTestingModule({
    imports: [
      BullModule.forRoot({ connection }),
      async
        ? WorkflowBullMQModule.forRootAsync({
            queue,
            worker,
            imports: [QueueConfigModule],
            inject: [QueueConfig],
            useFactory: (config: QueueConfig) => ({ concurrency: config.concurrency, prefix: config.prefix, sweepIntervalMs: 0 }),
          })
        : WorkflowBullMQModule.forRoot({ queue, worker, concurrency: 4, sweepIntervalMs: 0 }),
      WorkflowModule.forRoot({ runner: 'bullmq', storage, definitions: [orderWorkflow], engineOptions: { shutdownTimeoutMs: 2000 } }),
    ],
    providers: withActions ? orderProviders : [],
  }).compile();
  apps.push(app);
  await app.init();
  return app;
}

describeWithRedis("runner 'bullmq' through @nestjs/bullmq", reachable, () => {
  it('runs a workflow on the WorkerHost of the app', async () => {
    const app = await boot(uniqueQueue('nest'), new MemoryStorage(), true, true);
    const service = app.get(WorkflowService);
    const inst = await service.start('order', { order: { id: 'N-1', total: 40 } });
    const done = await app.get(WorkflowEngine).waitFor(inst.id, { until: 'terminal', timeoutMs: 15_000 });
    expect(done.state).toBe('COMPLETED');
    expect(Object.keys(done.steps).sort()).toEqual(['charge', 'ship', 'validate']);
  });

  it('forRootAsync: options from an injected provider (prefix and concurrency applied), runs a workflow', async () => {
    const queue = uniqueQueue('nest');
    const app = await boot(queue, new MemoryStorage(), true, true, true);
    expect(app.get<Queue>(getQueueToken(queue)).opts.prefix).toBe('nestasync');
    const host = app.get(DiscoveryService, { strict: false }).getProviders().find((w) => w.instance instanceof WorkerHost)?.instance as WorkerHost;
    expect(host.worker.concurrency).toBe(3);
    const service = app.get(WorkflowService);
    const inst = await service.start('order', { order: { id: 'N-3', total: 40 } });
    const done = await app.get(WorkflowEngine).waitFor(inst.id, { until: 'terminal', timeoutMs: 15_000 });
    expect(done.state).toBe('COMPLETED');
  });

  it('forRootAsync: an API-only app (worker: false) enqueues; a worker app on the same storage runs it', async () => {
    const queue = uniqueQueue('nest');
    const storage = new MemoryStorage();
    const api = await boot(queue, storage, false, false, true);
    const inst = await api.get(WorkflowService).start('order', { order: { id: 'N-4', total: 40 } });
    await new Promise((r) => setTimeout(r, 300));
    expect((await api.get(WorkflowEngine).getInstance(inst.id)).state).toBe('RUNNING');
    await boot(queue, storage, true, true, true);
    const done = await api.get(WorkflowEngine).waitFor(inst.id, { until: 'terminal', timeoutMs: 15_000 });
    expect(done.state).toBe('COMPLETED');
  });

  it('an API-only app (worker: false, no actions) enqueues; a worker app on the same storage runs it', async () => {
    const queue = uniqueQueue('nest');
    const storage = new MemoryStorage();
    const api = await boot(queue, storage, false, false);
    const inst = await api.get(WorkflowService).start('order', { order: { id: 'N-2', total: 40 } });
    await new Promise((r) => setTimeout(r, 300));
    expect((await api.get(WorkflowEngine).getInstance(inst.id)).state).toBe('RUNNING');
    await boot(queue, storage, true, true);
    const done = await api.get(WorkflowEngine).waitFor(inst.id, { until: 'terminal', timeoutMs: 15_000 });
    expect(done.state).toBe('COMPLETED');
  });
});

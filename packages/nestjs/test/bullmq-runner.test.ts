/**
 * `runner: 'bullmq'` through `@nestjs/bullmq`, on real Redis: BullModule registers the queue,
 * WorkflowBullMQModule's WorkerHost runs the jobs; an API-only app (`worker: false`) only
 * enqueues and a worker app on the same storage runs the instance.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from '@jest/globals';
import { BullModule } from '@nestjs/bullmq';
import { Test, type TestingModule } from '@nestjs/testing';
import { Redis } from 'ioredis';
import { MemoryStorage, WorkflowEngine } from '@workflow-mastery/core';
import { WorkflowModule, WorkflowService } from '../src/index.js';
import { WorkflowBullMQModule } from '../src/bullmq/index.js';
import { orderProviders, orderWorkflow } from './fixtures.js';

const DB = 8;
const connection = { host: '127.0.0.1', port: 6379, db: DB };

async function redisUp(): Promise<boolean> {
  const r = new Redis({ ...connection, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  r.on('error', () => undefined);
  try {
    await r.connect();
    return (await r.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    r.disconnect();
  }
}

const up = await redisUp();
if (!up && process.env.CI) throw new Error('Redis is not reachable at 127.0.0.1:6379; CI is set, so the NestJS BullMQ suite fails instead of being skipped.');
if (!up) console.warn('Redis not reachable: skipping the NestJS BullMQ suite (on CI it fails).');
const suite = up ? describe : describe.skip;

const apps: TestingModule[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

async function boot(queue: string, storage: MemoryStorage, worker: boolean, withActions: boolean): Promise<TestingModule> {
  const app = await Test.createTestingModule({
    imports: [
      BullModule.forRoot({ connection }),
      WorkflowBullMQModule.forRoot({ queue, worker, concurrency: 4, sweepIntervalMs: 0 }),
      WorkflowModule.forRoot({ runner: 'bullmq', storage, definitions: [orderWorkflow], engineOptions: { shutdownTimeoutMs: 2000 } }),
    ],
    providers: withActions ? orderProviders : [],
  }).compile();
  apps.push(app);
  await app.init();
  return app;
}

suite("runner 'bullmq' through @nestjs/bullmq", () => {
  it('runs a workflow on the WorkerHost of the app', async () => {
    const app = await boot(`nest-${randomUUID().slice(0, 8)}`, new MemoryStorage(), true, true);
    const service = app.get(WorkflowService);
    const inst = await service.start('order', { order: { id: 'N-1', total: 40 } });
    const done = await app.get(WorkflowEngine).waitFor(inst.id, { until: 'terminal', timeoutMs: 15_000 });
    expect(done.state).toBe('COMPLETED');
    expect(Object.keys(done.steps).sort()).toEqual(['charge', 'ship', 'validate']);
  });

  it('an API-only app (worker: false, no actions) enqueues; a worker app on the same storage runs it', async () => {
    const queue = `nest-${randomUUID().slice(0, 8)}`;
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

/**
 * `workflow_queue_depth` of a NestJS app with `runner: 'bullmq'`, on real Redis: the engine's runner
 * (the DeferredRunner wrapping the BullMQRunner) passes `queueDepth` through, so the metric counts the
 * jobs waiting in Redis without a hand-written `queueDepth` option.
 */
import 'reflect-metadata';
import { afterEach, expect, it } from '@jest/globals';
import { BullModule } from '@nestjs/bullmq';
import { Test, type TestingModule } from '@nestjs/testing';
import { MemoryStorage, WorkflowEngine } from '@workflow-mastery/core';
import { createWorkflowMetrics, type WorkflowMetrics } from '@workflow-mastery/observability';
import { WorkflowModule, WorkflowService } from '../src/index.js';
import { WorkflowBullMQModule } from '../src/bullmq/index.js';
import { describeWithRedis, eventually, redisOptions, redisReachable, uniqueQueue } from '../../bullmq/test/support.js';
import { sampleValue } from '../../observability/test/prometheus-text.js';
import { orderWorkflow } from './fixtures.js';

const DB = 8;
const reachable = await redisReachable();

const apps: TestingModule[] = [];
const metricsList: WorkflowMetrics[] = [];
afterEach(async () => {
  for (const m of metricsList.splice(0)) m.close();
  for (const app of apps.splice(0)) await app.close();
});

/** An API-only app (no worker): what it starts waits in the queue. */
async function apiApp(queue: string): Promise<TestingModule> {
  const app = await Test.createTestingModule({
    imports: [
      BullModule.forRoot({ connection: redisOptions(DB) }),
      WorkflowBullMQModule.forRoot({ queue, worker: false, sweepIntervalMs: 0 }),
      WorkflowModule.forRoot({ runner: 'bullmq', storage: new MemoryStorage(), definitions: [orderWorkflow], engineOptions: { shutdownTimeoutMs: 2000 } }),
    ],
  }).compile();
  apps.push(app);
  await app.init();
  return app;
}

describeWithRedis("workflow_queue_depth with runner 'bullmq' in NestJS", reachable, () => {
  it('reports the jobs waiting in Redis', async () => {
    const app = await apiApp(uniqueQueue('nest-depth'));
    const engine = app.get(WorkflowEngine);
    expect(typeof engine.runner.queueDepth).toBe('function');
    const metrics = createWorkflowMetrics({ engine, activeInstances: false });
    metricsList.push(metrics);
    const depth = async () => sampleValue(await metrics.metrics(), 'workflow_queue_depth');
    expect(await depth()).toBe(0);

    const service = app.get(WorkflowService);
    for (let i = 0; i < 3; i++) await service.start('order', { order: { id: `D-${i}`, total: 10 } });
    let seen: number | undefined;
    await eventually(async () => (seen = await depth()) === 3, 10_000, 'three waiting jobs');
    expect(seen).toBe(3);
    expect(await engine.runner.queueDepth!()).toBe(3);
  });
});

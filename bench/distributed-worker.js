// A bench worker process: the 3-step no-op workflow on BullMQ, state in PostgreSQL.
// Env: DATABASE_URL, REDIS_URL, WM_QUEUE, WM_TABLE_PREFIX, WM_CONCURRENCY. Prints "ready".
// Publishes the id of every workflow it completes on the Redis channel `<WM_QUEUE>:completed`.
import { Redis } from 'ioredis';
import { BullMQRunner, createWorker } from '@workflow-mastery/bullmq';
import { ActionResult, WorkflowEngine, silentLogger } from '@workflow-mastery/core';
import { TypeOrmStorage } from '@workflow-mastery/storage-typeorm';
import { threeSteps } from './three-steps.js';

const engine = new WorkflowEngine({
  storage: new TypeOrmStorage({ type: 'postgres', url: process.env.DATABASE_URL, tablePrefix: process.env.WM_TABLE_PREFIX, poolSize: 10 }),
  runner: new BullMQRunner({ connection: process.env.REDIS_URL, queue: process.env.WM_QUEUE, sweepIntervalMs: 0 }),
  logger: silentLogger,
  actions: { noop: () => ActionResult.success() },
  definitions: [threeSteps],
});
const publisher = new Redis(process.env.REDIS_URL);
engine.on('workflow.completed', (e) => void publisher.publish(`${process.env.WM_QUEUE}:completed`, e.instanceId));
const worker = await createWorker({ engine, concurrency: Number(process.env.WM_CONCURRENCY ?? 64), drainTimeoutMs: 5000 });
process.stdout.write('ready\n');
process.once('SIGTERM', () => worker.close().then(() => (publisher.disconnect(), process.exit(0)), () => process.exit(1)));

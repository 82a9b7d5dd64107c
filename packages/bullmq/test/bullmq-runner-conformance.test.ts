/**
 * The runner conformance suite on BullMQRunner, real Redis: work as jobs taken by this process's
 * workers, timers as delayed jobs (real time, short delays). Redis database 9 is this file's.
 */
import { afterAll } from '@jest/globals';
import { runRunnerConformance } from '@workflow-mastery/core/testing';
import { Redis } from 'ioredis';
import { BullMQRunner } from '../src/index.js';
import { describeWithRedis, redisReachable, redisUrl, uniqueQueue } from './support.js';

const DB = 9;
const reachable = await redisReachable();

afterAll(async () => {
  if (!reachable) return;
  const r = new Redis(redisUrl(DB));
  await r.flushdb();
  r.disconnect();
});

describeWithRedis('BullMQRunner', reachable, () => {
  runRunnerConformance(
    'bullmq',
    ({ concurrency, definitions }) => {
      const runner = new BullMQRunner({ connection: redisUrl(DB), queue: uniqueQueue('conf'), sweepIntervalMs: 0, ...(definitions ? { definitions } : {}) });
      return { runner, begin: () => runner.work({ concurrency }) };
    },
    { delivery: 'external', timers: 'real-time', capabilities: { dedupe: false, queueDepth: true, limits: true }, timeoutMs: 10_000 },
  );
});

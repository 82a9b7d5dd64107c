// A bare BullMQ worker process for the baseline cases: job `a` adds `b`, `b` adds `c`, `c` does
// nothing; no durable state. Env: QUEUE, REDIS_URL, CONCURRENCY (default 64). Prints "ready".
import { createBareWorker, redisOptions } from './bullmq-bare.js';

const worker = await createBareWorker(process.env.QUEUE, redisOptions(process.env.REDIS_URL), Number(process.env.CONCURRENCY ?? 64));
process.stdout.write('ready\n');
process.once('SIGTERM', () =>
  worker.close().then(
    () => process.exit(0),
    () => process.exit(1),
  ),
);

// A bare BullMQ worker process for the baseline cases: job `a` adds `b`, `b` adds `c`, `c` does
// nothing; no durable state. Env: QUEUE, REDIS_URL, CONCURRENCY (default 64). Prints "ready".
import { Queue, Worker } from 'bullmq';
import { redisOptions, jobOptions } from './bullmq-bare.js';

const connection = redisOptions(process.env.REDIS_URL);
const queue = new Queue(process.env.QUEUE, { connection });
const next = { a: 'b', b: 'c' };
const worker = new Worker(
  process.env.QUEUE,
  async (job) => {
    const name = next[job.name];
    if (name) await queue.add(name, job.data, { ...jobOptions, jobId: `${name}-${job.data.chain}` });
  },
  { connection, concurrency: Number(process.env.CONCURRENCY ?? 64) },
);
worker.on('error', (error) => process.stderr.write(`bare worker: ${error.message}\n`));
await Promise.all([queue.waitUntilReady(), worker.waitUntilReady()]);
process.stdout.write('ready\n');
process.once('SIGTERM', () =>
  Promise.all([worker.close(), queue.close()]).then(
    () => process.exit(0),
    () => process.exit(1),
  ),
);

// Baseline cases of `npm run bench`: bare BullMQ, no durable state. A chain of three jobs (`a`
// adds `b`, `b` adds `c`) on 1, 2 and 4 worker processes; this process is the API. 50 chains in
// flight (each of 50 loops adds `a` and waits for `c` completed, seen by one QueueEvents);
// throughput over the run and end-to-end latency (add `a` → `c` completed) per chain. Compare
// with bullmq.postgres.workers_N (bench/distributed.js).
import { randomUUID } from 'node:crypto';
import { Queue, QueueEvents } from 'bullmq';
import { closedLoop, startWorkerProcess } from './closed-loop.js';

const REDIS_URL = process.env.WM_REDIS_URL ?? 'redis://127.0.0.1:6379/7';

/** ioredis options from a redis:// URL, as BullMQ needs them (`maxRetriesPerRequest: null`). */
export function redisOptions(url) {
  const u = new URL(url);
  return {
    host: u.hostname || '127.0.0.1',
    port: Number(u.port || 6379),
    db: Number(u.pathname.slice(1) || 0),
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
    maxRetriesPerRequest: null,
  };
}

/** Completed jobs removed at once, as our runner does; QueueEvents still gets 'completed'. */
export const jobOptions = { removeOnComplete: true, removeOnFail: true };

async function run(workers, total, concurrency) {
  const queueName = `bare-${randomUUID().replace(/-/g, '').slice(0, 8)}`;
  const connection = redisOptions(REDIS_URL);
  const env = { QUEUE: queueName, REDIS_URL, CONCURRENCY: '64' };
  const queue = new Queue(queueName, { connection });
  const events = new QueueEvents(queueName, { connection });
  const procs = [];
  let stopping = false;
  let crashed; // rejects if a worker process dies during the run, so no loop waits forever
  const crash = new Promise((_, reject) => (crashed = reject));
  crash.catch(() => {});
  try {
    // QueueEvents reads the events stream from '$': ready before the first job is added.
    await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
    const waiting = new Map();
    events.on('completed', ({ jobId }) => {
      if (!jobId.startsWith('c-')) return;
      const chain = jobId.slice(2);
      waiting.get(chain)?.();
      waiting.delete(chain);
    });
    for (let i = 0; i < workers; i++) procs.push(startWorkerProcess('bullmq-bare-worker.js', env));
    for (const p of procs) p.exited.then((code) => stopping || crashed(new Error(`bare bench worker exited ${code}`)));
    await Promise.all(procs.map((p) => p.ready));
    const measured = await closedLoop({
      concurrency,
      total,
      runOne: async () => {
        const chain = randomUUID();
        const done = new Promise((resolve) => waiting.set(chain, resolve));
        await queue.add('a', { chain }, { ...jobOptions, jobId: `a-${chain}` });
        await Promise.race([done, crash]);
      },
    });
    return { case: `bullmq.bare.workers_${workers}`, workers, ...measured, jobs_per_workflow: 3 };
  } finally {
    stopping = true;
    for (const p of procs) p.child.kill('SIGTERM');
    await Promise.all(procs.map((p) => p.exited));
    await events.close();
    await queue.obliterate({ force: true });
    await queue.close();
  }
}

/** `[name, fn]` cases for bench/run.js; each prints its JSON line with `emit`. */
export const bareChainCases = (emit) => [1, 2, 4].map((workers) => [`bullmq.bare.workers_${workers}`, () => run(workers, 3000, 50).then(emit)]);

// Baseline cases of `npm run bench`: bare BullMQ, no durable state. A chain of three jobs (`a`
// adds `b`, `b` adds `c`) on 1, 2 and 4 worker processes; this process is the API. 50 chains in
// flight (each of 50 loops adds `a` and waits for `c` completed, seen by one QueueEvents);
// throughput over the run and end-to-end latency (add `a` → `c` completed) per chain. Compare
// with bullmq.postgres.workers_N (bench/distributed.js). `openBareChain` is also used by
// bench/peers (in one process, or with the worker in its own process).
import { randomUUID } from 'node:crypto';
import { Queue, QueueEvents, Worker } from 'bullmq';
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

/** The bare chain's worker: job `a` adds `b`, `b` adds `c`, `c` does nothing. `close()` stops it. */
export async function createBareWorker(queueName, connection, concurrency = 64) {
  const queue = new Queue(queueName, { connection });
  const next = { a: 'b', b: 'c' };
  const worker = new Worker(
    queueName,
    async (job) => {
      const name = next[job.name];
      if (name) await queue.add(name, job.data, { ...jobOptions, jobId: `${name}-${job.data.chain}` });
    },
    { connection, concurrency },
  );
  worker.on('error', (error) => process.stderr.write(`bare worker: ${error.message}\n`));
  await Promise.all([queue.waitUntilReady(), worker.waitUntilReady()]);
  return { worker, close: () => Promise.all([worker.close(), queue.close()]) };
}

/**
 * A fresh queue with the bare chain's worker in this process (`inProcess`) or in `workers` worker
 * processes; `runOne()` adds a chain and resolves when its `c` completed; `close()` removes it all.
 */
export async function openBareChain({ workers = 1, inProcess = false }) {
  const queueName = `bare-${randomUUID().replace(/-/g, '').slice(0, 8)}`;
  const connection = redisOptions(REDIS_URL);
  const env = { QUEUE: queueName, REDIS_URL, CONCURRENCY: '64' };
  const queue = new Queue(queueName, { connection });
  const procs = [];
  let events;
  let local;
  let stopping = false;
  let crashed; // rejects if a worker process dies during the run, so no loop waits forever
  const crash = new Promise((_, reject) => (crashed = reject));
  crash.catch(() => {});
  const waiting = new Map();
  const completed = (jobId) => {
    if (!jobId.startsWith('c-')) return;
    const chain = jobId.slice(2);
    waiting.get(chain)?.();
    waiting.delete(chain);
  };
  const close = async () => {
    stopping = true;
    for (const p of procs) p.child.kill('SIGTERM');
    await Promise.all(procs.map((p) => p.exited));
    await local?.close();
    await events?.close();
    await queue.obliterate({ force: true });
    await queue.close();
  };
  try {
    if (inProcess) {
      // One process: completion seen by the worker itself.
      await queue.waitUntilReady();
      local = await createBareWorker(queueName, connection);
      local.worker.on('completed', (job) => completed(job.id));
    } else {
      // QueueEvents reads the events stream from '$': ready before the first job is added.
      events = new QueueEvents(queueName, { connection });
      await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
      events.on('completed', ({ jobId }) => completed(jobId));
      for (let i = 0; i < workers; i++) procs.push(startWorkerProcess('bullmq-bare-worker.js', env));
      for (const p of procs) p.exited.then((code) => stopping || crashed(new Error(`bare bench worker exited ${code}`)));
      await Promise.all(procs.map((p) => p.ready));
    }
  } catch (error) {
    await close();
    throw error;
  }
  const runOne = async () => {
    const chain = randomUUID();
    const done = new Promise((resolve) => waiting.set(chain, resolve));
    await queue.add('a', { chain }, { ...jobOptions, jobId: `a-${chain}` });
    await Promise.race([done, crash]);
  };
  return { runOne, close };
}

async function run(workers, total, concurrency) {
  const chain = await openBareChain({ workers });
  try {
    const measured = await closedLoop({ concurrency, total, runOne: chain.runOne });
    return { case: `bullmq.bare.workers_${workers}`, workers, ...measured, jobs_per_workflow: 3 };
  } finally {
    await chain.close();
  }
}

/** `[name, fn]` cases for bench/run.js; each prints its JSON line with `emit`. */
export const bareChainCases = (emit) => [1, 2, 4].map((workers) => [`bullmq.bare.workers_${workers}`, () => run(workers, 3000, 50).then(emit)]);

// BullMQ cases of `npm run bench`: 1, 2 and 4 worker processes, state in PostgreSQL, queues in
// Redis; this process is the API (it only enqueues). 50 workflows in flight (each of 50 loops
// starts the 3-step no-op workflow and waits for it to complete: the worker that completes it
// publishes its id on a Redis channel after the commit); throughput over the run and end-to-end
// latency (start call → completion heard) per workflow. `openDistributed` is also used by
// bench/peers (in one process, or with the worker in its own process).
// WM_BENCH_PROF=1 writes a CPU profile of each worker process to /tmp/prof.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';
import { BullMQRunner, createWorker } from '@workflow-mastery/bullmq';
import { ActionResult, WorkflowEngine, silentLogger } from '@workflow-mastery/core';
import { TypeOrmStorage } from '@workflow-mastery/storage-typeorm';
import { closedLoop, startWorkerProcess } from './closed-loop.js';
import { threeSteps } from './three-steps.js';

const PG_URL = process.env.WM_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.WM_REDIS_URL ?? 'redis://127.0.0.1:6379/7';

const PROF_ARGS = process.env.WM_BENCH_PROF ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof'] : [];

/**
 * Fresh tables and queue, the engine's workers in `workers` worker processes (this process only
 * enqueues) or, with `inProcess`, in this process (one engine starts and runs the workflows);
 * `runOne()` starts the 3-step workflow and resolves when it completed; `close()` drops it all.
 */
export async function openDistributed({ workers = 1, inProcess = false }) {
  const id = randomUUID().replace(/-/g, '').slice(0, 8);
  const env = { DATABASE_URL: PG_URL, REDIS_URL, WM_QUEUE: `bench-${id}`, WM_TABLE_PREFIX: `wm_bq${id}_`, WM_CONCURRENCY: '64' };
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  const storage = new TypeOrmStorage({ type: 'postgres', url: PG_URL, tablePrefix: env.WM_TABLE_PREFIX, poolSize: 20 });
  const runner = new BullMQRunner({ connection: REDIS_URL, queue: env.WM_QUEUE, ...(inProcess ? { sweepIntervalMs: 0 } : {}) });
  const actions = inProcess ? { actions: { noop: () => ActionResult.success() } } : {};
  const engine = new WorkflowEngine({ storage, runner, logger: silentLogger, definitions: [threeSteps], ...actions });
  const procs = [];
  const waiting = new Map();
  const completed = (id) => {
    waiting.get(id)?.();
    waiting.delete(id);
  };
  let subscriber;
  let worker;
  const close = async () => {
    subscriber?.disconnect();
    for (const p of procs) p.child.kill('SIGTERM');
    await Promise.all(procs.map((p) => p.exited));
    await (worker ? worker.close() : engine.close());
    const tables = (await admin.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE $1`, [`${env.WM_TABLE_PREFIX.replace(/_/g, '\\_')}%`])).rows;
    for (const t of tables) await admin.query(`DROP TABLE IF EXISTS "${t.tablename}" CASCADE`);
    await admin.end();
  };
  try {
    await engine.ready;
    if (inProcess) {
      engine.on('workflow.completed', (e) => completed(e.instanceId));
      worker = await createWorker({ engine, concurrency: 64, drainTimeoutMs: 5000 });
    } else {
      for (let i = 0; i < workers; i++) procs.push(startWorkerProcess('distributed-worker.js', env, PROF_ARGS));
      await Promise.all(procs.map((p) => p.ready));
      // Completion heard from the workers (published after the commit).
      subscriber = new Redis(REDIS_URL);
      subscriber.on('message', (_channel, id) => completed(id));
      await subscriber.subscribe(`${env.WM_QUEUE}:completed`);
    }
  } catch (error) {
    await close();
    throw error;
  }
  const runOne = async () => {
    const id = randomUUID();
    const done = new Promise((resolve) => waiting.set(id, resolve));
    await engine.start('bench_noop', {}, { instanceId: id });
    await done;
  };
  return { runOne, close };
}

async function run(workers, total, concurrency) {
  const opened = await openDistributed({ workers });
  try {
    const measured = await closedLoop({ concurrency, total, runOne: opened.runOne });
    return { case: `bullmq.postgres.workers_${workers}`, workers, ...measured };
  } finally {
    await opened.close();
  }
}

/** `[name, fn]` cases for bench/run.js; each prints its JSON line with `emit`. */
export const distributedCases = (emit) => [1, 2, 4].map((workers) => [`bullmq.postgres.workers_${workers}`, () => run(workers, 3000, 50).then(emit)]);

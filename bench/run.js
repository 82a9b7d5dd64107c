// Benchmarks of the core engine, one JSON line per case on stdout (progress on stderr).
//   npm run bench                 all cases
//   node bench/run.js memory      only cases whose name contains "memory"
// A 3-step no-op workflow: sequential latency (start → completed, p50/p99) and throughput with
// 50 concurrent starts, on MemoryStorage and FileStorage (fsync on); and the memory held per
// instance waiting on a signal.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { bareChainCases } from './bullmq-bare.js';
import { distributedCases } from './distributed.js';
import { threeSteps } from './three-steps.js';
import { ActionResult, FileStorage, MemoryStorage, WorkflowEngine, silentLogger } from '@workflow-mastery/core';

const filter = process.argv[2] ?? '';
const noop = () => ActionResult.success();

/** An engine on `storage` with the bench definitions, and `run()`: start one 3-step workflow, resolve when it completed. */
export function makeEngine(storage, concurrency, engineOptions = {}) {
  const engine = new WorkflowEngine({ storage, logger: silentLogger, recover: false, ...engineOptions });
  engine.registerAction('noop', noop);
  engine.registerAction('wait', () => ActionResult.wait({ signal: 'go' }));
  engine.registerDefinition(threeSteps);
  engine.registerDefinition({ name: 'bench_wait', version: '1', steps: { w: { action: 'wait' } } });
  // Completion by event, as a high-throughput caller would do it.
  const waiters = new Map();
  engine.on('workflow.completed', (e) => {
    waiters.get(e.instanceId)?.();
    waiters.delete(e.instanceId);
  });
  const run = async () => {
    let resolve;
    const done = new Promise((r) => (resolve = r));
    const id = crypto.randomUUID();
    waiters.set(id, resolve);
    await engine.start('bench_noop', {}, { instanceId: id });
    await done;
  };
  return { engine, run, concurrency };
}

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
const round = (x, digits = 3) => Number(x.toFixed(digits));
const emit = (obj) => process.stdout.write(`${JSON.stringify(obj)}\n`);
const progress = (msg) => process.stderr.write(`… ${msg}\n`);

/** Write transactions per workflow, for storages that count them. */
function perWorkflow(storage, before, workflows) {
  return storage.stats ? { write_transactions_per_workflow: round((storage.stats.transactions - before) / workflows, 2) } : {};
}

async function sequential(name, storage, count, warmup) {
  const { engine, run } = makeEngine(storage);
  await engine.ready;
  for (let i = 0; i < warmup; i++) await run();
  const tx0 = storage.stats?.transactions ?? 0;
  const times = [];
  for (let i = 0; i < count; i++) {
    const t = process.hrtime.bigint();
    await run();
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  await engine.close();
  times.sort((a, b) => a - b);
  emit({ case: `${name}.sequential`, workflows: count, steps: 3, p50_ms: round(quantile(times, 0.5)), p99_ms: round(quantile(times, 0.99)), mean_ms: round(times.reduce((s, x) => s + x, 0) / count), ...perWorkflow(storage, tx0, count) });
}

async function throughput(name, storage, total, concurrency, engineOptions = {}) {
  const { engine, run } = makeEngine(storage, concurrency, engineOptions);
  await engine.ready;
  let left = total;
  const worker = async () => {
    while (left > 0) {
      left--;
      await run();
    }
  };
  // warm-up
  await Promise.all(Array.from({ length: concurrency }, () => run()));
  const tx0 = storage.stats?.transactions ?? 0;
  const t = process.hrtime.bigint();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = Number(process.hrtime.bigint() - t) / 1e9;
  // What the storage still holds at the end: with retention, finished instances do not accumulate.
  const kept = engineOptions.retention !== undefined || storage.maxFinished !== undefined ? { instances_kept: await countInstances(engine) } : {};
  await engine.close();
  emit({ case: `${name}.throughput`, concurrency, workflows: total, seconds: round(seconds), workflows_per_sec: Math.round(total / seconds), ...kept, ...perWorkflow(storage, tx0, total) });
}

async function countInstances(engine) {
  let count = 0;
  let cursor;
  do {
    const page = await engine.listInstances({ limit: 10_000, ...(cursor ? { cursor } : {}) });
    count += page.items.length;
    cursor = page.nextCursor;
  } while (cursor);
  return count;
}

async function waitingMemory(count) {
  const { engine } = makeEngine(new MemoryStorage());
  await engine.ready;
  global.gc?.();
  const before = process.memoryUsage().heapUsed;
  const ids = [];
  for (let i = 0; i < count; i++) ids.push((await engine.start('bench_wait', { customer: `c${i}`, amount: i })).id);
  await engine.idle();
  global.gc?.();
  const after = process.memoryUsage().heapUsed;
  const waiting = (await engine.listInstances({ state: 'WAITING', limit: count + 1 })).items.length;
  await engine.close();
  emit({ case: 'memory.waiting_instances', instances: count, waiting, heap_mb: round((after - before) / 1048576, 1), bytes_per_instance: Math.round((after - before) / count), gc: Boolean(global.gc) });
}

async function withTempDir(fn) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'wm-bench-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A TypeORM storage on fresh, uniquely prefixed tables, dropped afterwards. */
export async function withDatabase(type, fn) {
  const { TypeOrmStorage } = await import('@workflow-mastery/storage-typeorm');
  const prefix = `wmb${Math.random().toString(36).slice(2, 8)}_`;
  const urls = {
    postgres: process.env.WM_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    mysql: process.env.WM_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test',
  };
  if (type === 'better-sqlite3') {
    return withTempDir((dir) => {
      const make = (extra = {}) => new TypeOrmStorage({ type, database: path.join(dir, 'bench.sqlite'), tablePrefix: prefix, ...extra });
      return fn(make);
    });
  }
  const made = [];
  const make = () => {
    const storage = new TypeOrmStorage({ type, url: urls[type], tablePrefix: prefix });
    made.push(storage);
    return storage;
  };
  try {
    return await fn(make);
  } finally {
    const { DataSource } = await import('typeorm');
    const ds = new DataSource({ type, url: urls[type] });
    await ds.initialize();
    const rows =
      type === 'postgres'
        ? await ds.query(`SELECT tablename AS name FROM pg_tables WHERE tablename LIKE '${prefix}%'`)
        : await ds.query(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name LIKE '${prefix}%'`);
    for (const { name } of rows) await ds.query(type === 'postgres' ? `DROP TABLE IF EXISTS "${name}" CASCADE` : `DROP TABLE IF EXISTS \`${name}\``);
    await ds.destroy();
  }
}

const cases = [
  ['memory.sequential', () => sequential('memory', new MemoryStorage(), 20_000, 2_000)],
  ['memory.throughput', () => throughput('memory', new MemoryStorage(), 100_000, 50)],
  // Retention on: finished instances are purged every second (retention 0), or capped in the storage.
  ['memory_retention.throughput', () => throughput('memory_retention', new MemoryStorage(), 100_000, 50, { retention: 0, purge: { intervalMs: 1000, batchSize: 10_000, maxPerRun: 1_000_000 } })],
  ['memory_capped.throughput', () => throughput('memory_capped', new MemoryStorage({ maxFinishedInstances: 10_000 }), 100_000, 50)],
  ['memory.waiting_instances', () => waitingMemory(10_000)],
  ['file.sequential', () => withTempDir((directory) => sequential('file', new FileStorage({ directory }), 300, 20))],
  ['file.throughput', () => withTempDir((directory) => throughput('file', new FileStorage({ directory }), 2_000, 50))],
  ['sqlite.sequential', () => withDatabase('better-sqlite3', (make) => sequential('sqlite', make(), 500, 50))],
  ['sqlite.throughput', () => withDatabase('better-sqlite3', (make) => throughput('sqlite', make(), 5_000, 50))],
  // synchronous = FULL: the WAL synced at every commit (durable across power loss, not only crashes).
  ['sqlite_full.sequential', () => withDatabase('better-sqlite3', (make) => sequential('sqlite_full', make({ sqliteSynchronous: 'full' }), 300, 30))],
  ['sqlite_full.throughput', () => withDatabase('better-sqlite3', (make) => throughput('sqlite_full', make({ sqliteSynchronous: 'full' }), 5_000, 50))],
  ['postgres.sequential', () => withDatabase('postgres', (make) => sequential('postgres', make(), 500, 50))],
  ['postgres.throughput', () => withDatabase('postgres', (make) => throughput('postgres', make(), 5_000, 50))],
  ['mariadb.sequential', () => withDatabase('mysql', (make) => sequential('mariadb', make(), 300, 30))],
  ['mariadb.throughput', () => withDatabase('mysql', (make) => throughput('mariadb', make(), 3_000, 50))],
  ...bareChainCases(emit),
  ...distributedCases(emit),
];

// Run only as the script (bench/peers imports makeEngine and withDatabase from here).
if (path.resolve(process.argv[1] ?? '') === import.meta.filename) {
  for (const [name, fn] of cases) {
    if (!name.includes(filter)) continue;
    progress(name);
    await fn();
  }
}

/**
 * Real processes on real PostgreSQL and Redis: an API process (no worker in it) and BullMQ worker
 * processes run 1,000 orders of the seed's order-processing workflow while one worker is
 * SIGKILLed and another stopped and restarted; then Redis is flushed mid-run and the sweeper
 * recovers. Every instance ends as expected, no step result is recorded twice, no side effect
 * keyed by the action's idempotency key happens twice.
 */
import path from 'node:path';
import { afterAll, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import pg from 'pg';
import { planOrders } from '../src/orders.js';
import { startProcess, type SampleProcess } from '../src/processes.js';
import { describeWithServices, dropRun, missing, PG_URL, runEnv } from './services.js';

const dist = path.join(import.meta.dirname, '..', 'dist');
const lack = await missing();
const DB = 6;
const procs: SampleProcess[] = [];
const prefixes: string[] = [];

afterAll(async () => {
  for (const p of procs) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
  await Promise.all(procs.map((p) => p.exited));
  for (const prefix of prefixes) await dropRun(prefix).catch(() => undefined);
});

function start(role: 'api' | 'worker', env: Record<string, string>): SampleProcess {
  const p = startProcess(role, env, { dir: dist });
  procs.push(p);
  return p;
}

const progressOf = (p: SampleProcess): number => {
  const all = [...p.output().matchAll(/progress (\d+)/g)];
  return all.length ? Number(all[all.length - 1]![1]) : 0;
};

async function until(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function placeOrders(url: string, run: string, count: number): Promise<Map<string, 'COMPLETED' | 'FAILED'>> {
  const plan = planOrders(count, run);
  const expected = new Map<string, 'COMPLETED' | 'FAILED'>();
  let next = 0;
  await Promise.all(
    Array.from({ length: 50 }, async () => {
      while (next < count) {
        const p = plan[next++]!;
        const res = await fetch(`${url}/api/workflows/order_processing/instances`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ data: { order: p.order }, idempotencyKey: `order-${p.order.id}` }),
        });
        expect(res.status).toBe(201);
        expected.set(((await res.json()) as { id: string }).id, p.expected);
      }
    }),
  );
  return expected;
}

async function query<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

async function finished(prefix: string): Promise<number> {
  const [row] = await query<{ n: string }>(`SELECT count(*) AS n FROM ${prefix}instances WHERE state IN ('COMPLETED', 'FAILED', 'CANCELLED')`);
  return Number(row!.n);
}

/** Instances, steps recorded twice, and side effects per action, of one run. */
async function audit(prefix: string, expected: Map<string, string>) {
  const states = await query<{ id: string; state: string }>(`SELECT id, state FROM ${prefix}instances`);
  const wrong = states.filter((s) => expected.get(s.id) !== s.state);
  const twice = await query(`SELECT instance_id, step_id, count(*) FROM ${prefix}events WHERE type = 'step.completed' GROUP BY instance_id, step_id HAVING count(*) > 1`);
  const effects = await query<{ action: string; n: string }>(`SELECT action, count(*) AS n FROM ${prefix}effects GROUP BY action`);
  const executions = await query<{ step: string; n: string; instances: string }>(`SELECT step, count(*) AS n, count(DISTINCT instance_id) AS instances FROM ${prefix}executions GROUP BY step`);
  const payments = await query<{ n: string }>(`SELECT count(*) AS n FROM ${prefix}events WHERE type = 'step.completed' AND step_id = 'process_payment'`);
  return {
    count: states.length,
    wrong,
    twice,
    effects: Object.fromEntries(effects.map((e) => [e.action, Number(e.n)])),
    executions: Object.fromEntries(executions.map((e) => [e.step, { runs: Number(e.n), instances: Number(e.instances) }])),
    paymentsRecorded: Number(payments[0]!.n),
  };
}

describeWithServices('distributed order processing on BullMQ workers', lack, () => {
  it('1,000 orders on 3 workers: one SIGKILLed, one restarted; all finish, nothing recorded or charged twice', async () => {
    const env = runEnv(DB);
    prefixes.push(env.WM_TABLE_PREFIX);
    const workerEnv = { ...env, WM_LOCK_MS: '3000', WM_STALLED_MS: '1000', WM_SWEEP_MS: '5000', WM_DRAIN_MS: '5000', WM_CONCURRENCY: '16' };
    const api = start('api', { ...env, PORT: '0' });
    const [, url] = await api.waitFor(/api listening on (\S+)/);
    const workers = [start('worker', workerEnv), start('worker', workerEnv), start('worker', workerEnv)];
    await Promise.all(workers.map((w) => w.waitFor(/ready/)));

    const placing = placeOrders(url!, 'K', 1000);
    await until(() => progressOf(workers[0]!) >= 100, 60_000, 'worker 1 to run 100 steps');
    workers[0]!.child.kill('SIGKILL');
    expect((await workers[0]!.exited).signal).toBe('SIGKILL');

    await until(() => progressOf(workers[1]!) >= 300, 60_000, 'worker 2 to run 300 steps');
    workers[1]!.child.kill('SIGTERM');
    expect((await workers[1]!.exited).code).toBe(0);
    expect(workers[1]!.output()).toMatch(/draining/);
    const restarted = start('worker', workerEnv);
    await restarted.waitFor(/ready/);

    const expected = await placing;
    expect(expected.size).toBe(1000);
    await until(async () => (await finished(env.WM_TABLE_PREFIX)) === 1000, 150_000, 'all 1,000 instances to finish');

    const result = await audit(env.WM_TABLE_PREFIX, expected);
    expect(result.count).toBe(1000);
    expect(result.wrong).toEqual([]);
    expect(result.twice).toEqual([]);
    // One charge per order that reached the payment step, one shipment per completed order, whatever ran twice.
    expect(result.effects.process_payment).toBe(result.paymentsRecorded);
    expect(result.executions.process_payment!.instances).toBeGreaterThanOrEqual(result.paymentsRecorded);
    expect(result.effects.create_shipment).toBe([...expected.values()].filter((s) => s === 'COMPLETED').length - 50);
    // The killed worker did run steps before it died, and the others finished its work.
    expect(progressOf(workers[0]!)).toBeGreaterThanOrEqual(100);
    expect(progressOf(workers[2]!) + progressOf(restarted)).toBeGreaterThan(0);
  }, 240_000);

  it('Redis flushed mid-run: the sweeper re-creates the lost jobs from PostgreSQL and every order finishes', async () => {
    const env = runEnv(DB);
    prefixes.push(env.WM_TABLE_PREFIX);
    const api = start('api', { ...env, PORT: '0' });
    const [, url] = await api.waitFor(/api listening on (\S+)/);
    const workerEnv = { ...env, WM_SWEEP_MS: '1000', WM_CONCURRENCY: '4' };
    const workers = [start('worker', workerEnv), start('worker', workerEnv)];
    await Promise.all(workers.map((w) => w.waitFor(/ready/)));
    const expected = await placeOrders(url!, 'F', 300);
    await until(() => workers.some((w) => progressOf(w) >= 50), 60_000, 'some progress');
    const redis = new Redis(env.REDIS_URL);
    await redis.flushdb();
    redis.disconnect();
    await until(async () => (await finished(env.WM_TABLE_PREFIX)) === 300, 120_000, 'all 300 instances to finish after the flush');
    const result = await audit(env.WM_TABLE_PREFIX, expected);
    expect(result.wrong).toEqual([]);
    expect(result.twice).toEqual([]);
    for (const w of [...workers, api]) w.child.kill('SIGTERM');
    await Promise.all([...workers, api].map((w) => w.exited));
  }, 180_000);
});

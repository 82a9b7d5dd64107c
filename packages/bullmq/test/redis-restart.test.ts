/**
 * Redis restarting mid-run: a Redis server of this test's own (not the shared one) is killed while
 * instances run and started again, empty; the connections come back by themselves and the sweeper
 * re-creates the lost jobs from storage. Every instance completes, each step recorded once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { afterAll, describe, expect, it } from '@jest/globals';
import { MemoryStorage, WorkflowEngine, type WorkflowDefinitionInput } from '@workflow-mastery/core';
import { BullMQRunner, createWorker, type WorkflowWorker } from '../src/index.js';
import { eventually, recordingLogger } from './support.js';

const REDIS_SERVER = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((p) => existsSync(p));
if (!REDIS_SERVER && process.env.CI) throw new Error('redis-server is not installed; CI is set, so the Redis restart suite fails instead of being skipped.');
const suite = REDIS_SERVER ? describe : describe.skip;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

let redis: ChildProcess | undefined;
async function startRedis(port: number): Promise<void> {
  redis = spawn(REDIS_SERVER!, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const { Redis } = await import('ioredis');
  await eventually(async () => {
    const c = new Redis({ port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    c.on('error', () => undefined);
    try {
      await c.connect();
      return (await c.ping()) === 'PONG';
    } catch {
      return false;
    } finally {
      c.disconnect();
    }
  }, 10_000, 'redis-server to answer');
}
async function killRedis(): Promise<void> {
  const r = redis!;
  const gone = new Promise((resolve) => r.once('exit', resolve));
  r.kill('SIGKILL');
  await gone;
}
afterAll(async () => {
  if (redis && redis.exitCode === null) await killRedis();
});

const flow: WorkflowDefinitionInput = {
  name: 'slowish',
  version: '1',
  steps: { a: { action: 'step' }, b: { action: 'step' }, c: { action: 'step' } },
  transitions: [
    { from: 'a', to: 'b' },
    { from: 'b', to: 'c' },
  ],
};

suite('Redis restarting mid-run', () => {
  it('workers reconnect, the sweeper re-creates what the empty Redis lost, and every instance completes', async () => {
    const port = await freePort();
    await startRedis(port);
    const storage = new MemoryStorage();
    let runs = 0;
    const actions = { step: async () => { runs++; await new Promise((r) => setTimeout(r, 20)); return {}; } };
    const opened: Array<WorkflowEngine | WorkflowWorker> = [];
    try {
      const make = (withActions: boolean) =>
        new WorkflowEngine({
          storage,
          logger: recordingLogger(),
          runner: new BullMQRunner({ connection: `redis://127.0.0.1:${port}`, queue: 'restart', sweepIntervalMs: 500 }),
          definitions: [flow],
          ...(withActions ? { actions } : {}),
          shutdownTimeoutMs: 2000,
        });
      const api = make(false);
      opened.push(api);
      const workers = [await createWorker({ engine: make(true), concurrency: 4 }), await createWorker({ engine: make(true), concurrency: 4 })];
      opened.push(...workers);
      const ids: string[] = [];
      for (let i = 0; i < 60; i++) ids.push((await api.start('slowish', { i })).id);
      await eventually(() => runs >= 30, 20_000, 'some steps to run');

      await killRedis();
      await new Promise((r) => setTimeout(r, 1000));
      await startRedis(port);

      for (const id of ids) expect((await api.waitFor(id, { until: 'terminal', timeoutMs: 30_000 })).state).toBe('COMPLETED');
      for (const id of ids) {
        const completed = (await api.getHistory(id)).filter((e) => e.type === 'step.completed').map((e) => e.stepId);
        expect(completed).toEqual(['a', 'b', 'c']);
      }
    } finally {
      await Promise.all(opened.map((o) => o.close().catch(() => undefined)));
    }
  }, 90_000);
});

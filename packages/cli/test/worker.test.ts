import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { afterAll, describe, expect, it, jest } from '@jest/globals';
import { FIXTURES, finished, printed, runCli, spawnCli } from './support/cli-process.js';
import { dropTables, PG_URL, postgresAvailable } from './support/postgres.js';

jest.setTimeout(90_000);

describe('worker', () => {
  it('needs --redis, and says so in one line', async () => {
    const result = await runCli(['worker', '--module', path.join(FIXTURES, 'greeting-actions.mjs')], { WORKFLOW_DATABASE_URL: 'memory:', WORKFLOW_REDIS_URL: '' });
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe('workflow-mastery: worker needs the queue: --redis redis://HOST:6379 (or WORKFLOW_REDIS_URL)');
  });

  const prefix = `wm_cliw${randomUUID().replace(/-/g, '').slice(0, 6)}_`;
  afterAll(async () => {
    if (!(await postgresAvailable().catch(() => false))) return;
    await dropTables(prefix);
  });

  it('an API (serve --redis, no actions) enqueues; a worker process runs the steps, serves /metrics, and drains on SIGTERM', async () => {
    if (!(await postgresAvailable())) return;
    const env = {
      WORKFLOW_DATABASE_URL: PG_URL,
      WORKFLOW_TABLE_PREFIX: prefix,
      WORKFLOW_REDIS_URL: 'redis://127.0.0.1:6379/9',
      WORKFLOW_QUEUE: `cli-${randomUUID().slice(0, 8)}`,
    };
    const definition = ['--definition', path.join(FIXTURES, 'greeting.yaml')];
    const api = spawnCli(['serve', '--port', '0', '--host', '127.0.0.1', '--auth', 'none', ...definition], env);
    const apiDone = finished(api);
    const worker = spawnCli(['worker', '--concurrency', '4', '--metrics-port', '0', '--module', path.join(FIXTURES, 'greeting-actions.mjs'), ...definition], env);
    const workerDone = finished(worker);
    try {
      const apiUp = printed(api, /listening on (http:\/\/\S+)/, 'serve');
      const workerUp = printed(worker, /metrics :(\d+)\/metrics/, 'worker');
      const [, url] = await apiUp;
      const [, metricsPort] = await workerUp;
      const ready = (await (await fetch(`${url}/api/ready`)).json()) as { checks: Array<{ name: string }> };
      expect(ready.checks.map((c) => c.name)).toEqual(expect.arrayContaining(['storage', 'shutdown', 'queue']));
      const res = await fetch(`${url}/api/workflows/greeting/instances`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ data: { name: 'Ada' } }) });
      expect(res.status).toBe(201);
      const { id } = (await res.json()) as { id: string };
      let inst = { state: '', data: {} as Record<string, unknown> };
      for (let i = 0; i < 100 && inst.state !== 'COMPLETED'; i++) {
        await new Promise((r) => setTimeout(r, 100));
        inst = (await (await fetch(`${url}/api/instances/${id}`)).json()) as typeof inst;
      }
      expect(inst.state).toBe('COMPLETED');
      expect(inst.data).toMatchObject({ greeting: 'Hello, Ada!', delivered: true });
      const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
      expect(metrics).toMatch(/^workflow_step_duration_seconds_count\{workflow="greeting",step="deliver"\} 1$/m);
      expect((await fetch(`http://127.0.0.1:${metricsPort}/ready`)).status).toBe(200);
    } finally {
      worker.kill('SIGTERM');
      api.kill('SIGTERM');
    }
    const w = await workerDone;
    expect(w.code).toBe(0);
    expect(w.stderr + w.stdout).toMatch(/stopped after 2 step\(s\)/);
    expect((await apiDone).code).toBe(0);
  });
});

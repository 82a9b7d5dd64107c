import { afterAll, describe, expect, it, jest } from '@jest/globals';
import path from 'node:path';
import { FIXTURES, finished, printed, runCli, spawnCli, tempDatabase } from './support/cli-process.js';

// Every test runs the CLI as child processes (about half a second each).
jest.setTimeout(60_000);

describe('serve', () => {
  const db = tempDatabase();
  afterAll(() => db.remove());

  it('refuses to start without --token or an explicit --auth none', async () => {
    const result = await runCli(['serve', '--port', '0'], { WORKFLOW_DATABASE_URL: db.url, WORKFLOW_API_TOKEN: '' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('serve needs --token TOKEN');
  });

  it('serves the API over real HTTP with a bearer token, runs started workflows, and exits 0 on SIGTERM', async () => {
    const env = { WORKFLOW_DATABASE_URL: db.url };
    const child = spawnCli(['serve', '--port', '0', '--host', '127.0.0.1', '--token', 's3cret', '--module', path.join(FIXTURES, 'approval.mjs')], env);
    const done = finished(child);
    try {
      const [, url] = await printed(child, /listening on (http:\/\/\S+)/, 'serve');
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

      const health = await fetch(`${url}/api/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok' });
      expect((await fetch(`${url}/api/ready`)).status).toBe(200);
      const ui = await fetch(`${url}/ui`);
      expect(ui.status).toBe(200);
      expect(ui.headers.get('content-type')).toContain('text/html');

      expect((await fetch(`${url}/api/instances`)).status).toBe(401);
      const auth = { authorization: 'Bearer s3cret', 'content-type': 'application/json' };
      const started = await fetch(`${url}/api/workflows/expense_approval/instances`, { method: 'POST', headers: auth, body: JSON.stringify({ data: {} }) });
      expect(started.status).toBe(201);
      const { id } = (await started.json()) as { id: string };

      // The server runs the workflow (it has the actions) up to its human task.
      let state = '';
      for (let i = 0; i < 50 && state !== 'WAITING'; i++) {
        await new Promise((r) => setTimeout(r, 100));
        state = ((await (await fetch(`${url}/api/instances/${id}`, { headers: auth })).json()) as { state: string }).state;
      }
      expect(state).toBe('WAITING');
      const list = (await (await fetch(`${url}/api/instances`, { headers: auth })).json()) as { items: Array<{ id: string }> };
      expect(list.items.map((i) => i.id)).toContain(id);
      // The engine's Prometheus metrics, open to scrapers without the token.
      const metrics = await (await fetch(`${url}/api/metrics`)).text();
      expect(metrics).toMatch(/^workflow_started_total\{workflow="expense_approval"\} 1$/m);
      expect(metrics).toContain('workflow_step_duration_seconds_bucket');
    } finally {
      child.kill('SIGTERM');
    }
    const result = await done;
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('SIGTERM: closing');
  });
});

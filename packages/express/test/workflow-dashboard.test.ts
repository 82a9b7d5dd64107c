import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from '@jest/globals';
import express from 'express';
import { silentLogger, WorkflowEngine } from '@workflow-mastery/core';
import { createWorkflowRouter, workflowDashboard } from '../src/index.js';
import { listen } from './http-client.js';

const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function start(app: express.Express): Promise<string> {
  const server: Server = await listen(app.listen(0, '127.0.0.1') as Server);
  cleanup.push(() => new Promise((resolve) => server.close(resolve)));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('workflowDashboard', () => {
  it('serves the dashboard page and its assets over HTTP, and leaves other paths to the app', async () => {
    const engine = new WorkflowEngine({ logger: silentLogger });
    cleanup.push(() => engine.close());
    const app = express();
    app.use('/api/workflow', createWorkflowRouter({ engine, auth: 'none' }));
    app.use(workflowDashboard({ path: '/admin/workflows', apiBase: '/api/workflow' }));
    app.get('/admin/other', (_req, res) => void res.send('other'));
    const base = await start(app);

    const page = await fetch(`${base}/admin/workflows/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    expect(html).toContain('<base href="/admin/workflows/">');
    expect(html).toContain('"apiBase":"/api/workflow"');

    const css = await fetch(`${base}/admin/workflows/styles.css`);
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    const etag = css.headers.get('etag')!;
    expect((await fetch(`${base}/admin/workflows/styles.css`, { headers: { 'if-none-match': etag } })).status).toBe(304);

    expect(await (await fetch(`${base}/admin/other`)).text()).toBe('other');
    expect((await fetch(`${base}/api/workflow/instances`)).status).toBe(200);
  });

  it('also works mounted under a path of the app', async () => {
    const app = express();
    app.use('/admin', workflowDashboard({ path: '/admin/workflows', apiBase: '/api' }));
    const base = await start(app);
    const script = await fetch(`${base}/admin/workflows/graph-layout.js`);
    expect([script.status, script.headers.get('content-type')]).toEqual([200, 'text/javascript; charset=utf-8']);
  });
});

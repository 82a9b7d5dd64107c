import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
/** What is Express-specific in mounting the dashboard; the mount itself is core's dashboard-mount contract (dashboard-mount.test.ts). */
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
  it('leaves other paths and the API to the app', async () => {
    const engine = new WorkflowEngine({ logger: silentLogger });
    cleanup.push(() => engine.close());
    const app = express();
    app.use('/api/workflow', createWorkflowRouter({ engine, auth: 'none' }));
    app.use(workflowDashboard({ path: '/admin/workflows', apiBase: '/api/workflow' }));
    app.get('/admin/other', (_req, res) => void res.send('other'));
    app.get('/admin/workflowsx', (_req, res) => void res.send('sibling'));
    const base = await start(app);
    expect(await (await fetch(`${base}/admin/other`)).text()).toBe('other');
    expect(await (await fetch(`${base}/admin/workflowsx`)).text()).toBe('sibling');
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

import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from '@jest/globals';
import Fastify from 'fastify';
import { silentLogger, WorkflowEngine } from '@workflow-mastery/core';
import { fastifyWorkflow } from '../src/index.js';

const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

describe('fastifyWorkflow({ dashboard })', () => {
  it('serves the dashboard page and its assets over HTTP, pointed at the plugin prefix', async () => {
    const engine = new WorkflowEngine({ logger: silentLogger });
    cleanup.push(() => engine.close());
    const app = Fastify({ logger: false });
    cleanup.push(() => app.close());
    await app.register(fastifyWorkflow, { engine, prefix: '/workflow', authorize: () => true, principal: () => 'ada', dashboard: { path: '/dashboard', title: 'Ops' } });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;

    const page = await fetch(`${base}/dashboard`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await page.text();
    expect(html).toContain('<title>Ops</title>');
    expect(html).toContain('"apiBase":"/workflow"');

    const script = await fetch(`${base}/dashboard/app.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await script.text()).toContain('createApi');
    const nested = await fetch(`${base}/dashboard/pages/tasks.js`);
    expect(nested.status).toBe(200);

    expect((await fetch(`${base}/dashboard/nope.js`)).status).toBe(404);
    // The API is untouched.
    expect((await fetch(`${base}/workflow/instances`)).status).toBe(200);
  });

  it('refuses a malformed dashboard path without leaving an engine open', async () => {
    const app = Fastify({ logger: false });
    cleanup.push(() => app.close());
    await expect(app.register(fastifyWorkflow, { engineOptions: { logger: silentLogger }, auth: 'none', dashboard: { path: 'dashboard' } })).rejects.toThrow(/basePath must be a path starting with "\/"/);
  });
});

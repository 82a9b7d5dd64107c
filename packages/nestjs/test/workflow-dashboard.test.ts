/** The module's `dashboard` option: the web dashboard served through the HTTP adapter. */
import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterEach, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { WorkflowModule, WorkflowModuleConfigError } from '../src/index.js';

const apps: INestApplication[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

describe('dashboard', () => {
  it('serves the page and its assets over HTTP under the global prefix, pointed at the API', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [WorkflowModule.forRoot({ http: { prefix: 'wf', authorize: () => true }, dashboard: { path: '/ops/dashboard', title: 'Nest ops' } })],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    app.setGlobalPrefix('api');
    apps.push(app);
    await app.listen(0, '127.0.0.1');
    const base = `http://127.0.0.1:${((app.getHttpServer() as Server).address() as AddressInfo).port}`;

    for (const path of ['/api/ops/dashboard', '/api/ops/dashboard/']) {
      const page = await fetch(base + path);
      expect([path, page.status, page.headers.get('content-type')]).toEqual([path, 200, 'text/html; charset=utf-8']);
      const html = await page.text();
      expect(html).toContain('<title>Nest ops</title>');
      expect(html).toContain('<base href="/api/ops/dashboard/">');
      expect(html).toContain('"apiBase":"/api/wf"');
    }
    const script = await fetch(`${base}/api/ops/dashboard/pages/instances.js`);
    expect([script.status, script.headers.get('content-type'), script.headers.get('cache-control')]).toEqual([200, 'text/javascript; charset=utf-8', 'no-cache']);
    expect(await script.text()).toContain('export function instancesPage');
    expect((await fetch(`${base}/api/ops/dashboard/missing.js`)).status).toBe(404);
    // The API it points at answers there (401 without a principal: the page shows the refusal).
    expect((await fetch(`${base}/api/wf/instances`)).status).toBe(401);
  });

  it('refuses a dashboard without an API to call, and a malformed path', () => {
    expect(() => WorkflowModule.forRoot({ dashboard: { path: 'dashboard' } })).toThrow(WorkflowModuleConfigError);
    expect(() => WorkflowModule.forRoot({ dashboard: { path: 'dashboard' } })).toThrow(/pass http: \{ prefix, authorize \} too/);
    expect(() => WorkflowModule.forRoot({ http: { auth: 'none' }, dashboard: { path: 'a/../b' } })).toThrow(/dashboard.path must be a non-empty path/);
  });
});

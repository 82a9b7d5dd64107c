/** The dashboard's server side over a real Node HTTP server. */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createDashboard, dashboardAssetsDir } from '../src/index.js';

let server: Server;
let base: string;
const dashboard = createDashboard({ basePath: '/ops/dashboard/', apiBase: 'https://api.example.com/workflow/', title: 'Ops </title><script>alert(1)</script>' });

beforeAll(async () => {
  server = createServer((req, res) => {
    dashboard.handle(req, res).then((handled) => {
      if (!handled) res.writeHead(418, { 'content-type': 'text/plain' }).end('the app');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** A raw request (fetch would normalize `..` away). */
async function raw(path: string, method = 'GET'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}/`, { method, path }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('createDashboard', () => {
  it('serves the page with its configuration injected, escaped, and never cached', async () => {
    for (const path of ['/ops/dashboard', '/ops/dashboard/', '/ops/dashboard/index.html?x=1']) {
      const res = await fetch(base + path);
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const html = await res.text();
      expect(html).toContain('<base href="/ops/dashboard/">');
      expect(html).not.toContain('<script>alert(1)</script>');
      const json = /<script type="application\/json" id="wm-config">(.*?)<\/script>/.exec(html)![1]!;
      expect(JSON.parse(json)).toEqual({ basePath: '/ops/dashboard', apiBase: 'https://api.example.com/workflow', title: 'Ops </title><script>alert(1)</script>', refreshMs: 2000 });
    }
    const res = await fetch(`${base}/ops/dashboard`);
    expect(res.headers.get('content-security-policy')).toContain("connect-src 'self' https://api.example.com");
  });

  it('serves every script and stylesheet with its content type, an ETag and revalidation', async () => {
    const js = await fetch(`${base}/ops/dashboard/pages/instance.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toBe('no-cache');
    expect((await fetch(`${base}/ops/dashboard/pages/instance.js`, { headers: { 'if-none-match': js.headers.get('etag')! } })).status).toBe(304);
    expect((await fetch(`${base}/ops/dashboard/favicon.svg`)).headers.get('content-type')).toBe('image/svg+xml');
    const head = await fetch(`${base}/ops/dashboard/styles.css`, { method: 'HEAD' });
    expect([head.status, head.headers.get('content-type'), await head.text()]).toEqual([200, 'text/css; charset=utf-8', '']);
  });

  it("refuses paths that leave its folder (400) and answers 404 for unknown files, in the API's error format", async () => {
    for (const path of ['/ops/dashboard/../package.json', '/ops/dashboard/%2e%2e/src/index.ts', '/ops/dashboard/pages/..%2F..%2Fpackage.json', '/ops/dashboard/..%5Cpackage.json']) {
      const res = await raw(path);
      expect([path, res.status, JSON.parse(res.body).error.code]).toEqual([path, 400, 'WF_BAD_REQUEST']);
    }
    const missing = await raw('/ops/dashboard/package.json');
    expect([missing.status, JSON.parse(missing.body)]).toEqual([404, { error: { code: 'WF_ROUTE_NOT_FOUND', message: 'Not found: the dashboard has no such file.' } }]);
  });

  it('answers false (not its own) for other paths and methods', async () => {
    expect(await raw('/ops/dashboards')).toEqual({ status: 418, body: 'the app' });
    expect(await raw('/ops')).toEqual({ status: 418, body: 'the app' });
    expect((await raw('/ops/dashboard', 'POST')).status).toBe(418);
  });

  it('refuses malformed options with messages that say what to pass', () => {
    expect(() => createDashboard({ basePath: 'dashboard', apiBase: '/api' })).toThrow('basePath must be a path starting with "/"');
    expect(() => createDashboard({ basePath: '/a/../b', apiBase: '/api' })).toThrow('basePath');
    expect(() => createDashboard({ basePath: '/dashboard', apiBase: '' })).toThrow('apiBase must say where the workflow HTTP API is mounted');
    expect(() => createDashboard({ basePath: '/dashboard', apiBase: 'api' })).toThrow('apiBase');
    expect(() => createDashboard({ basePath: '/dashboard', apiBase: '/api', refreshMs: 10 })).toThrow('refreshMs');
  });

  it('ships plain browser modules and CSS, with nothing fetched from elsewhere', () => {
    const files = readdirSync(dashboardAssetsDir, { recursive: true }).map(String);
    expect(files).toEqual(expect.arrayContaining(['index.html', 'app.js', 'styles.css', 'graph-layout.js']));
    for (const file of files.filter((f) => /\.(html|js|css|svg)$/.test(f))) {
      const text = readFileSync(path.join(dashboardAssetsDir, file), 'utf8').replaceAll('http://www.w3.org/2000/svg', '');
      expect([file, text.match(/(https?:)?\/\/[a-z0-9-]+\.[a-z]/gi)]).toEqual([file, null]);
    }
  });
});

/**
 * The behaviour of the web dashboard as every adapter mounts it (Express, Fastify, NestJS...), as a
 * Jest suite of plain HTTP requests against a listening server:
 * `runDashboardMountContract('express', async (engine) => ({ origin, path: '/dashboard', close }))`.
 * It lives here, not in `@workflow-mastery/dashboard`, because it only speaks HTTP: core's testing
 * kit stays free of a dependency on the dashboard.
 */
import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it } from '@jest/globals';
import type { WorkflowEngine } from '../engine/workflow-engine.js';
import { makeContractEngine } from './http-contract-harness.js';

/** The adapter's server, the dashboard mounted on it next to the API it calls. */
export interface DashboardMount {
  /** `http://127.0.0.1:<port>` of the listening server. */
  origin: string;
  /** The dashboard's path as the browser sees it (with any global prefix), e.g. `/admin/workflows`. */
  path: string;
  /** Stop the server (the suite closes the engine itself). */
  close(): Promise<void>;
}

/**
 * Mounts the dashboard at a path of the adapter's choosing and the workflow HTTP API over `engine`
 * (with `auth: 'none'`) where the dashboard's `apiBase` says, and starts listening.
 */
export type DashboardMountFactory = (engine: WorkflowEngine) => Promise<DashboardMount>;

/** A response read in full. */
interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** A GET sending `path` exactly as given (fetch would resolve `..` before sending it). */
function rawGet(origin: string, path: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${origin}/`, { method: 'GET', path, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, text }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The dashboard's configuration as the page carries it. */
function pageConfig(html: string): { basePath: string; apiBase: string } {
  const json = /<script type="application\/json" id="wm-config">(.*?)<\/script>/s.exec(html)?.[1];
  expect(json).toBeDefined();
  return JSON.parse(json!) as { basePath: string; apiBase: string };
}

/** The API's error answer: `status`, `{ error: { code, message } }` as JSON. */
function expectApiError(res: RawResponse, status: number, code: string): void {
  expect({ status: res.status, type: String(res.headers['content-type']).split(';')[0] }).toEqual({ status, type: 'application/json' });
  const body = JSON.parse(res.text) as { error?: { code?: unknown; message?: unknown } };
  expect({ code: body.error?.code, message: typeof body.error?.message }).toEqual({ code, message: 'string' });
}

/** Paths under the dashboard that try to reach a file outside its assets (the package's `package.json`). */
const TRAVERSALS = ['../package.json', '%2e%2e/package.json', '%2E%2E/%2e%2e/package.json', 'pages/..%2F..%2Fpackage.json', '..%5Cpackage.json', '%2e%2e%2fpackage.json'];

/** Assets every dashboard build ships, with the content type they must be served with. */
const ASSETS: Array<[string, string]> = [
  ['app.js', 'text/javascript; charset=utf-8'],
  ['pages/instances.js', 'text/javascript; charset=utf-8'],
  ['styles.css', 'text/css; charset=utf-8'],
  ['favicon.svg', 'image/svg+xml'],
];

/**
 * Registers `describe("dashboard mount: <name>")`: the page at the mount path, the assets with
 * their content types and revalidation, the API the page calls answering at its `apiBase`, no file
 * outside the assets served, and unknown assets a 404 in the API's error format.
 */
export function runDashboardMountContract(name: string, mount: DashboardMountFactory): void {
  describe(`dashboard mount: ${name}`, () => {
    const opened: Array<{ engine: WorkflowEngine; server: DashboardMount }> = [];
    afterEach(async () => {
      for (const { engine, server } of opened.splice(0)) {
        await server.close();
        await engine.close();
      }
    });

    async function setup(): Promise<DashboardMount & { engine: WorkflowEngine }> {
      const engine = makeContractEngine();
      const server = await mount(engine);
      opened.push({ engine, server });
      expect(server.path).toMatch(/^\/.*[^/]$/);
      return { ...server, engine };
    }

    it('serves the page at the mount path (with or without the slash), configured for that path, never cached', async () => {
      const { origin, path } = await setup();
      for (const at of [path, `${path}/`]) {
        const page = await rawGet(origin, at);
        expect([at, page.status, page.headers['content-type']]).toEqual([at, 200, 'text/html; charset=utf-8']);
        expect(page.headers['cache-control']).toBe('no-store');
        expect(String(page.headers['content-security-policy'])).toContain("script-src 'self'");
        expect(page.text).toContain(`<base href="${path}/">`);
        expect(pageConfig(page.text).basePath).toBe(path);
      }
    });

    it('serves its assets with their content types, an ETag and a 304 on revalidation', async () => {
      const { origin, path } = await setup();
      for (const [file, type] of ASSETS) {
        const res = await rawGet(origin, `${path}/${file}`);
        expect([file, res.status, res.headers['content-type'], res.headers['x-content-type-options']]).toEqual([file, 200, type, 'nosniff']);
        expect(res.text.length).toBeGreaterThan(0);
        const etag = String(res.headers['etag']);
        expect((await rawGet(origin, `${path}/${file}`, { 'if-none-match': etag })).status).toBe(304);
      }
      expect((await rawGet(origin, `${path}/app.js`)).text).toContain('import');
    });

    it('points the page at the API, which answers there', async () => {
      const { origin, path, engine } = await setup();
      const { apiBase } = pageConfig((await rawGet(origin, path)).text);
      const api = new URL(apiBase.startsWith('/') ? origin + apiBase : apiBase);
      expect(api.origin).toBe(origin);
      const definitions = await fetch(`${api.href}/definitions`);
      expect([definitions.status, definitions.headers.get('content-type')?.split(';')[0]]).toEqual([200, 'application/json']);
      const names = ((await definitions.json()) as { items: Array<{ name: string }> }).items.map((d) => d.name);
      expect(names).toContain('contract_quick');
      const started = await fetch(`${api.href}/workflows/contract_quick/instances`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-user': 'alice' }, body: '{}' });
      expect(started.status).toBe(201);
      const { id } = (await started.json()) as { id: string };
      await engine.waitFor(id);
      const listed = (await (await fetch(`${api.href}/instances`, { headers: { 'x-user': 'alice' } })).json()) as { items: Array<{ id: string }> };
      expect(listed.items.map((i) => i.id)).toEqual([id]);
    });

    it('serves no file outside its assets, whatever the encoding of ".."', async () => {
      const { origin, path } = await setup();
      for (const traversal of TRAVERSALS) {
        const res = await rawGet(origin, `${path}/${traversal}`);
        expect([traversal, res.status === 400 || res.status === 404]).toEqual([traversal, true]);
        expect([traversal, res.text.includes('"name"')]).toEqual([traversal, false]);
        expectApiError(res, res.status, res.status === 400 ? 'WF_BAD_REQUEST' : 'WF_ROUTE_NOT_FOUND');
      }
    });

    it("answers an unknown asset with a 404 in the API's error format", async () => {
      const { origin, path } = await setup();
      for (const missing of ['nope.js', 'pages/nope.js', 'package.json']) {
        expectApiError(await rawGet(origin, `${path}/${missing}`), 404, 'WF_ROUTE_NOT_FOUND');
      }
    });
  });
}

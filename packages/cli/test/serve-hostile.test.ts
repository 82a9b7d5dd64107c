/**
 * `serve` against hostile input: core's hostile-input contract on the app `serve` runs, and a real
 * `serve` process without `--module` answering clean 4xx, never a stack trace, and logging a 5xx with its cause.
 */
import { afterAll, describe, expect, it, jest } from '@jest/globals';
import { rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fetchContractClient, runHostileHttpContract } from '@workflow-mastery/core/testing';
import { createHttpApp } from '../src/http-app.js';
import { FIXTURES, finished, printed, spawnCli, tempDatabase } from './support/cli-process.js';

jest.setTimeout(60_000);

const TOKEN = 'contract-token';

// The contract's `x-user` header means "authenticated": here that is the bearer token `serve --token` checks.
runHostileHttpContract('cli serve (createHttpApp, --token)', async ({ engine }) => {
  const app = createHttpApp({ engine, auth: { kind: 'token', token: TOKEN }, isReady: () => true });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const client = fetchContractClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api`, () => new Promise((resolve) => server.close(() => resolve())));
  return {
    request(method, route, options = {}) {
      const { 'x-user': user, 'x-role': _role, ...headers } = options.headers ?? {};
      return client.request(method, route, { ...options, headers: user ? { ...headers, authorization: `Bearer ${TOKEN}` } : headers });
    },
    close: client.close,
  };
});

describe('serve without --module (a real process)', () => {
  const db = tempDatabase();
  afterAll(() => db.remove());

  it('answers hostile requests with clean 4xx (no stack in the log) and logs a 5xx with its cause', async () => {
    const store = path.join(db.dir, 'store');
    const child = spawnCli(['serve', '--port', '0', '--host', '127.0.0.1', '--token', TOKEN, '--database', `file:${store}`, '--definition', path.join(FIXTURES, 'greeting.yaml')]);
    const done = finished(child);
    try {
      const [, url] = await printed(child, /listening on (http:\/\/\S+)/, 'serve');
      const auth = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
      const post = (route: string, body: string | Buffer, headers: Record<string, string> = auth) => fetch(`${url}/api${route}`, { method: 'POST', headers, body });
      const codeOf = async (res: Response) => [res.status, ((await res.json()) as { error: { code: string } }).error.code];

      expect(await codeOf(await fetch(`${url}/api/instances/%E0%A4%A`))).toEqual([400, 'WF_BAD_REQUEST']);
      expect(await codeOf(await fetch(`${url}/api/tasks/%`, { headers: auth }))).toEqual([400, 'WF_BAD_REQUEST']);
      expect(await codeOf(await post('/instances/x/signals/%C0%AE', '{}'))).toEqual([400, 'WF_BAD_REQUEST']);
      expect(await codeOf(await post('/workflows/greeting/instances', 'garbage', { ...auth, 'content-encoding': 'gzip' }))).toEqual([415, 'WF_UNSUPPORTED_MEDIA_TYPE']);
      expect(await codeOf(await post('/workflows/greeting/instances', '{"data":', { 'content-type': 'application/json' }))).toEqual([401, 'WF_UNAUTHENTICATED']);
      expect(await codeOf(await post('/workflows/greeting/instances', `{"data":{"deep":${'['.repeat(5000)}${']'.repeat(5000)}}}`))).toEqual([400, 'WF_INPUT_INVALID']);
      expect(await codeOf(await post('/workflows/greeting/instances', '{"data":{"__proto__":{"admin":true}}}'))).toEqual([400, 'WF_INPUT_INVALID']);

      // The storage breaks under the server (its history folder becomes a file): a 500, logged with its cause.
      rmSync(path.join(store, 'history'), { recursive: true, force: true });
      writeFileSync(path.join(store, 'history'), '');
      const broken = await post('/workflows/greeting/instances', '{}');
      expect(await codeOf(broken)).toEqual([500, 'WF_INTERNAL']);
    } finally {
      child.kill('SIGTERM');
    }
    const result = await done;
    expect(result.code).toBe(0);
    const errors = result.stderr.split('\n').filter((line) => line.includes('[error]'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('ENOTDIR');
    // No 4xx above wrote anything like a stack trace.
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

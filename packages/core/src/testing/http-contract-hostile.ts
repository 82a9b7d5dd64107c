/**
 * The HTTP contract's hostile input: what an attacker (or a broken client) sends gets the same clean
 * 4xx in the API's format on every adapter, and reaches neither the engine nor the storage.
 */
import { describe, expect, it } from '@jest/globals';
import { gzipSync } from 'node:zlib';
import { ALICE, type ContractHarness } from './http-contract-harness.js';
import type { HttpContractResponse } from './http-contract-types.js';

const START = '/workflows/contract_quick/instances';
const JSON_TYPE = { 'content-type': 'application/json' };

/** `{"a":{"a":...1...}}` (or `[[...1...]]`) nested `depth` levels, as text: building it as a value and stringifying would overflow the stack. */
function nested(depth: number, kind: 'object' | 'array'): string {
  return kind === 'object' ? `${'{"a":'.repeat(depth - 1)}{"a":1}${'}'.repeat(depth - 1)}` : `${'['.repeat(depth)}1${']'.repeat(depth)}`;
}

/**
 * The API's error and nothing more: the status, `{ error: { code, message, details? } }` as JSON,
 * no stack trace or framework field in it.
 */
export function expectApiError(res: HttpContractResponse, status: number, code: string, messagePart?: string | RegExp): void {
  expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status, code });
  expect(String(res.headers['content-type'])).toContain('application/json');
  expect(Object.keys(res.body)).toEqual(['error']);
  for (const key of Object.keys(res.body.error)) expect(['code', 'message', 'details']).toContain(key);
  expect(typeof res.body.error.message).toBe('string');
  expect(res.body.error.message).not.toMatch(/\n\s+at /);
  if (messagePart !== undefined) expect(res.body.error.message).toMatch(messagePart);
}

/** Registers the hostile-input cases. */
export function hostileCases(h: ContractHarness): void {
  const { setup } = h;

  describe('deep nesting (limit: 64 levels of data)', () => {
    for (const kind of ['object', 'array'] as const) {
      it(`answers 400 WF_INPUT_INVALID for start data and a signal payload with ${kind}s nested 5,000 deep, storing nothing`, async () => {
        const { engine, client, started: start } = await setup();
        const res = await client.request('POST', START, { rawBody: `{"data":{"deep":${nested(5000, kind)}}}`, headers: ALICE });
        expectApiError(res, 400, 'WF_INPUT_INVALID', /64/);
        const inst = await start('contract_signal');
        const signal = await client.request('POST', `/instances/${inst.id}/signals/go`, { rawBody: `{"deep":${nested(5000, kind)}}`, headers: ALICE });
        expectApiError(signal, 400, 'WF_INPUT_INVALID', /64/);
        expect((await engine.listInstances()).items).toHaveLength(1);
        expect((await engine.getInstance(inst.id)).state).toBe('WAITING');
      });
    }

    it('accepts data nested exactly 64 levels, refuses 65', async () => {
      const { client } = await setup();
      const ok = await client.request('POST', START, { rawBody: `{"data":${nested(64, 'object')}}`, headers: ALICE });
      expect(ok.status).toBe(201);
      expectApiError(await client.request('POST', START, { rawBody: `{"data":${nested(65, 'object')}}`, headers: ALICE }), 400, 'WF_INPUT_INVALID', /64/);
    });
  });

  describe('bad percent-encoding in the path', () => {
    for (const [method, path] of [
      ['GET', '/instances/%E0%A4%A'],
      ['GET', '/tasks/%'],
      ['POST', '/instances/x/signals/%C0%AE'],
    ] as const) {
      it(`answers 400 WF_BAD_REQUEST for ${method} ${path}, with or without a principal`, async () => {
        const { client } = await setup();
        const body = method === 'POST' ? { body: {} } : {};
        expectApiError(await client.request(method, path, { ...body, headers: ALICE }), 400, 'WF_BAD_REQUEST');
        expectApiError(await client.request(method, path, { ...body, headers: {} }), 400, 'WF_BAD_REQUEST');
      });
    }
  });

  describe('compressed bodies (content-encoding other than identity)', () => {
    const json = JSON.stringify({ data: { compressed: true } });
    for (const [encoding, label, body] of [
      ['gzip', 'a real gzip body', gzipSync(json)],
      ['gzip', 'garbage', 'not gzip at all'],
      ['deflate', 'garbage', 'not deflate'],
      ['br', 'garbage', 'not brotli'],
    ] as const) {
      it(`answers 415 WF_UNSUPPORTED_MEDIA_TYPE for ${label} sent as ${encoding}, starting nothing`, async () => {
        const { engine, client } = await setup();
        const res = await client.request('POST', START, { rawBody: body, headers: { ...ALICE, ...JSON_TYPE, 'content-encoding': encoding } });
        expectApiError(res, 415, 'WF_UNSUPPORTED_MEDIA_TYPE', new RegExp(`content-encoding ${encoding}`));
        expect((await engine.listInstances()).items).toHaveLength(0);
      });
    }

    it('accepts content-encoding identity', async () => {
      const { client } = await setup();
      expect((await client.request('POST', START, { rawBody: json, headers: { ...ALICE, ...JSON_TYPE, 'content-encoding': 'identity' } })).status).toBe(201);
    });
  });

  describe('no principal: 401 before the body is read', () => {
    it('answers 401 for a malformed, a compressed and a 10 MB body, starting nothing', async () => {
      const { engine, client } = await setup();
      expectApiError(await client.request('POST', START, { rawBody: '{"data": {', headers: JSON_TYPE }), 401, 'WF_UNAUTHENTICATED');
      expectApiError(await client.request('POST', START, { rawBody: 'x', headers: { ...JSON_TYPE, 'content-encoding': 'gzip' } }), 401, 'WF_UNAUTHENTICATED');
      const huge = `{"data":{"blob":"${'x'.repeat(10 * 1024 * 1024)}"}}`;
      expectApiError(await client.request('POST', START, { rawBody: huge, headers: JSON_TYPE }), 401, 'WF_UNAUTHENTICATED');
      expect((await engine.listInstances()).items).toHaveLength(0);
    });
  });

  describe('prototype keys', () => {
    for (const [key, raw, path] of [
      ['__proto__', '{"data":{"x":{"__proto__":{"polluted":true}}}}', 'body.data.x.__proto__'],
      ['constructor.prototype', '{"data":{"constructor":{"prototype":{"polluted":true}}}}', 'body.data.constructor'],
    ] as const) {
      it(`answers 400 WF_INPUT_INVALID naming "${key}" and its path in start data, a signal payload and task data`, async () => {
        const { engine, client, started: start } = await setup();
        const message = new RegExp(`"${key.replace('.', '\\.')}" at ${path.replace(/\./g, '\\.')}`);
        expectApiError(await client.request('POST', START, { rawBody: raw, headers: ALICE }), 400, 'WF_INPUT_INVALID', message);
        const inst = await start('contract_signal');
        const payload = raw.slice('{"data":'.length, -1);
        expectApiError(await client.request('POST', `/instances/${inst.id}/signals/go`, { rawBody: payload, headers: ALICE }), 400, 'WF_INPUT_INVALID', new RegExp(`"${key.replace('.', '\\.')}"`));
        const approval = await start('contract_approval');
        const task = (await engine.listTasks({ instanceId: approval.id }))[0]!;
        expectApiError(await client.request('POST', `/tasks/${task.id}/complete`, { rawBody: raw, headers: ALICE }), 400, 'WF_INPUT_INVALID', message);
        expect((await engine.getInstance(inst.id)).state).toBe('WAITING');
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      });
    }
  });

  describe('long ids', () => {
    for (const length of [101, 256]) {
      it(`answers 404 WF_NOT_FOUND for ids of ${length} characters that do not exist`, async () => {
        const { call, started: start } = await setup();
        const id = 'i'.repeat(length);
        expectApiError(await call('GET', `/instances/${id}`), 404, 'WF_NOT_FOUND');
        expectApiError(await call('GET', `/tasks/${id}`), 404, 'WF_NOT_FOUND');
        expectApiError(await call('POST', `/instances/${id}/signals/go`, {}), 404, 'WF_NOT_FOUND');
        const inst = await start('contract_signal');
        expect((await call('POST', `/instances/${inst.id}/signals/${'s'.repeat(length)}`, {})).status).toBe(200);
      });
    }

    it('answers 400 WF_BAD_REQUEST naming the limit (256) for an id of 300 characters', async () => {
      const { call } = await setup();
      const id = 'i'.repeat(300);
      expectApiError(await call('GET', `/instances/${id}`), 400, 'WF_BAD_REQUEST', /256/);
      expectApiError(await call('GET', `/tasks/${id}`), 400, 'WF_BAD_REQUEST', /256/);
      expectApiError(await call('POST', `/instances/${id}/signals/go`, {}), 400, 'WF_BAD_REQUEST', /256/);
    });
  });

  describe('body sizes (bodyLimit: 1 MiB)', () => {
    it('accepts a 200 KB start (201) and refuses a 3 MB one (413 WF_PAYLOAD_TOO_LARGE)', async () => {
      const { engine, call } = await setup();
      const ok = await call('POST', START, { data: { blob: 'x'.repeat(200 * 1024) } });
      expect(ok.status).toBe(201);
      expectApiError(await call('POST', START, { data: { blob: 'x'.repeat(3 * 1024 * 1024) } }), 413, 'WF_PAYLOAD_TOO_LARGE');
      expect((await engine.listInstances()).items).toHaveLength(1);
    });
  });

  describe('null as the body', () => {
    it('answers 400 WF_INPUT_INVALID "the body must be a JSON object" on start, signal and task completion', async () => {
      const { engine, client, started: start } = await setup();
      const nullBody = { rawBody: 'null', headers: ALICE };
      expectApiError(await client.request('POST', START, nullBody), 400, 'WF_INPUT_INVALID', /body must be a JSON object/);
      const inst = await start('contract_signal');
      expectApiError(await client.request('POST', `/instances/${inst.id}/signals/go`, nullBody), 400, 'WF_INPUT_INVALID', /body must be a JSON object/);
      const approval = await start('contract_approval');
      const task = (await engine.listTasks({ instanceId: approval.id }))[0]!;
      expectApiError(await client.request('POST', `/tasks/${task.id}/complete`, nullBody), 400, 'WF_INPUT_INVALID', /body must be a JSON object/);
      expect((await engine.getInstance(inst.id)).state).toBe('WAITING');
    });
  });

  describe('error format', () => {
    it('answers every 4xx as { error: { code, message } } in JSON', async () => {
      const { client, call } = await setup();
      expectApiError(await call('GET', '/instances/missing'), 404, 'WF_NOT_FOUND');
      expectApiError(await call('GET', '/instances', undefined, {}), 401, 'WF_UNAUTHENTICATED');
      expectApiError(await call('GET', '/instances?limit=abc'), 400, 'WF_INPUT_INVALID');
      expectApiError(await call('POST', START, { data: 'x' }), 400, 'WF_INPUT_INVALID');
      expectApiError(await client.request('POST', START, { rawBody: 'a=1', headers: { ...ALICE, 'content-type': 'text/plain' } }), 415, 'WF_UNSUPPORTED_MEDIA_TYPE');
      expectApiError(await call('POST', '/workflows/nope/instances', {}), 404, 'WF_DEFINITION_NOT_FOUND');
    });
  });
}

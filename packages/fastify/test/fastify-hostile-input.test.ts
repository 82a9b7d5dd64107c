/**
 * Hostile and unusual requests against the plugin on a real HTTP server: each is a 4xx in the
 * API's `{ error: { code, message } }` format, the same as on the other adapters.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import Fastify, { type FastifyInstance } from 'fastify';
import { ActionResult, silentLogger, WorkflowEngine } from '@workflow-mastery/core';
import { fastifyWorkflow, workflowFrameworkErrors } from '../src/index.js';

const PREFIX = '/api/workflow';

interface Answer {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  text: string;
}

let app: FastifyInstance;
let engine: WorkflowEngine;
let base: URL;

beforeAll(async () => {
  engine = new WorkflowEngine({
    logger: silentLogger,
    actions: { ok: () => ActionResult.success(), wait_go: () => ActionResult.wait({ signal: 'go' }) },
    definitions: [
      { name: 'flow', steps: { a: { action: 'ok' } } },
      { name: 'waiting', steps: { wait: { action: 'wait_go' }, done: { action: 'ok' } }, transitions: [{ from: 'wait', to: 'done' }] },
    ],
  });
  app = Fastify({ logger: false, frameworkErrors: workflowFrameworkErrors({ prefix: PREFIX }) });
  await app.register(fastifyWorkflow, {
    engine,
    prefix: PREFIX,
    principal: (req) => (typeof req.headers['x-user'] === 'string' ? req.headers['x-user'] : undefined),
    authorize: () => true,
  });
  app.get('/elsewhere/:thing', async () => ({ ok: true }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  base = new URL(`http://127.0.0.1:${(app.server.address() as AddressInfo).port}`);
});

afterAll(async () => {
  await app.close();
  await engine.close();
});

/** One request over a socket; `path` is sent exactly as written (no URL normalisation). */
function send(method: string, path: string, options: { body?: string | Buffer; headers?: Record<string, string>; user?: string | null } = {}): Promise<Answer> {
  const { body, user = 'alice' } = options;
  const headers: Record<string, string> = { ...(body !== undefined ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) } : {}), ...(user ? { 'x-user': user } : {}), ...options.headers };
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: base.hostname, port: base.port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown = text;
        try {
          parsed = JSON.parse(text);
        } catch {
          // not JSON: keep the text
        }
        resolve({ status: res.statusCode ?? 0, body: parsed, text });
      });
    });
    // The server may answer (401, 413) and stop reading before a large body is all sent.
    req.on('error', (error: NodeJS.ErrnoException) => (error.code === 'EPIPE' || error.code === 'ECONNRESET' ? undefined : reject(error)));
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/** The answer is `status` with exactly `{ error: { code, message } }` (details optional). */
function expectError(res: Answer, status: number, code: string, message?: RegExp): void {
  expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status, code });
  expect(Object.keys(res.body)).toEqual(['error']);
  expect(typeof res.body.error.message).toBe('string');
  for (const key of Object.keys(res.body.error)) expect(['code', 'message', 'details']).toContain(key);
  if (message) expect(res.body.error.message).toMatch(message);
}

const start = (definition = 'flow') => `${PREFIX}/workflows/${definition}/instances`;

/** `depth` objects nested in one another (`{"a":{"a":...}}`), as JSON text. */
const nestedObjects = (depth: number) => `${'{"a":'.repeat(depth - 1)}{}${'}'.repeat(depth - 1)}`;
/** `depth` arrays nested in one another, as JSON text. */
const nestedArrays = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

describe('fastifyWorkflow: no principal means 401 before the body is read', () => {
  it('answers 401 to malformed JSON without a principal', async () => {
    expectError(await send('POST', start(), { body: '{"data":', user: null }), 401, 'WF_UNAUTHENTICATED');
  });

  it('answers 401 to a 10 MB body without a principal', async () => {
    expectError(await send('POST', start(), { body: `{"data":{"x":"${'x'.repeat(10 * 1024 * 1024)}"}}`, user: null }), 401, 'WF_UNAUTHENTICATED');
  });

  it('answers 401 to a body that is not JSON, or is compressed, without a principal', async () => {
    expectError(await send('POST', start(), { body: 'hello', headers: { 'content-type': 'text/plain' }, user: null }), 401, 'WF_UNAUTHENTICATED');
    expectError(await send('POST', start(), { body: gzipSync('{}'), headers: { 'content-encoding': 'gzip' }, user: null }), 401, 'WF_UNAUTHENTICATED');
  });

  it('still answers 400 WF_BAD_JSON to malformed JSON with a principal', async () => {
    expectError(await send('POST', start(), { body: '{"data":' }), 400, 'WF_BAD_JSON');
  });
});

describe('fastifyWorkflow: body sizes', () => {
  it('starts with 200 KB of data (under the 1 MiB limit)', async () => {
    const res = await send('POST', start(), { body: JSON.stringify({ data: { blob: 'x'.repeat(200 * 1024) } }) });
    expect(res.status).toBe(201);
    expect(res.body.data.blob).toHaveLength(200 * 1024);
  });

  it('answers 413 WF_PAYLOAD_TOO_LARGE to 3 MB', async () => {
    expectError(await send('POST', start(), { body: JSON.stringify({ data: { blob: 'x'.repeat(3 * 1024 * 1024) } }) }), 413, 'WF_PAYLOAD_TOO_LARGE', /1048576 bytes/);
  });
});

describe('fastifyWorkflow: prototype keys', () => {
  it('answers 400 WF_INPUT_INVALID naming a __proto__ key and its path', async () => {
    const res = await send('POST', start(), { body: '{"data":{"x":{"__proto__":{"polluted":true}}}}' });
    expectError(res, 400, 'WF_INPUT_INVALID', /"__proto__" at body\.data\.x\.__proto__ /);
    expect(res.body.error.message).not.toMatch(/not valid JSON/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('answers 400 WF_INPUT_INVALID to constructor.prototype in a signal payload', async () => {
    const instance = await engine.start('waiting', {});
    await engine.waitFor(instance.id);
    const res = await send('POST', `${PREFIX}/instances/${instance.id}/signals/go`, { body: '{"constructor":{"prototype":{"polluted":true}}}' });
    expectError(res, 400, 'WF_INPUT_INVALID', /"constructor\.prototype" at body\.constructor /);
    expect((await engine.getInstance(instance.id))?.state).toBe('WAITING');
  });

  it('answers 400 WF_INPUT_INVALID to __proto__ at the top of a body and inside an array', async () => {
    expectError(await send('POST', start(), { body: '{"__proto__":{"polluted":true}}' }), 400, 'WF_INPUT_INVALID', /"__proto__" at body\.__proto__ /);
    expectError(await send('POST', start(), { body: '{"data":{"list":[1,{"__proto__":{}}]}}' }), 400, 'WF_INPUT_INVALID', /at body\.data\.list\.1\.__proto__ /);
  });

  it('accepts "constructor" and "prototype" as ordinary keys on their own', async () => {
    const res = await send('POST', start(), { body: '{"data":{"constructor":"Ada","prototype":{"v":1}}}' });
    expect(res.status).toBe(201);
    expect(res.body.data).toEqual({ constructor: 'Ada', prototype: { v: 1 } });
  });
});

describe('fastifyWorkflow: null as the body', () => {
  it('answers 400 WF_INPUT_INVALID to null on start, signal and task completion, and 201 to no body', async () => {
    expectError(await send('POST', start(), { body: 'null' }), 400, 'WF_INPUT_INVALID', /body must be a JSON object \(got null\)/);
    const instance = await engine.start('waiting', {});
    await engine.waitFor(instance.id);
    expectError(await send('POST', `${PREFIX}/instances/${instance.id}/signals/go`, { body: 'null' }), 400, 'WF_INPUT_INVALID', /got null/);
    expectError(await send('POST', `${PREFIX}/tasks/${instance.id}.wait.1/complete`, { body: 'null' }), 400, 'WF_INPUT_INVALID', /got null/);
    expect((await send('POST', start())).status).toBe(201);
  });
});

describe('fastifyWorkflow: nesting', () => {
  it('answers 400 WF_INPUT_INVALID naming the field and the limit to start data 5,000 objects deep', async () => {
    const res = await send('POST', start(), { body: `{"data":${nestedObjects(5000)}}` });
    expectError(res, 400, 'WF_INPUT_INVALID', /^body\.data\.a\.a.* is nested deeper than 64 levels/);
  });

  it('answers 400 WF_INPUT_INVALID to a signal payload of arrays 5,000 deep', async () => {
    const instance = await engine.start('waiting', {});
    await engine.waitFor(instance.id);
    expectError(await send('POST', `${PREFIX}/instances/${instance.id}/signals/go`, { body: `{"items":${nestedArrays(5000)}}` }), 400, 'WF_INPUT_INVALID', /64 levels/);
  });

  it('starts with data nested exactly 64 levels, refuses 65', async () => {
    expect((await send('POST', start(), { body: `{"data":${nestedObjects(64)}}` })).status).toBe(201);
    expectError(await send('POST', start(), { body: `{"data":${nestedObjects(65)}}` }), 400, 'WF_INPUT_INVALID', /64 levels/);
  });
});

describe('fastifyWorkflow: content-encoding', () => {
  it.each([
    ['gzip', gzipSync('{"data":{}}')],
    ['deflate', deflateSync('{"data":{}}')],
    ['br', brotliCompressSync('{"data":{}}')],
  ])('answers 415 WF_UNSUPPORTED_MEDIA_TYPE to a %s body', async (encoding, payload) => {
    const res = await send('POST', start(), { body: payload, headers: { 'content-encoding': encoding } });
    expectError(res, 415, 'WF_UNSUPPORTED_MEDIA_TYPE', new RegExp(`^content-encoding ${encoding} is not supported; send the JSON body uncompressed`));
  });

  it('answers 415 to a body that is not what its content-encoding says', async () => {
    expectError(await send('POST', start(), { body: '{"data":{}}', headers: { 'content-encoding': 'gzip' } }), 415, 'WF_UNSUPPORTED_MEDIA_TYPE');
  });

  it('accepts content-encoding identity', async () => {
    expect((await send('POST', start(), { body: '{"data":{}}', headers: { 'content-encoding': 'identity' } })).status).toBe(201);
  });
});

describe('fastifyWorkflow: long ids and bad paths', () => {
  const id = (n: number) => 'i'.repeat(n);

  it.each([101, 150, 256])('answers 404 WF_NOT_FOUND to unknown ids of %i characters on every route that takes one', async (n) => {
    expectError(await send('GET', `${PREFIX}/instances/${id(n)}`), 404, 'WF_NOT_FOUND');
    expectError(await send('GET', `${PREFIX}/instances/${id(n)}/history`), 404, 'WF_NOT_FOUND');
    expectError(await send('POST', `${PREFIX}/instances/${id(n)}/signals/go`, { body: '{}' }), 404, 'WF_NOT_FOUND');
    expectError(await send('POST', `${PREFIX}/instances/x/signals/${id(n)}`, { body: '{}' }), 404, 'WF_NOT_FOUND');
    expectError(await send('POST', `${PREFIX}/instances/${id(n)}/cancel`, { body: '{}' }), 404, 'WF_NOT_FOUND');
    expectError(await send('GET', `${PREFIX}/tasks/${id(n)}`), 404, 'WF_NOT_FOUND');
    expectError(await send('POST', `${PREFIX}/tasks/${id(n)}/complete`, { body: '{}' }), 404, 'WF_NOT_FOUND');
    expectError(await send('POST', start(id(n)), { body: '{}' }), 404, 'WF_DEFINITION_NOT_FOUND');
  });

  it('still checks the principal and the body on a long id', async () => {
    expectError(await send('GET', `${PREFIX}/instances/${id(150)}`, { user: null }), 401, 'WF_UNAUTHENTICATED');
    expectError(await send('POST', `${PREFIX}/instances/${id(150)}/cancel`, { body: '{"reason":1}' }), 400, 'WF_INPUT_INVALID');
    expectError(await send('POST', `${PREFIX}/instances/${id(150)}/signals/go`, { body: '{"__proto__":{}}' }), 400, 'WF_INPUT_INVALID', /__proto__/);
  });

  it('serves an existing instance whose id is longer than 100 characters', async () => {
    const instance = await engine.start('waiting', {}, { instanceId: id(180) });
    await engine.waitFor(instance.id);
    const res = await send('GET', `${PREFIX}/instances/${instance.id}`);
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(id(180));
    const signalled = await send('POST', `${PREFIX}/instances/${instance.id}/signals/go`, { body: '{"ok":true}' });
    expect(signalled.status).toBe(200);
    expect(signalled.body.data).toEqual({ ok: true });
  });

  it('answers 400 WF_BAD_REQUEST naming the limit to ids over 256 characters', async () => {
    expectError(await send('GET', `${PREFIX}/instances/${id(257)}`), 400, 'WF_BAD_REQUEST', /at most 256 characters/);
    expectError(await send('POST', `${PREFIX}/instances/x/signals/${id(5000)}`, { body: '{}' }), 400, 'WF_BAD_REQUEST', /The signal in the path .*256/);
  });

  it("answers the same on a server whose maxParamLength is above 256 (ids reach the plugin's own routes)", async () => {
    const wide = Fastify({ logger: false, routerOptions: { maxParamLength: 5000 } });
    await wide.register(fastifyWorkflow, { engine, prefix: PREFIX, principal: () => 'alice', authorize: () => true });
    try {
      const long = await wide.inject({ url: `${PREFIX}/instances/${id(300)}` });
      expect([long.statusCode, long.json().error.code]).toEqual([400, 'WF_BAD_REQUEST']);
      expect(long.json().error.message).toMatch(/The id in the path is 300 characters long; .*at most 256/);
      const unknown = await wide.inject({ url: `${PREFIX}/tasks/${id(256)}` });
      expect([unknown.statusCode, unknown.json().error.code]).toEqual([404, 'WF_NOT_FOUND']);
    } finally {
      await wide.close();
    }
  });

  it('answers 404 WF_ROUTE_NOT_FOUND to unknown paths below a parametric prefix', async () => {
    expectError(await send('GET', `${PREFIX}/instances/x/nothing/here`), 404, 'WF_ROUTE_NOT_FOUND');
    expectError(await send('GET', `${PREFIX}/instances/${id(150)}/nothing`), 404, 'WF_ROUTE_NOT_FOUND');
  });

  it.each(['/instances/%E0%A4%A', '/tasks/%', '/instances/x/signals/%C0%AE'])('answers 400 WF_BAD_REQUEST to bad percent-encoding in %s', async (path) => {
    const res = await send(path.includes('signals') ? 'POST' : 'GET', `${PREFIX}${path}`, path.includes('signals') ? { body: '{}' } : {});
    expectError(res, 400, 'WF_BAD_REQUEST', /percent-encoding/);
  });

  it("leaves Fastify's own answer to bad percent-encoding outside the prefix", async () => {
    const res = await send('GET', '/elsewhere/%E0%A4%A');
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('FST_ERR_BAD_URL');
  });
});

/**
 * Hostile requests against the module's API on Nest-Express and Nest-Fastify, each app with its own
 * body parser on (Nest's default): every answer is a 4xx in the API's `{ error: { code, message } }`
 * format, the same on both platforms, and the documented 1 MiB `bodyLimit` applies, not the app's.
 */
import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { gzipSync } from 'node:zlib';
import { WorkflowModule, type WorkflowHttpNestRequest } from '../src/index.js';
import { pingWorkflow, RejectOrderAction } from './fixtures.js';
import { rawRequest, type RawResponse } from './raw-http.js';

type Platform = 'express' | 'fastify';

/** JSON nested `depth` levels deep in `data`. */
const deepBody = (depth: number) => `{"data":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`;
const protoBody = '{"data":{"x":{"__proto__":{"polluted":true}}}}';

async function boot(platform: Platform): Promise<{ app: INestApplication; base: string }> {
  const moduleRef = await Test.createTestingModule({
    imports: [
      WorkflowModule.forRoot({
        definitions: [pingWorkflow],
        http: {
          prefix: 'workflow',
          principal: (req: WorkflowHttpNestRequest) => (typeof req.headers['x-user'] === 'string' ? { id: req.headers['x-user'] } : undefined),
          authorize: () => true,
        },
      }),
    ],
    providers: [RejectOrderAction],
  }).compile();
  // Fastify's router refuses parameters over 100 characters unless told otherwise (see the README).
  const app = platform === 'fastify' ? moduleRef.createNestApplication(new FastifyAdapter({ routerOptions: { maxParamLength: 1024 } }), { logger: false }) : moduleRef.createNestApplication({ logger: false });
  app.setGlobalPrefix('api');
  await app.listen(0, '127.0.0.1');
  return { app, base: (await app.getUrl()).replace('[::1]', '127.0.0.1') };
}

const START = '/api/workflow/workflows/ping/instances';
const json = (body: string, extra: Record<string, string> = {}) => ({ headers: { 'content-type': 'application/json', ...extra }, body });
const signedIn = { 'x-user': 'ann' };

/** An API error answer: the status, and `{ error: { code, message } }` with a non-empty message. */
function expectApiError(res: RawResponse, status: number, code: string | RegExp): void {
  expect({ status: res.status, code: res.json?.error?.code }).toEqual({ status, code: typeof code === 'string' ? code : expect.stringMatching(code) });
  expect(typeof res.json.error.message).toBe('string');
  expect(res.json.error.message.length).toBeGreaterThan(0);
  expect(Object.keys(res.json)).toEqual(['error']);
}

describe.each<Platform>(['express', 'fastify'])('hostile input, Nest on %s with the app body parser', (platform) => {
  let app: INestApplication;
  let base: string;
  const send = (method: string, path: string, options?: { headers?: Record<string, string>; body?: string | Buffer }) => rawRequest(base, method, path, options);

  beforeAll(async () => {
    ({ app, base } = await boot(platform));
  });
  afterAll(async () => {
    await app?.close();
  });

  it('accepts a 200 KB start (the 1 MiB bodyLimit, not the app parser 100 KB)', async () => {
    const res = await send('POST', START, json(JSON.stringify({ data: { note: 'x'.repeat(200 * 1024) } }), signedIn));
    expect(res.status).toBe(201);
  });

  it('refuses a 3 MB start with 413 WF_PAYLOAD_TOO_LARGE', async () => {
    expectApiError(await send('POST', START, json(JSON.stringify({ data: { note: 'x'.repeat(3 * 1024 * 1024) } }), signedIn)), 413, 'WF_PAYLOAD_TOO_LARGE');
  });

  it('answers malformed JSON with the API 400 WF_BAD_JSON', async () => {
    expectApiError(await send('POST', START, json('{"data":', signedIn)), 400, 'WF_BAD_JSON');
  });

  it('reads an application/<subtype>+json body', async () => {
    const res = await send('POST', START, { headers: { 'content-type': 'application/merge-patch+json', ...signedIn }, body: '{"data":{"a":1}}' });
    expect(res.status).toBe(201);
  });

  it('refuses null as a body with 400 WF_INPUT_INVALID, as every adapter does', async () => {
    expectApiError(await send('POST', START, json('null', signedIn)), 400, 'WF_INPUT_INVALID');
  });

  it('answers 401 without a principal before reading a malformed or a 10 MB body', async () => {
    expectApiError(await send('POST', START, json('{"data":')), 401, 'WF_UNAUTHENTICATED');
    expectApiError(await send('POST', START, json(`{"data":{"x":"${'x'.repeat(10 * 1024 * 1024)}"}}`)), 401, 'WF_UNAUTHENTICATED');
  });

  it.each(['gzip', 'deflate', 'br'])('refuses content-encoding %s with 415 WF_UNSUPPORTED_MEDIA_TYPE, read nowhere', async (encoding) => {
    const res = await send('POST', START, json(gzipSync('{"data":{}}').toString('latin1'), { ...signedIn, 'content-encoding': encoding }));
    expectApiError(res, 415, 'WF_UNSUPPORTED_MEDIA_TYPE');
    expect(res.json.error.message).toContain(`content-encoding ${encoding} is not supported`);
  });

  it('refuses a body that is not JSON with 415 WF_UNSUPPORTED_MEDIA_TYPE', async () => {
    expectApiError(await send('POST', START, { headers: { 'content-type': 'text/plain', ...signedIn }, body: 'hello' }), 415, 'WF_UNSUPPORTED_MEDIA_TYPE');
  });

  it.each(['/api/workflow/instances/%E0%A4%A', '/api/workflow/tasks/%'])('answers bad percent-encoding in %s with 400 WF_BAD_REQUEST', async (path) => {
    expectApiError(await send('GET', path, { headers: signedIn }), 400, 'WF_BAD_REQUEST');
  });

  it('answers bad percent-encoding in a signal name with 400 WF_BAD_REQUEST', async () => {
    expectApiError(await send('POST', '/api/workflow/instances/x/signals/%C0%AE', json('{}', signedIn)), 400, 'WF_BAD_REQUEST');
  });

  it('answers an unknown id of 256 characters with 404 WF_NOT_FOUND, a longer one with 400', async () => {
    expectApiError(await send('GET', `/api/workflow/instances/${'a'.repeat(256)}`, { headers: signedIn }), 404, 'WF_NOT_FOUND');
    expectApiError(await send('GET', `/api/workflow/instances/${'a'.repeat(300)}`, { headers: signedIn }), 400, 'WF_BAD_REQUEST');
    expectApiError(await send('POST', `/api/workflow/instances/x/signals/${'s'.repeat(257)}`, json('{}', signedIn)), 400, 'WF_BAD_REQUEST');
  });

  it('refuses JSON nested deeper than 64 levels (5,000 deep too) with 400 WF_INPUT_INVALID', async () => {
    expectApiError(await send('POST', START, json(deepBody(100), signedIn)), 400, 'WF_INPUT_INVALID');
    expectApiError(await send('POST', START, json(deepBody(5000), signedIn)), 400, 'WF_INPUT_INVALID');
    expectApiError(await send('POST', START, json(`{"data":{"a":${'['.repeat(5000)}${']'.repeat(5000)}}}`, signedIn)), 400, 'WF_INPUT_INVALID');
    expect((await send('POST', START, json(deepBody(60), signedIn))).status).toBe(201);
  });

  it('refuses prototype keys in a body with 400 WF_INPUT_INVALID naming the key', async () => {
    const res = await send('POST', START, json(protoBody, signedIn));
    expectApiError(res, 400, 'WF_INPUT_INVALID');
    expect(res.json.error.message).toContain('__proto__');
    expectApiError(await send('POST', START, json('{"data":{"constructor":{"prototype":{"x":1}}}}', signedIn)), 400, 'WF_INPUT_INVALID');
  });

  it('answers a body on a route without one, and unknown routes, in a 4xx', async () => {
    const res = await send('GET', '/api/workflow/no-such-route', { headers: signedIn });
    expect(res.status).toBe(404);
  });
});

import { afterEach, describe, expect, it } from '@jest/globals';
import { ActionResult } from '../actions/action-result.js';
import { WorkflowEngine } from '../engine/workflow-engine.js';
import { ConcurrencyError, DefinitionError, ErrorCode, type ErrorCodeValue, ExpressionError, IllegalTransitionError, InputValidationError, NotFoundError, WorkflowError } from '../errors.js';
import type { Logger } from '../logger.js';
import { silentLogger } from '../logger.js';
import { MemoryStorage } from '../storage/memory-storage.js';
import type { InstancePage, InstanceQuery } from '../storage/storage-adapter.js';
import { HttpError, HttpErrorCode, statusOf, toErrorResponse } from './http-errors.js';
import type { WorkflowHttpRequest } from './http.types.js';
import { createWorkflowApi, principalId } from './workflow-api.js';

function recordingLogger(): Logger & { errors: unknown[] } {
  const errors: unknown[] = [];
  return { ...silentLogger, errors, error: (obj) => void errors.push(obj) };
}

const engines: WorkflowEngine[] = [];
function makeEngine(): WorkflowEngine {
  const engine = new WorkflowEngine({ logger: silentLogger, actions: { ok: () => ActionResult.success() }, definitions: [{ name: 'flow', steps: { a: { action: 'ok' } } }] });
  engines.push(engine);
  return engine;
}
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.close()));
});

const req = (over: Partial<WorkflowHttpRequest> = {}): WorkflowHttpRequest => ({ params: {}, query: {}, body: undefined, principal: 'alice', ...over });

describe('createWorkflowApi construction', () => {
  it("refuses to build open routes unless told auth: 'none'", () => {
    const engine = makeEngine();
    expect(() => createWorkflowApi({ engine })).toThrow("pass an `authorize(principal, operation, resource)` hook to guard the workflow routes, or `auth: 'none'`");
    expect(() => createWorkflowApi({ engine, auth: 'open' as never })).toThrow(/auth: 'none'/);
    expect(() => createWorkflowApi({ engine, authorize: 'yes' as never })).toThrow(/authorize/);
    expect(() => createWorkflowApi({ engine, auth: 'none', authorize: () => true })).toThrow(/cannot be combined/);
    expect(() => createWorkflowApi({} as never)).toThrow(/WorkflowEngine/);
    expect(createWorkflowApi({ engine, auth: 'none' }).routes.length).toBeGreaterThan(0);
  });

  it('has one route per method and path, each with a unique operation', () => {
    const api = createWorkflowApi({ engine: makeEngine(), auth: 'none' });
    const keys = api.routes.map((r) => `${r.method} ${r.path}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(new Set(api.routes.map((r) => r.operation)).size).toBe(api.routes.length);
    expect(Object.isFrozen(api.routes)).toBe(true);
  });
});

describe('authorize', () => {
  it("is told a signal's name and instance, so a team may send only its own signals", async () => {
    const engine = makeEngine();
    const seen: unknown[] = [];
    const api = createWorkflowApi({ engine, authorize: (_p, operation, resource) => (seen.push({ operation, ...resource }), resource.signal === 'go') });
    const inst = await engine.start('flow');
    const { route, params } = api.match('POST', `/instances/${inst.id}/signals/stop`)!;
    expect((await route.handle({ params, query: {}, body: {}, principal: 'rita' })).status).toBe(403);
    const go = api.match('POST', `/instances/${inst.id}/signals/go`)!;
    expect((await go.route.handle({ params: go.params, query: {}, body: {}, principal: 'rita' })).status).not.toBe(403);
    expect(seen[0]).toEqual({ operation: 'instances.signal', definition: 'flow', instanceId: inst.id, signal: 'stop' });
  });
});

describe('error mapping', () => {
  it.each(
    ([
    [new NotFoundError('instance', 'x'), 404, ErrorCode.NotFound],
    [new NotFoundError('definition', 'x'), 404, ErrorCode.DefinitionNotFound],
    [new IllegalTransitionError('resume', 'x', 'COMPLETED'), 409, ErrorCode.IllegalTransition],
    [new ConcurrencyError('x', 1, 2), 409, ErrorCode.Concurrency],
    [new InputValidationError('flow', [{ path: 'a', message: 'bad' }]), 400, ErrorCode.InputInvalid],
    [new DefinitionError([{ path: 'steps', message: 'bad' }]), 400, ErrorCode.DefinitionInvalid],
    [new ExpressionError('bad', 'a ==='), 400, ErrorCode.ExpressionInvalid],
    [new WorkflowError(ErrorCode.EngineClosed, 'closed'), 503, ErrorCode.EngineClosed],
    [new HttpError(HttpErrorCode.BadJson, 'bad json'), 400, HttpErrorCode.BadJson],
    [new HttpError(HttpErrorCode.Unauthenticated, 'who?'), 401, HttpErrorCode.Unauthenticated],
    [new HttpError(HttpErrorCode.Forbidden, 'no'), 403, HttpErrorCode.Forbidden],
    [new HttpError(HttpErrorCode.PayloadTooLarge, 'big'), 413, HttpErrorCode.PayloadTooLarge],
    [new HttpError(HttpErrorCode.UnsupportedMediaType, 'xml'), 415, HttpErrorCode.UnsupportedMediaType],
    ] as Array<[Error, number, string]>).map(([error, status, code]) => [error.name, status, code, error] as const),
  )('%s → %i %s, with its message and details', (_name, status, code, error) => {
    const out = toErrorResponse(error, silentLogger);
    expect(out.status).toBe(status);
    expect(out.body).toEqual({ error: { code, message: (error as Error).message, ...((error as WorkflowError).details ? { details: (error as WorkflowError).details } : {}) } });
  });

  it('answers anything else 500 with a generic message, and logs it', () => {
    const logger = recordingLogger();
    for (const error of [new Error('db password is hunter2'), 'a string', new WorkflowError(ErrorCode.StorageCorrupt, 'file /x broken'), new HttpError('WF_MADE_UP' as ErrorCodeValue, 'x')]) {
      const out = toErrorResponse(error, logger);
      expect(out).toEqual({ status: 500, body: { error: { code: 'WF_INTERNAL', message: expect.not.stringContaining('hunter2') } } });
      expect(JSON.stringify(out.body)).not.toMatch(/hunter2|\/x broken/);
    }
    expect(logger.errors).toHaveLength(4);
    expect(statusOf('WF_NEVER_HEARD_OF')).toBe(500);
  });

  it('logs a known 5xx once as a warning with its cause, and never a 4xx', () => {
    const warnings: unknown[] = [];
    const logger: Logger = { ...silentLogger, warn: (obj) => void warnings.push(obj), error: () => { throw new Error('not an error'); } };
    const cause = new Error('disk full');
    const unavailable = new WorkflowError(ErrorCode.StorageLocked, 'locked', undefined, { cause });
    expect(toErrorResponse(unavailable, logger).status).toBe(503);
    expect(warnings).toEqual([{ err: unavailable, code: ErrorCode.StorageLocked }]);
    for (const error of [new NotFoundError('instance', 'x'), new HttpError(HttpErrorCode.BadRequest, 'bad path'), new HttpError(HttpErrorCode.UnsupportedMediaType, 'gzip')]) toErrorResponse(error, logger);
    expect(warnings).toHaveLength(1);
  });

  it('turns a throwing authorize hook into a logged 500', async () => {
    const logger = recordingLogger();
    const api = createWorkflowApi({ engine: makeEngine(), logger, authorize: () => { throw new Error('policy service down'); } });
    const out = await api.match('GET', '/instances')!.route.handle(req());
    expect(out.status).toBe(500);
    expect(logger.errors).toHaveLength(1);
  });
});

describe('authentication and authorization', () => {
  it('treats an empty principal (or one without an id) as none', async () => {
    expect([principalId('bob'), principalId({ id: 'carol' }), principalId({ id: 7 } as never), principalId(''), principalId(null), principalId({} as never)]).toEqual(['bob', 'carol', '7', undefined, undefined, undefined]);
    const api = createWorkflowApi({ engine: makeEngine(), authorize: () => true });
    const list = api.match('GET', '/instances')!.route;
    for (const principal of ['', null, undefined, { name: 'x' } as never]) {
      expect((await list.handle(req({ principal }))).status).toBe(401);
    }
  });

  it('answers publicOperations without a principal and without asking authorize', async () => {
    const asked: string[] = [];
    const api = createWorkflowApi({ engine: makeEngine(), authorize: (_p, op) => (asked.push(op), false), publicOperations: ['health.read', 'metrics.read'] });
    expect((await api.match('GET', '/health')!.route.handle(req({ principal: undefined }))).status).toBe(200);
    expect((await api.match('GET', '/metrics')!.route.handle(req({ principal: undefined }))).status).toBe(200);
    expect((await api.match('GET', '/definitions')!.route.handle(req({ principal: undefined }))).status).toBe(401);
    expect((await api.match('GET', '/definitions')!.route.handle(req())).status).toBe(403);
    expect(asked).toEqual(['definitions.list']);
    expect(api.match('GET', '/health')!.route.isPublic).toBe(true);
    expect(api.match('GET', '/health')!.route.authenticate(undefined)).toBeUndefined();
    expect(api.match('GET', '/instances')!.route.authenticate(undefined)?.status).toBe(401);
  });

  it('records the principal id and the client address in the history', async () => {
    const engine = makeEngine();
    const api = createWorkflowApi({ engine, authorize: () => true });
    const out = await api.match('POST', '/workflows/flow/instances')!.route.handle(req({ params: { name: 'flow' }, principal: { id: 'dave', roles: ['ops'] }, ip: '203.0.113.9' }));
    expect(out.status).toBe(201);
    const [started] = await engine.getHistory((out.body as { id: string }).id);
    expect(started!.data).toMatchObject({ by: 'dave', from: '203.0.113.9' });
  });
});

/** A storage that can be made to fail or hang, as a database going away does. */
class FlakyStorage extends MemoryStorage {
  mode: 'ok' | 'fail' | 'hang' = 'ok';
  override listInstances(query?: InstanceQuery): Promise<InstancePage> {
    if (this.mode === 'fail') return Promise.reject(new Error('ECONNREFUSED 10.0.0.5:5432'));
    if (this.mode === 'hang') return new Promise(() => undefined);
    return super.listInstances(query);
  }
}

describe('GET /health', () => {
  it('answers 503 WF_UNAVAILABLE when storage fails or does not answer in time', async () => {
    const storage = new FlakyStorage();
    const engine = new WorkflowEngine({ storage, logger: silentLogger });
    engines.push(engine);
    const health = createWorkflowApi({ engine, auth: 'none', healthTimeoutMs: 30 }).match('GET', '/health')!.route;
    expect(await health.handle(req())).toEqual({ status: 200, body: { status: 'ok' } });
    storage.mode = 'fail';
    const failed = await health.handle(req());
    expect([failed.status, (failed.body as { error: { code: string } }).error.code]).toEqual([503, 'WF_UNAVAILABLE']);
    storage.mode = 'hang';
    const hung = await health.handle(req());
    expect([hung.status, (hung.body as { error: { message: string } }).error.message]).toEqual([503, expect.stringContaining('30 ms')]);
    storage.mode = 'ok';
  });
});

describe('GET /ready', () => {
  it('answers 200 with every check (storage first) when all pass', async () => {
    const ready = createWorkflowApi({ engine: makeEngine(), auth: 'none', readiness: [{ name: 'queue', check: async () => undefined }] }).match('GET', '/ready')!.route;
    const out = await ready.handle(req());
    expect(out.status).toBe(200);
    expect(out.body).toEqual({
      status: 'ok',
      checks: [
        { name: 'storage', status: 'ok', durationMs: expect.any(Number) },
        { name: 'queue', status: 'ok', durationMs: expect.any(Number) },
      ],
    });
  });

  it('answers 503 WF_UNAVAILABLE naming the failing check and its error, and bounds a hung one', async () => {
    const storage = new FlakyStorage();
    const engine = new WorkflowEngine({ storage, logger: silentLogger });
    engines.push(engine);
    let redis: 'up' | 'down' | 'hung' = 'down';
    const api = createWorkflowApi({
      engine,
      auth: 'none',
      healthTimeoutMs: 30,
      readiness: [{ name: 'redis', check: () => (redis === 'up' ? Promise.resolve() : redis === 'hung' ? new Promise(() => undefined) : Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6379'))) }],
    });
    const ready = api.match('GET', '/ready')!.route;
    const down = await ready.handle(req());
    expect(down.status).toBe(503);
    expect(down.body).toEqual({
      error: {
        code: 'WF_UNAVAILABLE',
        message: 'Not ready: check "redis" failed: connect ECONNREFUSED 127.0.0.1:6379',
        details: { checks: [expect.objectContaining({ name: 'storage', status: 'ok' }), expect.objectContaining({ name: 'redis', status: 'failed', error: 'connect ECONNREFUSED 127.0.0.1:6379' })] },
      },
    });
    redis = 'hung';
    storage.mode = 'fail';
    const both = await ready.handle(req());
    expect((both.body as { error: { message: string } }).error.message).toBe('Not ready: check "storage" failed: ECONNREFUSED 10.0.0.5:5432; check "redis" failed: no answer within 30 ms');
    storage.mode = 'ok';
    redis = 'up';
    expect((await ready.handle(req())).status).toBe(200);
    // Liveness stays storage only: a queue outage does not make the process "dead".
    redis = 'down';
    expect((await api.match('GET', '/health')!.route.handle(req())).status).toBe(200);
  });

  it('is an operation of its own that can be public, like health.read', async () => {
    const api = createWorkflowApi({ engine: makeEngine(), authorize: () => false, publicOperations: ['ready.read'] });
    expect(api.match('GET', '/ready')!.route).toMatchObject({ operation: 'ready.read', isPublic: true });
    expect((await api.match('GET', '/ready')!.route.handle(req({ principal: undefined }))).status).toBe(200);
    expect((await api.match('GET', '/health')!.route.handle(req({ principal: undefined }))).status).toBe(401);
  });

  it('refuses malformed checks at construction, naming the option', () => {
    const engine = makeEngine();
    expect(() => createWorkflowApi({ engine, auth: 'none', readiness: [{ name: 'ok', check: async () => undefined }, { name: 'redis' } as never] })).toThrow('readiness[1] must be `{ name: string, check(): Promise<void> }`');
    expect(() => createWorkflowApi({ engine, auth: 'none', readiness: {} as never })).toThrow(/readiness\[0\]/);
  });
});

describe('GET /metrics with a metrics source', () => {
  it('serves the source with its content type instead of the storage scan', async () => {
    const source = { contentType: 'application/openmetrics-text; version=1.0.0; charset=utf-8', metrics: async () => '# TYPE custom counter\ncustom_total 3\n# EOF\n' };
    const api = createWorkflowApi({ engine: makeEngine(), auth: 'none', metrics: source });
    expect(await api.match('GET', '/metrics')!.route.handle(req())).toEqual({ status: 200, body: await source.metrics(), headers: { 'content-type': source.contentType } });
  });

  it('answers 500 (logged) when the source throws, and refuses a source without metrics() or contentType', async () => {
    const logger = recordingLogger();
    const engine = makeEngine();
    const api = createWorkflowApi({ engine, auth: 'none', logger, metrics: { contentType: 'text/plain', metrics: () => Promise.reject(new Error('collector broke')) } });
    expect((await api.match('GET', '/metrics')!.route.handle(req())).status).toBe(500);
    expect(logger.errors).toHaveLength(1);
    expect(() => createWorkflowApi({ engine, auth: 'none', metrics: { metrics: async () => '' } as never })).toThrow('`metrics` must have `metrics(): Promise<string>` and a `contentType` string');
  });
});

describe('a closed engine', () => {
  it('answers commands 503 WF_ENGINE_CLOSED', async () => {
    const engine = makeEngine();
    const api = createWorkflowApi({ engine, auth: 'none' });
    await engine.close();
    const out = await api.match('POST', '/workflows/flow/instances')!.route.handle(req({ params: { name: 'flow' } }));
    expect([out.status, (out.body as { error: { code: string } }).error.code]).toEqual([503, 'WF_ENGINE_CLOSED']);
  });
});

describe('routing and documents', () => {
  it('matches paths with params, decoding them, and nothing else', () => {
    const api = createWorkflowApi({ engine: makeEngine(), auth: 'none' });
    expect(api.match('post', '/instances/a%2Fb/signals/go/')).toMatchObject({ route: { operation: 'instances.signal' }, params: { id: 'a/b', signal: 'go' } });
    expect(api.match('GET', '/instances?state=RUNNING')).toMatchObject({ route: { operation: 'instances.list' }, params: {} });
    expect(api.match('DELETE', '/instances/x')).toBeUndefined();
    expect(api.match('GET', '/instances/x/unknown')).toBeUndefined();
    expect(api.match('GET', '/instances/%E0%A4%A')).toBeUndefined();
  });

  it('generates OpenAPI 3.1 from the route table, with the mount path as server', () => {
    const api = createWorkflowApi({ engine: makeEngine(), auth: 'none', openapi: { title: 'Orders', version: '2.0.0' } });
    const doc = api.openapi('/api/wf/') as { openapi: string; info: object; servers: object[]; paths: Record<string, Record<string, { operationId: string; parameters?: Array<{ name: string; in: string; schema: object }>; responses: Record<string, unknown> }>> };
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toEqual({ title: 'Orders', version: '2.0.0' });
    expect(doc.servers).toEqual([{ url: '/api/wf' }]);
    const operations = Object.values(doc.paths).flatMap((item) => Object.values(item).map((op) => op.operationId));
    expect(operations).toHaveLength(api.routes.length);
    expect(operations).toContain('instancesStart');
    const list = doc.paths['/instances']!.get!;
    expect(list.parameters!.map((p) => `${p.in}:${p.name}`)).toEqual(['query:definition', 'query:state', 'query:createdAfter', 'query:createdBefore', 'query:limit', 'query:cursor', 'query:order', 'query:businessKey', 'query:attr']);
    expect(list.parameters!.find((p) => p.name === 'limit')!.schema).toMatchObject({ type: 'integer', minimum: 1 });
    const start = doc.paths['/workflows/{name}/instances']!.post!;
    // auth: 'none': no operation answers 401 or 403.
    expect(Object.keys(start.responses).sort()).toEqual(['200', '201', '400', '404', '409', '413', '500', '503']);
    expect(doc.paths['/metrics']!.get!.responses['200']).toMatchObject({ content: { 'text/plain': {} } });
    expect(api.openapi('/api/wf')).toBe(doc);
  });
});

describe('hostile input in the route table (every adapter gets it)', () => {
  it('refuses long path params, a null body, deep bodies and prototype keys before the engine, after authentication', async () => {
    const engine = makeEngine();
    const api = createWorkflowApi({ engine, authorize: () => true });
    const start = api.match('POST', '/workflows/flow/instances')!;
    const handle = (over: Partial<WorkflowHttpRequest>) => start.route.handle(req({ params: start.params, ...over }));
    const codeOf = async (out: Promise<{ status: number; body: unknown }>) => {
      const { status, body } = await out;
      return [status, (body as { error?: { code: string } }).error?.code];
    };

    const long = api.match('GET', `/instances/${'i'.repeat(300)}`)!;
    expect(await codeOf(long.route.handle(req({ params: long.params })))).toEqual([400, 'WF_BAD_REQUEST']);
    expect(await codeOf(long.route.handle(req({ params: long.params, principal: undefined })))).toEqual([401, 'WF_UNAUTHENTICATED']);
    expect(await codeOf(handle({ body: null }))).toEqual([400, 'WF_INPUT_INVALID']);
    let deep: unknown = 1;
    for (let i = 0; i < 10_000; i++) deep = [deep];
    expect(await codeOf(handle({ body: { data: { deep } } }))).toEqual([400, 'WF_INPUT_INVALID']);
    expect(await codeOf(handle({ body: JSON.parse('{"data":{"__proto__":{"admin":true}}}') }))).toEqual([400, 'WF_INPUT_INVALID']);
    expect(await codeOf(handle({ body: { data: { order: 1 } } }))).toEqual([201, undefined]);
    expect((await engine.listInstances()).items).toHaveLength(1);
  });
});

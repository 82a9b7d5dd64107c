import { afterEach, describe, expect, it } from '@jest/globals';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { ActionResult, MemoryStorage, silentLogger, WorkflowEngine } from '@workflow-mastery/core';
import { fastifyWorkflow } from '../src/index.js';

const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

function makeEngine(): WorkflowEngine {
  const engine = new WorkflowEngine({ logger: silentLogger, actions: { ok: () => ActionResult.success() }, definitions: [{ name: 'flow', steps: { a: { action: 'ok' } } }] });
  cleanup.push(() => engine.close());
  return engine;
}

function makeApp(): FastifyInstance {
  const app = Fastify({ logger: false });
  cleanup.push(() => app.close());
  return app;
}

/** A MemoryStorage that says whether it was closed. */
class TrackedStorage extends MemoryStorage {
  closed = false;
  override async close(): Promise<void> {
    this.closed = true;
    await super.close();
  }
}

describe('fastifyWorkflow', () => {
  it('decorates fastify.workflow with the engine', async () => {
    const engine = makeEngine();
    const app = makeApp();
    await app.register(fastifyWorkflow, { engine, auth: 'none' });
    await app.ready();
    expect(app.workflow).toBe(engine);
    expect(app.hasDecorator('workflow')).toBe(true);
  });

  it('refuses a second registration with a clear error', async () => {
    const app = makeApp();
    await app.register(fastifyWorkflow, { engine: makeEngine(), auth: 'none' });
    void app.register(fastifyWorkflow, { engine: makeEngine(), auth: 'none', prefix: '/again' });
    await expect(app.ready()).rejects.toThrow(/already registered on this Fastify instance/);
  });

  it('creates an engine from engineOptions and closes it in onClose', async () => {
    const storage = new TrackedStorage();
    const app = Fastify({ logger: false });
    await app.register(fastifyWorkflow, { engineOptions: { storage, logger: silentLogger }, auth: 'none' });
    await app.ready();
    expect(app.workflow).toBeInstanceOf(WorkflowEngine);
    expect(app.workflow.storage).toBe(storage);
    await app.close();
    expect(storage.closed).toBe(true);
  });

  it('never closes an engine it was given', async () => {
    const storage = new TrackedStorage();
    const engine = new WorkflowEngine({ storage, logger: silentLogger, actions: { ok: () => ActionResult.success() } });
    const app = Fastify({ logger: false });
    await app.register(fastifyWorkflow, { engine, auth: 'none' });
    await app.ready();
    await app.close();
    expect(storage.closed).toBe(false);
    await engine.close();
    expect(storage.closed).toBe(true);
  });

  it('refuses both or neither of engine and engineOptions', async () => {
    const both = makeApp();
    void both.register(fastifyWorkflow, { engine: makeEngine(), engineOptions: {}, auth: 'none' });
    await expect(both.ready()).rejects.toThrow(/either `engine`.*or `engineOptions`/);
    const neither = makeApp();
    void neither.register(fastifyWorkflow, { auth: 'none' });
    await expect(neither.ready()).rejects.toThrow(/either `engine`/);
  });

  it("fails registration without authorize or auth: 'none', closing the engine it created", async () => {
    const storage = new TrackedStorage();
    const app = makeApp();
    void app.register(fastifyWorkflow, { engineOptions: { storage, logger: silentLogger } });
    await expect(app.ready()).rejects.toThrow(/pass an `authorize\(principal, operation, resource\)` hook/);
    expect(storage.closed).toBe(true);
  });

  it('answers an unknown path under its prefix with a JSON 404 naming the OpenAPI document', async () => {
    const app = makeApp();
    await app.register(fastifyWorkflow, { engine: makeEngine(), auth: 'none', prefix: '/wf' });
    const res = await app.inject({ url: '/wf/nothing/here?x=1' });
    expect([res.statusCode, res.json().error.code]).toEqual([404, 'WF_ROUTE_NOT_FOUND']);
    expect(res.json().error.message).toBe("No route GET /wf/nothing/here; the API's routes are listed at /wf/openapi.json.");
  });

  it('has Fastify validate with the route schemas, answering the same JSON 400', async () => {
    const seen: FastifyError[] = [];
    const app = makeApp();
    app.addHook('onError', async (_req, _reply, error) => void seen.push(error));
    await app.register(fastifyWorkflow, { engine: makeEngine(), auth: 'none', prefix: '/wf' });
    const res = await app.inject({ method: 'POST', url: '/wf/workflows/flow/instances', payload: { data: 'x' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'WF_INPUT_INVALID', details: { issues: [{ path: 'body.data', message: 'must be object' }] } });
    expect(seen[0]).toMatchObject({ validationContext: 'body', code: 'WF_INPUT_INVALID' });
    const query = await app.inject({ url: '/wf/instances?limit=5000' });
    expect([query.statusCode, query.json().error.code]).toEqual([400, 'WF_INPUT_INVALID']);
    expect(seen[1]).toMatchObject({ validationContext: 'querystring' });
  });

  it('answers 413 WF_PAYLOAD_TOO_LARGE above bodyLimit', async () => {
    const app = makeApp();
    await app.register(fastifyWorkflow, { engine: makeEngine(), auth: 'none', bodyLimit: 64 });
    const res = await app.inject({ method: 'POST', url: '/workflows/flow/instances', payload: { data: { text: 'x'.repeat(200) } } });
    expect([res.statusCode, res.json().error.code]).toEqual([413, 'WF_PAYLOAD_TOO_LARGE']);
  });

  it('keeps its parser, validator and error handler to its own routes', async () => {
    const app = makeApp();
    await app.register(fastifyWorkflow, { engine: makeEngine(), auth: 'none', prefix: '/wf' });
    app.post('/echo', async (req) => ({ body: req.body }));
    app.get('/boom', async () => {
      throw new Error('app error');
    });
    const text = await app.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'text/plain' }, payload: 'hello' });
    expect(text.json()).toEqual({ body: 'hello' });
    const boom = await app.inject({ url: '/boom' });
    expect(boom.json()).toMatchObject({ statusCode: 500, message: 'app error' });
    expect((await app.inject({ url: '/health' })).statusCode).toBe(404);
    expect((await app.inject({ url: '/wf/health' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/wf/openapi.json' })).json().servers).toEqual([{ url: '/wf' }]);
  });

  it('hands the principal hook the Fastify request', async () => {
    const app = makeApp();
    app.decorateRequest('user', null);
    app.addHook('onRequest', async (req) => {
      (req as unknown as { user: object }).user = { id: 'u-7', team: 'ops' };
    });
    await app.register(fastifyWorkflow, {
      engine: makeEngine(),
      principal: (req) => (req as unknown as { user: { id: string; team: string } }).user,
      authorize: (p, op, resource) => typeof p === 'object' && p.team === 'ops' && op === 'instances.start' && resource.definition === 'flow',
    });
    const res = await app.inject({ method: 'POST', url: '/workflows/flow/instances' });
    expect([res.statusCode, res.json().startedBy]).toEqual([201, 'u-7']);
  });
});

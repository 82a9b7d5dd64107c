import { createServer } from 'node:http';
import { afterEach, describe, expect, it } from '@jest/globals';
import express from 'express';
import request from 'supertest';
import { ActionResult, silentLogger, WorkflowEngine, type Logger } from '@workflow-mastery/core';
import { HttpError, HttpErrorCode } from '@workflow-mastery/core/http';
import { closeEngineWithServer, createWorkflowRouter, workflowMiddleware } from '../src/index.js';
import { listen } from './http-client.js';

const engines: WorkflowEngine[] = [];
function makeEngine(logger: Logger = silentLogger): WorkflowEngine {
  const engine = new WorkflowEngine({ logger, actions: { ok: () => ActionResult.success() }, definitions: [{ name: 'flow', steps: { a: { action: 'ok' } } }] });
  engines.push(engine);
  return engine;
}
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.close()));
});

describe('createWorkflowRouter', () => {
  it("throws at construction without authorize or auth: 'none'", () => {
    expect(() => createWorkflowRouter({ engine: makeEngine() })).toThrow(/pass an `authorize\(principal, operation, resource\)` hook .* or `auth: 'none'`/);
  });

  it('exposes the API it mounts and serves the mount path as the OpenAPI server', async () => {
    const router = createWorkflowRouter({ engine: makeEngine(), auth: 'none' });
    expect(router.workflowApi.routes.length).toBeGreaterThan(10);
    const app = express().use('/api/workflow', router);
    const res = await request(app).get('/api/workflow/openapi.json');
    expect(res.body.servers).toEqual([{ url: '/api/workflow' }]);
  });

  it('answers 413 WF_PAYLOAD_TOO_LARGE above bodyLimit', async () => {
    const app = express().use(createWorkflowRouter({ engine: makeEngine(), auth: 'none', bodyLimit: 64 }));
    const res = await request(app).post('/workflows/flow/instances').send({ data: { text: 'x'.repeat(200) } });
    expect([res.status, res.body.error.code]).toEqual([413, 'WF_PAYLOAD_TOO_LARGE']);
  });

  it('answers an unknown path in its own namespace under its mount path with a JSON 404 naming the OpenAPI document', async () => {
    const app = express().use('/api', createWorkflowRouter({ engine: makeEngine(), auth: 'none' }));
    const res = await request(app).get('/api/instances/x/nothing');
    expect([res.status, res.body.error.code]).toEqual([404, 'WF_ROUTE_NOT_FOUND']);
    expect(res.body.error.message).toBe('No route GET /api/instances/x/nothing; the API\'s routes are listed at /api/openapi.json.');
  });

  it('lets other routers mounted on the same path answer their own paths', async () => {
    const users = express.Router().get('/users', (_req, res) => void res.json({ users: ['ann'] }));
    const app = express().use('/api', createWorkflowRouter({ engine: makeEngine(), auth: 'none' })).use('/api', users);
    const res = await request(app).get('/api/users');
    expect([res.status, res.body]).toEqual([200, { users: ['ann'] }]);
    expect((await request(app).get('/api/nothing/here')).status).toBe(404);
  });

  it('leaves unknown paths and other routes of the app alone', async () => {
    const app = express();
    app.use(createWorkflowRouter({ engine: makeEngine(), auth: 'none' }));
    app.post('/echo', (req, res) => void res.json({ body: req.body ?? null }));
    app.use((_req, res) => void res.status(404).send('app 404'));
    expect((await request(app).get('/instances/x/unknown')).text).toBe('app 404');
    // The router's JSON parser is its own: the app's route did not get a parsed body.
    expect((await request(app).post('/echo').send({ a: 1 })).body).toEqual({ body: null });
  });

  it('answers a principal hook that throws with a logged 500, or its HttpError as is', async () => {
    const errors: unknown[] = [];
    const logger: Logger = { ...silentLogger, error: (obj) => void errors.push(obj) };
    const engine = makeEngine(logger);
    const broken = express().use(createWorkflowRouter({ engine, authorize: () => true, principal: () => { throw new Error('jwks unreachable'); } }));
    const res = await request(broken).get('/instances');
    expect([res.status, res.body.error.code]).toEqual([500, 'WF_INTERNAL']);
    expect(res.text).not.toContain('jwks');
    expect(errors).toHaveLength(1);

    const strict = express().use(createWorkflowRouter({ engine, authorize: () => true, principal: async () => { throw new HttpError(HttpErrorCode.Unauthenticated, 'token expired'); } }));
    const expired = await request(strict).get('/instances');
    expect([expired.status, expired.body.error]).toEqual([401, { code: 'WF_UNAUTHENTICATED', message: 'token expired' }]);
  });

  it('logs nothing for hostile 4xx, and a failing principal hook on a POST once (its 500), before the body is read', async () => {
    const logged: unknown[] = [];
    const logger: Logger = { ...silentLogger, warn: (obj) => void logged.push(obj), error: (obj) => void logged.push(obj) };
    const engine = makeEngine(logger);
    const app = express().use(createWorkflowRouter({ engine, authorize: () => true, principal: (req) => req.get('x-user') }));
    const user = { 'x-user': 'alice' };
    expect((await request(app).get('/instances/%E0%A4%A').set(user)).status).toBe(400);
    expect((await request(app).post('/workflows/flow/instances').set({ ...user, 'content-type': 'application/json', 'content-encoding': 'gzip' }).send('xx')).status).toBe(415);
    expect((await request(app).post('/workflows/flow/instances').set(user).set('content-type', 'application/json').send(`{"data":${'['.repeat(5000)}${']'.repeat(5000)}}`)).status).toBe(400);
    expect((await request(app).post('/workflows/flow/instances').set('content-type', 'application/json').send('{"data":')).status).toBe(401);
    expect(logged).toEqual([]);

    let calls = 0;
    const broken = express().use(createWorkflowRouter({ engine, authorize: () => true, principal: () => { calls++; throw new Error('jwks unreachable'); } }));
    const res = await request(broken).post('/workflows/flow/instances').set('content-type', 'application/json').send('{"data":');
    expect([res.status, res.body.error.code, calls, logged.length]).toEqual([500, 'WF_INTERNAL', 1, 1]);
  });

  it('passes the principal computed from the Express request', async () => {
    const engine = makeEngine();
    const app = express()
      .use((req, _res, next) => ((req as unknown as { user: object }).user = { id: 'u-1', name: 'Ann' }, next()))
      .use(createWorkflowRouter({ engine, authorize: (p) => typeof p === 'object' && p.name === 'Ann', principal: (req) => (req as unknown as { user: { id: string; name: string } }).user }));
    const res = await request(app).post('/workflows/flow/instances');
    expect([res.status, res.body.startedBy]).toEqual([201, 'u-1']);
  });
});

describe('workflowMiddleware', () => {
  it('puts the engine on req.workflow', async () => {
    const engine = makeEngine();
    const app = express().use(workflowMiddleware(engine));
    app.post('/orders', async (req, res) => {
      const inst = await req.workflow!.start('flow', { order: 1 });
      res.status(201).json({ id: inst.id, same: req.workflow === engine });
    });
    const res = await request(app).post('/orders');
    expect(res.status).toBe(201);
    expect(res.body.same).toBe(true);
    expect((await engine.getInstance(res.body.id)).data).toEqual({ order: 1 });
  });
});

describe('closeEngineWithServer', () => {
  it('closes the engine once the server has closed, not before', async () => {
    const engine = makeEngine();
    const app = express().use(createWorkflowRouter({ engine, auth: 'none' }));
    const server = await listen(createServer(app));
    const closed = closeEngineWithServer(server, engine);
    let done = false;
    void closed.then(() => (done = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(done).toBe(false);
    expect((await engine.start('flow')).definitionName).toBe('flow');
    server.close();
    await closed;
    await expect(engine.start('flow')).rejects.toMatchObject({ code: 'WF_ENGINE_CLOSED' });
  });
});

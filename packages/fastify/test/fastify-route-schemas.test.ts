/**
 * The routes as Fastify sees them (response schemas, operationId, tags: what `@fastify/swagger`
 * reads in `onRoute`), and answers that still carry every field.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import fastifySwagger from '@fastify/swagger';
import Fastify, { type FastifyInstance, type RouteOptions } from 'fastify';
import { ActionResult, silentLogger, WorkflowEngine, type WorkflowDefinitionInput } from '@workflow-mastery/core';
import { fastifyWorkflow } from '../src/index.js';

const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

const definitions: WorkflowDefinitionInput[] = [
  { name: 'flow', steps: { a: { action: 'ok' } } },
  { name: 'approval', steps: { review: { action: 'ok', assigned_to: 'risk', config: { fields: ['ok'] } }, done: { action: 'ok' } }, transitions: [{ from: 'review', to: 'done' }] },
];

function makeEngine(): WorkflowEngine {
  const engine = new WorkflowEngine({ logger: silentLogger, actions: { ok: () => ActionResult.success({ done: true }) }, definitions });
  cleanup.push(() => engine.close());
  return engine;
}

async function appWithRoutes(): Promise<{ app: FastifyInstance; routes: RouteOptions[]; engine: WorkflowEngine }> {
  const app = Fastify({ logger: false });
  cleanup.push(() => app.close());
  const routes: RouteOptions[] = [];
  app.addHook('onRoute', (route) => void routes.push(route));
  const engine = makeEngine();
  await app.register(fastifyWorkflow, { engine, auth: 'none', prefix: '/wf' });
  await app.ready();
  return { app, routes, engine };
}

describe('fastifyWorkflow: route schemas', () => {
  it('registers every operation of /openapi.json with its operationId, tags and response schemas', async () => {
    const { app, routes } = await appWithRoutes();
    const document = (await app.inject({ url: '/wf/openapi.json' })).json() as { paths: Record<string, Record<string, { operationId: string; tags: string[]; responses: Record<string, unknown> }>> };
    const operations = Object.entries(document.paths).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ path, method, op })));
    expect(operations.length).toBeGreaterThan(15);
    for (const { path, method, op } of operations) {
      const url = `/wf${path.replace(/\{([^}]+)\}/g, ':$1')}`;
      const route = routes.find((r) => r.url === url && r.method === method.toUpperCase());
      expect({ url, method, found: route !== undefined }).toEqual({ url, method, found: true });
      const schema = route!.schema as { operationId: string; tags: string[]; response: Record<string, unknown>; summary: string };
      expect({ operationId: schema.operationId, tags: schema.tags }).toEqual({ operationId: op.operationId, tags: op.tags });
      const successes = Object.keys(op.responses).filter((s) => s.startsWith('2'));
      expect(Object.keys(schema.response)).toEqual(expect.arrayContaining([...successes, '4xx', '5xx']));
    }
  });

  it('hides the catch-all routes for long ids from documentation', async () => {
    const { routes } = await appWithRoutes();
    const hidden = routes.filter((r) => String(r.url).endsWith('/*'));
    expect([...new Set(hidden.map((r) => r.url))].sort()).toEqual(['/wf/definitions/*', '/wf/instances/*', '/wf/tasks/*', '/wf/workflows/*']);
    for (const r of hidden) expect(r.schema).toMatchObject({ hide: true });
  });

  it('answers with every field of the records, not only those the schemas list', async () => {
    const { app, engine } = await appWithRoutes();
    const started = (await app.inject({ method: 'POST', url: '/wf/workflows/approval/instances', payload: { data: { amount: 5, nested: { deep: [1, { x: null }] } } } })).json();
    await engine.waitFor(started.id);
    const instance = await app.inject({ url: `/wf/instances/${started.id}` });
    expect(instance.json()).toEqual(JSON.parse(JSON.stringify(await engine.getInstance(started.id))));
    expect(instance.json()).toHaveProperty('timers');
    expect(instance.json()).toHaveProperty('correlationId');

    const [task] = await engine.listTasks({ instanceId: started.id });
    const read = await app.inject({ url: `/wf/tasks/${task!.id}` });
    expect(read.statusCode).toBe(200);
    expect(read.json()).toMatchObject({ id: task!.id, assignedTo: 'risk', state: 'OPEN', form: { fields: ['ok'] } });
    expect(read.json()).toHaveProperty('openedAt');

    const history = (await app.inject({ url: `/wf/instances/${started.id}/history` })).json();
    expect(history.items).toEqual(JSON.parse(JSON.stringify(await engine.getHistory(started.id))));

    const failed = await app.inject({ url: '/wf/instances/nope' });
    expect(failed.json()).toEqual({ error: { code: 'WF_NOT_FOUND', message: expect.any(String), details: { id: 'nope', kind: 'instance' } } });
    const invalid = await app.inject({ method: 'POST', url: '/wf/workflows/flow/instances', payload: { data: 'x' } });
    expect(invalid.json().error.details.issues[0]).toEqual({ path: 'body.data', message: 'must be object' });
  });
});

describe('fastifyWorkflow: with @fastify/swagger', () => {
  it('has swagger list every operation with the operationId, tags and response statuses of /openapi.json', async () => {
    const app = Fastify({ logger: false });
    cleanup.push(() => app.close());
    await app.register(fastifySwagger, { openapi: { openapi: '3.1.0', info: { title: 'app', version: '1.0.0' } } });
    await app.register(fastifyWorkflow, { engine: makeEngine(), auth: 'none', prefix: '/wf' });
    await app.ready();
    type Operation = { operationId?: string; tags?: string[]; responses: Record<string, unknown> };
    const spec = app.swagger() as unknown as { paths: Record<string, Record<string, Operation>> };
    const own = (await app.inject({ url: '/wf/openapi.json' })).json() as { paths: Record<string, Record<string, Operation>> };
    const summary = (paths: Record<string, Record<string, Operation>>, prefix: string) =>
      Object.entries(paths)
        .flatMap(([path, item]) => Object.entries(item).filter(([method]) => method !== 'head').map(([method, op]) => `${method} ${prefix}${path} ${op.operationId} ${op.tags?.join()}`))
        .sort();
    expect(summary(spec.paths, '')).toEqual(summary(own.paths, '/wf'));
    expect(Object.keys(spec.paths).some((p) => p.includes('*'))).toBe(false);
    expect(Object.keys(spec.paths['/wf/workflows/{name}/instances']!.post!.responses)).toEqual(expect.arrayContaining(['200', '201', '4XX', '5XX']));
  });
});

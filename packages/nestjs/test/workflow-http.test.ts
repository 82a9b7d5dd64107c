/** The module's HTTP controller beyond the shared contract: mounting, Nest's body parser, guards, principals, async options. */
import 'reflect-metadata';
import { afterEach, describe, expect, it } from '@jest/globals';
import { Injectable, type CanActivate, type ExecutionContext, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { WorkflowModule, WorkflowModuleConfigError, type WorkflowModuleOptions } from '../src/index.js';
import { orderProviders, orderWorkflow } from './fixtures.js';

const apps: INestApplication[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

async function serve(imports: unknown[], options: { bodyParser?: boolean; globalPrefix?: string } = {}): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({ imports: imports as never[], providers: orderProviders }).compile();
  const app = moduleRef.createNestApplication({ logger: false, ...(options.bodyParser === false ? { bodyParser: false } : {}) });
  if (options.globalPrefix) app.setGlobalPrefix(options.globalPrefix);
  apps.push(app);
  await app.init();
  return app;
}

/** Sets `req.user` from `x-user`, as a Passport guard would. */
@Injectable()
class HeaderAuthGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<{ headers: Record<string, string>; user?: unknown }>();
    if (req.headers['x-user']) req.user = { id: req.headers['x-user'], roles: ['ops'] };
    return req.headers['x-blocked'] === undefined;
  }
}

describe('HTTP API', () => {
  it('is not mounted unless http is given', async () => {
    const app = await serve([WorkflowModule.forRoot()]);
    expect((await request(app.getHttpServer()).get('/instances')).status).toBe(404);
    expect((await request(app.getHttpServer()).get('/health')).status).toBe(404);
  });

  it("refuses to start without authorize or auth: 'none'", async () => {
    const moduleRef = await Test.createTestingModule({ imports: [WorkflowModule.forRoot({ http: { prefix: 'wf' } })] }).compile().catch((e: Error) => e);
    expect(moduleRef).toBeInstanceOf(Error);
    expect((moduleRef as Error).message).toMatch(/authorize/);
  });

  it('refuses a bad prefix when the module is defined', () => {
    expect(() => WorkflowModule.forRoot({ http: { prefix: 'a b', auth: 'none' } })).toThrow(WorkflowModuleConfigError);
  });

  it("runs the module's engine and actions behind Nest's own body parser, which leaves the API's bodies to the API", async () => {
    const app = await serve([WorkflowModule.forRoot({ definitions: [orderWorkflow], http: { prefix: '/wf/', auth: 'none' } })], { globalPrefix: 'api' });
    const http = request(app.getHttpServer());
    const started = await http.post('/api/wf/workflows/order/instances').send({ data: { order: { total: 9 } }, idempotencyKey: 'k1' });
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({ definitionName: 'order', startedBy: 'anonymous' });
    let state = '';
    for (let i = 0; i < 50 && state !== 'COMPLETED'; i++) {
      state = (await http.get(`/api/wf/instances/${started.body.id}`)).body.state;
      if (state !== 'COMPLETED') await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(state).toBe('COMPLETED');
    expect((await http.get('/api/wf/openapi.json')).body.servers).toEqual([{ url: '/api/wf' }]);
    // The app's body parser leaves the API's bodies alone: malformed JSON is the API's 400.
    const bad = await http.post('/api/wf/workflows/order/instances').set('content-type', 'application/json').send('{"data":');
    expect([bad.status, bad.body.error.code]).toEqual([400, 'WF_BAD_JSON']);
    // A body of another type is not parsed by it: the route answers 415 itself.
    const plain = await http.post('/api/wf/workflows/order/instances').set('content-type', 'text/plain').send('total=9');
    expect([plain.status, plain.body.error.code]).toEqual([415, 'WF_UNSUPPORTED_MEDIA_TYPE']);
    // Unknown paths under the prefix are Nest's 404, other routes of the app untouched.
    expect((await http.get('/api/wf/nope')).status).toBe(404);
  });

  it.each([false, true])('reads bodies itself (app body parser: %s), enforcing bodyLimit', async (bodyParser) => {
    const app = await serve([WorkflowModule.forRoot({ definitions: [orderWorkflow], http: { auth: 'none', bodyLimit: 64 } })], { bodyParser });
    const http = request(app.getHttpServer());
    const big = await http.post('/workflows/order/instances').send({ data: { note: 'x'.repeat(100) } });
    expect([big.status, big.body.error.code]).toEqual([413, 'WF_PAYLOAD_TOO_LARGE']);
    const bad = await http.post('/workflows/order/instances').set('content-type', 'application/json').send('{"data":');
    expect([bad.status, bad.body.error.code]).toEqual([400, 'WF_BAD_JSON']);
    expect((await http.post('/workflows/order/instances').send({ data: { order: { total: 1 } } })).status).toBe(201);
  });

  it('applies http.guards, and takes the principal from req.user by default', async () => {
    const seen: unknown[] = [];
    const app = await serve([
      WorkflowModule.forRoot({
        definitions: [orderWorkflow],
        http: { prefix: 'wf', guards: [HeaderAuthGuard], authorize: (principal, operation) => (seen.push([principal, operation]), true) },
      }),
    ]);
    const http = request(app.getHttpServer());
    const anonymous = await http.get('/wf/instances');
    expect([anonymous.status, anonymous.body.error.code]).toEqual([401, 'WF_UNAUTHENTICATED']);
    expect((await http.get('/wf/instances').set('x-user', 'ann').set('x-blocked', '1')).status).toBe(403);
    const started = await http.post('/wf/workflows/order/instances').set('x-user', 'ann').send({ data: { order: { total: 1 } } });
    expect([started.status, started.body.startedBy]).toEqual([201, 'ann']);
    expect(seen).toEqual([[{ id: 'ann', roles: ['ops'] }, 'instances.start']]);
  });

  it('takes the prefix and guards from forRootAsync and the hooks from its factory', async () => {
    const app = await serve([
      WorkflowModule.forRootAsync({
        http: { prefix: 'async-wf', guards: [HeaderAuthGuard] },
        useFactory: (): WorkflowModuleOptions => ({
          definitions: [orderWorkflow],
          http: { authorize: (principal) => typeof principal === 'object' && principal.id === 'root' },
        }),
      }),
    ]);
    const http = request(app.getHttpServer());
    expect((await http.get('/async-wf/definitions').set('x-user', 'root')).body.items.map((d: { name: string }) => d.name)).toEqual(['order']);
    const refused = await http.get('/async-wf/definitions').set('x-user', 'eve');
    expect([refused.status, refused.body.error.code]).toEqual([403, 'WF_FORBIDDEN']);
  });

  it('uses a custom principal hook', async () => {
    const app = await serve([WorkflowModule.forRoot({ definitions: [orderWorkflow], http: { principal: (req) => (req.headers['x-api-key'] === 'k' ? 'robot' : undefined), authorize: () => true } })]);
    const http = request(app.getHttpServer());
    expect((await http.get('/health')).status).toBe(401);
    const started = await http.post('/workflows/order/instances').set('x-api-key', 'k').send({});
    expect([started.status, started.body.startedBy]).toEqual([201, 'robot']);
  });
});

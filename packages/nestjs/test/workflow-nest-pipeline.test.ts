/**
 * The workflow routes in Nest's own pipeline, on Express and Fastify: an app's global interceptor
 * sees their answers and errors, a guard's exception is answered in the API's format by the
 * module's filter, and `@nestjs/swagger` lists the routes with core's operationIds.
 */
import 'reflect-metadata';
import { afterEach, describe, expect, it } from '@jest/globals';
import { Body, Controller, Injectable, Post, type CallHandler, type CanActivate, type ExecutionContext, type INestApplication, type NestInterceptor } from '@nestjs/common';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { catchError, tap, throwError, type Observable } from 'rxjs';
import { WorkflowModule, type WorkflowHttpNestRequest } from '../src/index.js';
import { pingWorkflow, RejectOrderAction } from './fixtures.js';
import { rawRequest } from './raw-http.js';

/** Records what an app-wide interceptor sees of each request. */
@Injectable()
class RecordingInterceptor implements NestInterceptor {
  static seen: Array<{ handler: string; value?: unknown; error?: unknown }> = [];
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const handler = context.getHandler().name;
    return next.handle().pipe(
      tap((value) => RecordingInterceptor.seen.push({ handler, value })),
      catchError((error: unknown) => {
        RecordingInterceptor.seen.push({ handler, error });
        return throwError(() => error);
      }),
    );
  }
}

/** Refuses requests carrying `x-blocked`, as an app's guard would (Nest's ForbiddenException). */
@Injectable()
class BlockingGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    return context.switchToHttp().getRequest<{ headers: Record<string, string> }>().headers['x-blocked'] === undefined;
  }
}

/** An app's own route: its body still goes through the app's parser. */
@Controller('echo')
class EchoController {
  @Post()
  echo(@Body() body: unknown): unknown {
    return { got: body };
  }
}

const apps: INestApplication[] = [];
const logged: Array<{ level: string; obj: object; msg?: string }> = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
  RecordingInterceptor.seen = [];
  logged.length = 0;
});

async function boot(platform: 'express' | 'fastify'): Promise<{ app: INestApplication; base: string }> {
  const moduleRef = await Test.createTestingModule({
    imports: [
      WorkflowModule.forRoot({
        definitions: [pingWorkflow],
        http: {
          prefix: 'workflow',
          guards: [BlockingGuard],
          principal: (req: WorkflowHttpNestRequest) => {
            if (req.headers['x-fail'] !== undefined) throw new Error('the identity provider is down');
            return typeof req.headers['x-user'] === 'string' ? { id: req.headers['x-user'] } : undefined;
          },
          authorize: () => true,
          logger: { debug: () => {}, info: () => {}, warn: (obj, msg) => logged.push({ level: 'warn', obj, msg }), error: (obj, msg) => logged.push({ level: 'error', obj, msg }) },
        },
      }),
    ],
    providers: [RejectOrderAction],
    controllers: [EchoController],
  }).compile();
  const app = platform === 'fastify' ? moduleRef.createNestApplication(new FastifyAdapter(), { logger: false }) : moduleRef.createNestApplication({ logger: false });
  apps.push(app);
  app.setGlobalPrefix('api');
  app.useGlobalInterceptors(new RecordingInterceptor());
  await app.listen(0, '127.0.0.1');
  return { app, base: (await app.getUrl()).replace('[::1]', '127.0.0.1') };
}

describe.each(['express', 'fastify'] as const)('the workflow routes in the Nest pipeline (%s)', (platform) => {
  it("lets an app's global interceptor see answers and errors", async () => {
    const { base } = await boot(platform);
    const started = await rawRequest(base, 'POST', '/api/workflow/workflows/ping/instances', { headers: { 'content-type': 'application/json', 'x-user': 'ann' }, body: '{"data":{"n":1}}' });
    expect(started.status).toBe(201);
    expect(started.json).toMatchObject({ definitionName: 'ping', startedBy: 'ann' });
    const missing = await rawRequest(base, 'GET', '/api/workflow/instances/nope', { headers: { 'x-user': 'ann' } });
    expect([missing.status, missing.json.error.code]).toEqual([404, 'WF_NOT_FOUND']);
    const anonymous = await rawRequest(base, 'GET', '/api/workflow/instances');
    expect([anonymous.status, anonymous.json.error.code]).toEqual([401, 'WF_UNAUTHENTICATED']);

    const seen = RecordingInterceptor.seen;
    expect(seen.map((s) => s.handler)).toEqual(['instancesStart', 'instancesRead', 'instancesList']);
    expect(seen[0]!.value).toMatchObject({ id: started.json.id, definitionName: 'ping' });
    expect(seen[1]!.error).toMatchObject({ code: 'WF_NOT_FOUND' });
    expect(seen[2]!.error).toMatchObject({ code: 'WF_UNAUTHENTICATED' });
  });

  it("leaves the app's own routes to the app's body parser", async () => {
    const { base } = await boot(platform);
    const res = await rawRequest(base, 'POST', '/api/echo', { headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
    expect([res.status, res.json]).toEqual([201, { got: { a: 1 } }]);
  });

  it("answers an id over 256 characters 400 WF_BAD_REQUEST, before the router's own limits", async () => {
    const { base } = await boot(platform);
    const res = await rawRequest(base, 'GET', `/api/workflow/instances/${'a'.repeat(300)}`, { headers: { 'x-user': 'ann' } });
    expect([res.status, res.json.error.code]).toEqual([400, 'WF_BAD_REQUEST']);
  });

  it('answers an unexpected error 500 WF_INTERNAL, logged once with its cause; a 4xx is not logged', async () => {
    const { base } = await boot(platform);
    expect((await rawRequest(base, 'GET', '/api/workflow/instances/nope', { headers: { 'x-user': 'ann' } })).status).toBe(404);
    expect(logged).toEqual([]);
    const res = await rawRequest(base, 'GET', '/api/workflow/instances', { headers: { 'x-fail': '1' } });
    expect(res.status).toBe(500);
    expect(res.json).toEqual({ error: { code: 'WF_INTERNAL', message: expect.any(String) } });
    expect(res.text).not.toContain('identity provider');
    expect(logged).toHaveLength(1);
    expect((logged[0]!.obj as { err: Error }).err.message).toBe('the identity provider is down');
  });

  it("answers a guard's exception in the API's format", async () => {
    const { base } = await boot(platform);
    const res = await rawRequest(base, 'GET', '/api/workflow/instances', { headers: { 'x-user': 'ann', 'x-blocked': '1' } });
    expect(res.status).toBe(403);
    expect(res.json).toEqual({ error: { code: 'WF_FORBIDDEN', message: expect.any(String) } });
  });

  it('is described to @nestjs/swagger with the operationIds of core', async () => {
    const { app } = await boot(platform);
    const document = SwaggerModule.createDocument(app, new DocumentBuilder().setTitle('app').build());
    const start = document.paths['/api/workflow/workflows/{name}/instances']?.post;
    expect(start).toMatchObject({ operationId: 'instancesStart', summary: expect.any(String) });
    expect(start!.tags).toContain('instances');
    expect(Object.keys(start!.responses)).toEqual(expect.arrayContaining(['200', '201', '400', '401']));
    expect(start!.requestBody).toBeDefined();
    expect(document.paths['/api/workflow/instances/{id}']?.get).toMatchObject({ operationId: 'instancesRead' });
    const ids = Object.values(document.paths).flatMap((item) => Object.values(item as Record<string, { operationId?: string }>).map((op) => op.operationId));
    expect(ids).toEqual(expect.arrayContaining(['instancesList', 'tasksComplete', 'definitionsList']));
    const diagram = document.paths['/api/workflow/instances/{id}/diagram']?.get;
    expect(diagram).toMatchObject({ operationId: 'instancesDiagram' });
    const mediaTypes = (response: unknown) => Object.keys((response as { content?: object }).content ?? {});
    expect(mediaTypes(diagram!.responses['200'])).toEqual(['text/vnd.mermaid']);
    expect(mediaTypes(document.paths['/api/workflow/metrics']!.get!.responses['200'])).toEqual(['text/plain']);
  });
});

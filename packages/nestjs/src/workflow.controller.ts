/**
 * The HTTP API as a Nest controller: one handler per route of core's table, declared under the
 * configured prefix, each a thin mapping of the request to the route and of its answer back.
 * Answers go through Nest's response path (the handler returns the body; errors are thrown to the
 * module's exception filter), so the app's interceptors see them and `@nestjs/swagger` lists them.
 */
import { Controller, Get, HttpCode, Inject, Patch, Post, Req, Res, SetMetadata, UseFilters, UseGuards, type Type } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { HttpError, principalId, type WorkflowApi, type WorkflowHttpResponse, type WorkflowPrincipal, type WorkflowRoute } from '@workflow-mastery/core/http';
import { WORKFLOW_HTTP_API, WORKFLOW_HTTP_OPTIONS } from './workflow.constants.js';
import type { WorkflowHttpNestRequest, WorkflowHttpOptions } from './workflow-http-options.interface.js';
import { workflowRouteTable, type WorkflowRouteShape } from './workflow-http.routes.js';
import { readJsonBody, type BodyRequest } from './workflow-request-body.js';
import { restoreBodyHeaders, WORKFLOW_ROUTE_CONFIG } from './workflow-body-gate.js';
import { WorkflowExceptionFilter } from './workflow-exception.filter.js';
import { normalizePrefix } from './workflow-http-prefix.js';
import { describeRoute } from './workflow-swagger.js';

export { normalizePrefix } from './workflow-http-prefix.js';

/** Default of `http.bodyLimit`. */
const DEFAULT_BODY_LIMIT = 1024 * 1024;

/** `@RouteConfig()`'s metadata key in `@nestjs/platform-fastify` (set here without importing it). */
const FASTIFY_ROUTE_CONFIG_METADATA = '__fastify_route_config__';

type NestRequest = WorkflowHttpNestRequest & BodyRequest & { params?: Record<string, string>; query?: Record<string, unknown>; ip?: string; url?: string; originalUrl?: string };

/** The default principal: `req.user` when it is a string or an object with an `id`. */
export function userPrincipal(req: WorkflowHttpNestRequest): WorkflowPrincipal | undefined {
  const user = req.user as WorkflowPrincipal | undefined;
  return principalId(user) !== undefined ? user : undefined;
}

/** The error a route answered, rebuilt so that it travels Nest's exception path (the filter answers it as it was). */
function answeredError(out: WorkflowHttpResponse): HttpError {
  const { code, message, details } = (out.body as { error: { code: string; message: string; details?: Record<string, unknown> } }).error;
  return new HttpError(code as never, message, details);
}

/** The controller's behaviour; {@link createWorkflowController} declares its routes. */
export class WorkflowControllerBase {
  private readonly routes = new Map<string, WorkflowRoute>();

  constructor(
    protected readonly api: WorkflowApi,
    protected readonly http: WorkflowHttpOptions,
    protected readonly adapterHost: HttpAdapterHost,
  ) {
    for (const route of api.routes) this.routes.set(route.operation, route);
  }

  /** @internal Map the request to `shape`'s route; return its body, or throw its error. */
  async serve(shape: WorkflowRouteShape, req: NestRequest, res: unknown): Promise<unknown> {
    restoreBodyHeaders(req.raw ?? (req as never));
    const route = this.routes.get(shape.operation);
    // A build mismatch for the operator, not the client: a plain Error is logged and answered a generic 500.
    if (!route) throw new Error(`The engine's HTTP API has no route for ${shape.operation}; rebuild @workflow-mastery/nestjs against this @workflow-mastery/core.`);
    const principal = await (this.http.principal ?? userPrincipal)(req);
    // 401 before reading the body, as the route itself answers it before validating.
    const denied = route.authenticate(principal);
    if (denied) throw answeredError(denied);
    const out = await route.handle({
      params: { ...(req.params ?? {}) },
      query: (req.query ?? {}) as Record<string, string | string[] | undefined>,
      body: shape.hasBody ? await readJsonBody(req, this.http.bodyLimit ?? DEFAULT_BODY_LIMIT) : undefined,
      principal: principal ?? undefined,
      ...(typeof req.ip === 'string' ? { ip: req.ip } : {}),
      basePath: basePathOf(req, shape.path),
    });
    if (out.status >= 400) throw answeredError(out);
    const adapter = this.adapterHost.httpAdapter;
    adapter.status(res, out.status);
    // A string body with its own content type (Prometheus text) goes as it is; the rest is JSON.
    for (const [name, value] of Object.entries(out.headers ?? {})) adapter.setHeader(res, name.toLowerCase(), value);
    return out.body;
  }
}

/** The mount path of the API: the request path without the route's own segments. */
function basePathOf(req: NestRequest, routePath: string): string {
  const url = (req.originalUrl ?? req.url ?? '').split('?')[0]!.replace(/\/+$/, '');
  const depth = routePath.split('/').filter(Boolean).length;
  const segments = url.split('/');
  return segments.slice(0, Math.max(1, segments.length - depth)).join('/');
}

/** `instances.start` → `instancesStart`: the handler's method name. */
function methodName(shape: WorkflowRouteShape): string {
  return shape.operation.replace(/[._](\w)/g, (_, c: string) => c.toUpperCase()).replace(/\W/g, '_');
}

/** The status a route answers when it succeeds (its first 2xx), for `@HttpCode` and Swagger. */
function successStatus(shape: WorkflowRouteShape): number {
  const statuses = Object.keys(shape.schema.response ?? {}).map(Number).filter((s) => s >= 200 && s < 300);
  return statuses.includes(201) ? 201 : (statuses[0] ?? 200);
}

/**
 * A controller class serving every route of core's HTTP API under `http.prefix`. Routes are
 * declared from the route table when the module is defined (Nest needs them then); requests are
 * served by the API over the module's engine, on Express and Fastify alike.
 */
export function createWorkflowController(http: WorkflowHttpOptions): Type<WorkflowControllerBase> {
  const prefix = normalizePrefix(http.prefix);

  @Controller(prefix)
  @UseFilters(WorkflowExceptionFilter)
  class WorkflowController extends WorkflowControllerBase {
    constructor(@Inject(WORKFLOW_HTTP_API) api: WorkflowApi, @Inject(WORKFLOW_HTTP_OPTIONS) options: WorkflowHttpOptions, adapterHost: HttpAdapterHost) {
      super(api, options, adapterHost);
    }
  }

  const proto = WorkflowController.prototype as unknown as Record<string, unknown>;
  for (const shape of workflowRouteTable()) {
    const name = methodName(shape);
    const handler = function (this: WorkflowController, req: NestRequest, res: unknown) {
      return this.serve(shape, req, res);
    };
    // Named as the method: interceptors and loggers see `instancesStart`, not `value`.
    Object.defineProperty(handler, 'name', { value: name });
    Object.defineProperty(proto, name, { value: handler, writable: true, configurable: true });
    const descriptor = Object.getOwnPropertyDescriptor(proto, name)!;
    ({ GET: Get, POST: Post, PATCH: Patch } as const)[shape.method](shape.path)(proto, name, descriptor);
    HttpCode(successStatus(shape))(proto, name, descriptor);
    // Fastify: marks the route for the body gate's preParsing hook.
    if (shape.hasBody) SetMetadata(FASTIFY_ROUTE_CONFIG_METADATA, { [WORKFLOW_ROUTE_CONFIG]: true })(proto, name, descriptor);
    Req()(proto, name, 0);
    // passthrough: the status and headers are set on the response, the body goes through Nest.
    Res({ passthrough: true })(proto, name, 1);
    describeRoute(shape, proto, name);
  }
  if (http.guards?.length) UseGuards(...http.guards)(WorkflowController);
  return WorkflowController;
}

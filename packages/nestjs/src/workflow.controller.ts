/**
 * The HTTP API as a Nest controller: one handler per route of core's table, declared under the
 * configured prefix, each a thin mapping of the request to the route and of its answer back.
 */
import { Controller, Get, Inject, Post, Req, Res, UseGuards, type Type } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { principalId, type WorkflowApi, type WorkflowHttpResponse, type WorkflowPrincipal, type WorkflowRoute } from '@workflow-mastery/core/http';
import { WORKFLOW_HTTP_API, WORKFLOW_HTTP_OPTIONS } from './workflow.constants.js';
import { HTTP_PREFIX_INVALID } from './workflow.messages.js';
import type { WorkflowHttpNestRequest, WorkflowHttpOptions } from './workflow-http-options.interface.js';
import { workflowRouteTable, type WorkflowRouteShape } from './workflow-http.routes.js';
import { readJsonBody, type BodyRequest } from './workflow-request-body.js';
import { WorkflowModuleConfigError } from './workflow-module-config.error.js';

/** Default of `http.bodyLimit`. */
const DEFAULT_BODY_LIMIT = 1024 * 1024;

type NestRequest = WorkflowHttpNestRequest & BodyRequest & { params?: Record<string, string>; query?: Record<string, unknown>; ip?: string; url?: string; originalUrl?: string };

/** The default principal: `req.user` when it is a string or an object with an `id`. */
export function userPrincipal(req: WorkflowHttpNestRequest): WorkflowPrincipal | undefined {
  const user = req.user as WorkflowPrincipal | undefined;
  return principalId(user) !== undefined ? user : undefined;
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

  /** @internal Map the request to `shape`'s route and its answer to the response. */
  async serve(shape: WorkflowRouteShape, req: NestRequest, res: unknown): Promise<void> {
    const route = this.routes.get(shape.operation);
    let out: WorkflowHttpResponse;
    try {
      // A build mismatch for the operator, not the client: a plain Error is logged and answered a generic 500.
      if (!route) throw new Error(`The engine's HTTP API has no route for ${shape.operation}; rebuild @workflow-mastery/nestjs against this @workflow-mastery/core.`);
      const principal = await (this.http.principal ?? userPrincipal)(req);
      // 401 before reading the body, as the route itself answers it before validating.
      const denied = route.authenticate(principal);
      out =
        denied ??
        (await route.handle({
          params: { ...(req.params ?? {}) },
          query: (req.query ?? {}) as Record<string, string | string[] | undefined>,
          body: shape.hasBody ? await readJsonBody(req, this.http.bodyLimit ?? DEFAULT_BODY_LIMIT) : undefined,
          principal: principal ?? undefined,
          ...(typeof req.ip === 'string' ? { ip: req.ip } : {}),
          basePath: basePathOf(req, shape.path),
        }));
    } catch (error) {
      out = this.api.errorResponse(error);
    }
    this.send(res, out);
  }

  private send(res: unknown, out: WorkflowHttpResponse): void {
    const adapter = this.adapterHost.httpAdapter;
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(out.headers ?? {})) headers[name.toLowerCase()] = value;
    // A string body with its own content type (Prometheus text) goes as it is; the rest is JSON.
    const raw = typeof out.body === 'string' && headers['content-type'] !== undefined;
    if (!raw) headers['content-type'] = 'application/json; charset=utf-8';
    for (const [name, value] of Object.entries(headers)) adapter.setHeader(res, name, value);
    adapter.reply(res, raw ? out.body : JSON.stringify(out.body ?? null), out.status);
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
  return shape.operation.replace(/[.](\w)/g, (_, c: string) => c.toUpperCase()).replace(/\W/g, '_');
}

/** Normalize and check `http.prefix`. */
export function normalizePrefix(prefix: unknown): string {
  if (prefix === undefined) return '';
  if (typeof prefix !== 'string' || /[?#\s]/.test(prefix)) throw new WorkflowModuleConfigError(HTTP_PREFIX_INVALID(prefix));
  return prefix.replace(/^\/+|\/+$/g, '');
}

/**
 * A controller class serving every route of core's HTTP API under `http.prefix`. Routes are
 * declared from the route table when the module is defined (Nest needs them then); requests are
 * served by the API over the module's engine. Responses are written through the platform's
 * `HttpAdapter`, so Express and Fastify both work.
 */
export function createWorkflowController(http: WorkflowHttpOptions): Type<WorkflowControllerBase> {
  const prefix = normalizePrefix(http.prefix);

  @Controller(prefix)
  class WorkflowController extends WorkflowControllerBase {
    constructor(@Inject(WORKFLOW_HTTP_API) api: WorkflowApi, @Inject(WORKFLOW_HTTP_OPTIONS) options: WorkflowHttpOptions, adapterHost: HttpAdapterHost) {
      super(api, options, adapterHost);
    }
  }

  const proto = WorkflowController.prototype as unknown as Record<string, unknown>;
  for (const shape of workflowRouteTable()) {
    const name = methodName(shape);
    Object.defineProperty(proto, name, {
      value: function (this: WorkflowController, req: NestRequest, res: unknown) {
        return this.serve(shape, req, res);
      },
      writable: true,
      configurable: true,
    });
    const descriptor = Object.getOwnPropertyDescriptor(proto, name)!;
    (shape.method === 'GET' ? Get : Post)(shape.path)(proto, name, descriptor);
    Req()(proto, name, 0);
    Res()(proto, name, 1);
  }
  if (http.guards?.length) UseGuards(...http.guards)(WorkflowController);
  return WorkflowController;
}

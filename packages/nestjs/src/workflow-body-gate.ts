/**
 * Keeps the app's body parser off the workflow routes, so the controller reads their bodies itself:
 * after the principal (a 401 never reads the body), with `bodyLimit`, and answering the API's errors.
 *
 * Nest registers the app's parser (Express's `json()`, Fastify's content-type parsers) before any
 * module middleware, and Nest offers no per-route parser. So, on a request to a workflow route with
 * a body, the gate hides the headers every parser decides on (`content-type`, `content-length`,
 * `transfer-encoding`) before the parser runs, and puts them back right after it:
 * - Express: a layer the gate adds to the app as soon as the HTTP adapter exists (before
 *   `app.init()` registers the parser); the module's middleware puts the headers back.
 * - Fastify: a `preParsing` hook, for the routes the controller tags (`config.workflowMastery`),
 *   then a `preValidation` hook puts them back. Fastify's `bodyLimit` and 415 do not apply there.
 * The stream itself is left unread, for the controller.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { ErrorCode } from '@workflow-mastery/core';
import { WORKFLOW_HTTP_MOUNT } from './workflow.constants.js';
import type { WorkflowHttpOptions } from './workflow-http-options.interface.js';
import { normalizePrefix } from './workflow-http-prefix.js';
import { workflowRouteTable } from './workflow-http.routes.js';

/** Key of the route config (`@RouteConfig` on Fastify) that marks the module's routes. */
export const WORKFLOW_ROUTE_CONFIG = 'workflowMastery';

const HIDDEN = Symbol.for('@workflow-mastery/nestjs:hidden-body-headers');
const BODY_HEADERS = ['content-type', 'content-length', 'transfer-encoding'] as const;

type GatedRequest = IncomingMessage & { [HIDDEN]?: Partial<Record<(typeof BODY_HEADERS)[number], string>> };

/** Hide the body headers of `raw` from the parsers (once). */
function hide(raw: GatedRequest): void {
  if (raw[HIDDEN]) return;
  const saved: Partial<Record<(typeof BODY_HEADERS)[number], string>> = {};
  for (const name of BODY_HEADERS) {
    const value = raw.headers[name];
    if (typeof value === 'string') saved[name] = value;
    delete raw.headers[name];
  }
  raw[HIDDEN] = saved;
}

/** Put back what {@link hide} took; a no-op when nothing was hidden. Idempotent. */
export function restoreBodyHeaders(raw: IncomingMessage | undefined): void {
  const gated = raw as GatedRequest | undefined;
  const saved = gated?.[HIDDEN];
  if (!gated || !saved) return;
  for (const [name, value] of Object.entries(saved)) gated.headers[name] = value;
  delete gated[HIDDEN];
}

/** Express middleware (the module's) putting the headers back once the app's parser has run. */
export function restoreBodyHeadersMiddleware(req: IncomingMessage, _res: ServerResponse, next: () => void): void {
  restoreBodyHeaders(req);
  next();
}

/** The module's routes, matched under any global prefix: `…/<prefix>/instances/:id/cancel`. */
interface RoutePatterns {
  /** Routes taking a body (POST, PATCH). */
  body: RegExp[];
  /** Every route. */
  all: RegExp[];
}

function routePatterns(prefix: string): RoutePatterns {
  const mount = prefix ? `/${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}` : '';
  const pattern = (path: string) => new RegExp(`^(?:/.*)?${mount}${path.replace(/[.]/g, '\\.').replace(/:\w+/g, '[^/]+')}/?$`);
  const table = workflowRouteTable();
  return { body: table.filter((shape) => shape.hasBody).map((shape) => pattern(shape.path)), all: table.map((shape) => pattern(shape.path)) };
}

/** Longest id or name in a path (core's schemas say the same). */
export const MAX_SEGMENT_LENGTH = 256;

const BAD_ENCODING = 'The request path is not valid percent-encoding (a "%" must be followed by two hex digits of UTF-8); encode path segments with encodeURIComponent.';
const TOO_LONG = `A path segment is longer than ${MAX_SEGMENT_LENGTH} characters: ids and names are at most ${MAX_SEGMENT_LENGTH}.`;

/** Why a path cannot reach a route (the routers would throw, or answer in their own format), or undefined. */
function pathProblem(path: string): string | undefined {
  for (const segment of path.split('/')) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return BAD_ENCODING;
    }
    if (decoded.length > MAX_SEGMENT_LENGTH) return TOO_LONG;
  }
  return undefined;
}

/** The API's 400 for the path of a workflow route, written on the raw response. */
function refuseBadPath(res: ServerResponse, message: string): void {
  const body = JSON.stringify({ error: { code: ErrorCode.BadRequest, message } });
  res.writeHead(400, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** What the gate does before any router: a workflow route's undecodable or overlong path answered 400. False when answered. */
function gate(patterns: RoutePatterns[], req: IncomingMessage, res: ServerResponse): boolean {
  const path = (req.url ?? '').split('?')[0]!;
  if (path.length <= MAX_SEGMENT_LENGTH && !path.includes('%')) return true;
  const problem = pathProblem(path);
  if (problem && patterns.some((p) => p.all.some((pattern) => pattern.test(path)))) {
    refuseBadPath(res, problem);
    return false;
  }
  return true;
}

/** Installs the gate on the app's HTTP adapter when Nest creates it. */
@Injectable()
export class WorkflowBodyGate implements OnModuleDestroy {
  private readonly subscription?: { unsubscribe(): void };

  constructor(adapterHost: HttpAdapterHost, @Inject(WORKFLOW_HTTP_MOUNT) mount: WorkflowHttpOptions) {
    // A ReplaySubject: fires now when the adapter exists (NestFactory.create), else when it is set
    // (Test.createNestApplication); both before app.init() registers the app's parser.
    this.subscription = adapterHost.init$?.subscribe(() => {
      const adapter = adapterHost.httpAdapter;
      if (!adapter) return;
      const patterns = routePatterns(normalizePrefix(mount.prefix));
      if (adapter.getType() === 'fastify') installOnFastify(adapter.getInstance(), patterns);
      else if (adapter.getType() === 'express') installOnExpress(adapter.getInstance(), patterns);
    });
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
  }
}

const INSTALLED = Symbol.for('@workflow-mastery/nestjs:body-gate');

function installOnExpress(app: { use(fn: (req: IncomingMessage, res: ServerResponse, next: () => void) => void): void } & { [INSTALLED]?: RoutePatterns[] }, patterns: RoutePatterns): void {
  // Two WorkflowModules in one app: one layer, every module's routes.
  if (app[INSTALLED]) {
    app[INSTALLED].push(patterns);
    return;
  }
  const all = (app[INSTALLED] = [patterns]);
  app.use(function workflowBodyGate(req, res, next) {
    if (!gate(all, req, res)) return;
    if ((req.method === 'POST' || req.method === 'PATCH') && hasBody(req)) {
      const path = (req.url ?? '').split('?')[0]!;
      if (all.some((p) => p.body.some((pattern) => pattern.test(path)))) hide(req);
    }
    next();
  });
}

interface FastifyLike {
  addHook(name: string, hook: (request: FastifyRequestLike, reply: unknown, ...rest: never[]) => unknown): void;
  server: { listeners(event: 'request'): Function[]; removeAllListeners(event: 'request'): void; on(event: 'request', fn: (req: IncomingMessage, res: ServerResponse) => void): void };
  initialConfig?: { routerOptions?: { maxParamLength?: number } };
  [INSTALLED]?: RoutePatterns[];
}
interface FastifyRequestLike {
  raw: IncomingMessage;
  routeOptions?: { config?: Record<string, unknown> };
}

function installOnFastify(fastify: FastifyLike, patterns: RoutePatterns): void {
  if (fastify[INSTALLED]) {
    fastify[INSTALLED].push(patterns);
    return;
  }
  const all = (fastify[INSTALLED] = [patterns]);
  const maxParamLength = fastify.initialConfig?.routerOptions?.maxParamLength ?? 100;
  if (maxParamLength < MAX_SEGMENT_LENGTH) {
    new Logger('WorkflowModule').warn(
      `Fastify's router refuses path parameters over ${maxParamLength} characters (414, in Fastify's format), so workflow ids of ${maxParamLength + 1} to ${MAX_SEGMENT_LENGTH} characters never reach the API: create the adapter with new FastifyAdapter({ routerOptions: { maxParamLength: ${MAX_SEGMENT_LENGTH * 4} } }).`,
    );
  }
  // Fastify answers a path it cannot decode before any hook, in its own format: the gate answers
  // those of the workflow routes first, in front of Fastify's request listener.
  const listeners = fastify.server.listeners('request');
  fastify.server.removeAllListeners('request');
  fastify.server.on('request', function (this: unknown, req, res) {
    if (!gate(all, req, res)) return;
    for (const listener of listeners) listener.call(this, req, res);
  });
  // Async hooks: Fastify 5 refuses a hook that is neither async nor takes `done`.
  fastify.addHook('preParsing', async (request: FastifyRequestLike, _reply: unknown, payload: never) => {
    if (request.routeOptions?.config?.[WORKFLOW_ROUTE_CONFIG] && hasBody(request.raw)) hide(request.raw);
    return payload;
  });
  fastify.addHook('preValidation', async (request: FastifyRequestLike) => {
    restoreBodyHeaders(request.raw);
  });
}

function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return (length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined;
}

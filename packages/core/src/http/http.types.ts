/**
 * The framework-agnostic shapes of the HTTP layer: what an adapter hands to a route
 * (`{ params, query, body, principal, ip }`) and what it gets back (`{ status, body }`).
 */
import type { Logger } from '../logger.js';
import type { WorkflowEngine } from '../engine/workflow-engine.js';
import type { OpenApiInfo } from './openapi.js';

/** HTTP methods the route table uses. */
export type HttpMethod = 'GET' | 'POST' | 'PATCH';

/**
 * Who makes a request, as the adapter's `principal(req)` hook computed it: a user id, or an object
 * with an `id` (its other fields are for `authorize`). The id is recorded in the history as the
 * author of starts, signals, task completions and cancellations.
 */
export type WorkflowPrincipal = string | { id: string; [key: string]: unknown };

/** Stable names of what a route does, handed to `authorize`. */
export type WorkflowOperation =
  | 'instances.start'
  | 'instances.list'
  | 'instances.read'
  | 'instances.history'
  | 'instances.permissions'
  | 'instances.signal'
  | 'instances.pause'
  | 'instances.resume'
  | 'instances.cancel'
  | 'instances.retry'
  | 'instances.migrate'
  | 'instances.retry_from'
  | 'instances.skip_step'
  | 'instances.update_data'
  | 'tasks.list'
  | 'tasks.read'
  | 'tasks.claim'
  | 'tasks.complete'
  | 'definitions.list'
  | 'definitions.deploy'
  | 'definitions.read'
  | 'definitions.migrate'
  | 'health.read'
  | 'ready.read'
  | 'metrics.read'
  | 'openapi.read'
  | 'definitions.diagram'
  | 'instances.diagram'
  | 'maintenance.purge';

/**
 * What an operation is about. Routes on one instance or task fill in every field they know
 * (the definition of an existing instance, the instance of a task), so `authorize` can decide per
 * workflow type.
 */
export interface WorkflowResource {
  definition?: string;
  instanceId?: string;
  taskId?: string;
  /** The signal's name, on `instances.signal` (so a team may send only its own signals). */
  signal?: string;
}

/**
 * Decides whether `principal` may perform `operation` on `resource`. Returning (or resolving to)
 * anything but `true` refuses the request with 403 `WF_FORBIDDEN`; a throw is a 500.
 */
export type AuthorizeHook = (
  principal: WorkflowPrincipal,
  operation: WorkflowOperation,
  resource: WorkflowResource,
) => boolean | Promise<boolean>;

/**
 * Computes the principal of a framework's native request (Express `req`, Fastify `request`...).
 * `undefined` (or `null`) means "not authenticated": 401 `WF_UNAUTHENTICATED` unless `auth: 'none'`.
 */
export type PrincipalHook<Req> = (request: Req) => WorkflowPrincipal | undefined | null | Promise<WorkflowPrincipal | undefined | null>;

/** Options of {@link createWorkflowApi}. */
export interface WorkflowApiOptions {
  /** The engine the routes drive. */
  engine: WorkflowEngine;
  /**
   * Guards every route (except those in `publicOperations`). Required unless `auth: 'none'`.
   * A request without a principal is refused with 401 before it is called.
   */
  authorize?: AuthorizeHook;
  /**
   * `'none'`: open every route to anyone; an explicit choice, since without `authorize` the API
   * refuses to be built. Cannot be combined with `authorize`.
   */
  auth?: 'none';
  /**
   * Operations answered without a principal and without asking `authorize` (for load balancer
   * probes and scrapers, e.g. `['health.read', 'metrics.read']`). @defaultValue none: every route is guarded
   */
  publicOperations?: readonly WorkflowOperation[];
  /** Where unexpected (500) errors are logged. @defaultValue the engine's logger */
  logger?: Logger;
  /**
   * `info.title` / `info.version` of the OpenAPI document, and `securitySchemes`: how the app's
   * `principal` hook authenticates (e.g. `{ bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } }`).
   * @defaultValue `Workflow Mastery API` / `0.1.0`, a generic bearer scheme
   */
  openapi?: OpenApiInfo;
  /** How long `GET /health` waits for storage (and `GET /ready` for each check) before answering 503. @defaultValue 3000 */
  healthTimeoutMs?: number;
  /**
   * What `GET /metrics` serves, e.g. `createWorkflowMetrics({ engine })` of
   * `@workflow-mastery/observability` (a prom-client registry). @defaultValue instance counts per state, scanned from storage
   */
  metrics?: WorkflowMetricsSource;
  /**
   * Checks `GET /ready` runs after its built-in `storage` check (a queue connection, a cache...):
   * 200 when all pass, 503 naming the first that failed. @defaultValue none: storage only
   */
  readiness?: readonly ReadinessCheck[];
  /**
   * `POST /definitions`: `allowUnknownActions: true` stores definitions whose actions this process
   * has not registered (an API-only node deploying for its workers; they are listed in the answer's
   * `unknownActions`). @defaultValue refused with 400 naming every missing action
   */
  deploy?: { allowUnknownActions?: boolean };
}

/** A source of Prometheus text for `GET /metrics` (a prom-client registry has this shape). */
export interface WorkflowMetricsSource {
  /** Content type of the text, e.g. prom-client's `registry.contentType`. */
  readonly contentType: string;
  /** The exposition text, computed at scrape time. */
  metrics(): Promise<string>;
}

/** One readiness check: resolves when the dependency is usable, rejects (with why) when not. */
export interface ReadinessCheck {
  /** Shown in `GET /ready` answers: `storage`, `redis`, `bullmq`... */
  readonly name: string;
  check(): Promise<void>;
}

/** Query string values as frameworks parse them. */
export type HttpQuery = Record<string, string | string[] | undefined>;

/** A request as an adapter hands it to the route table. */
export interface WorkflowHttpRequest {
  /** Path parameters, by the names of the route's `:params`. */
  params: Record<string, string>;
  query: HttpQuery;
  /** Parsed JSON body (`undefined` when there was none). */
  body: unknown;
  /** From the adapter's `principal(req)` hook; `undefined` when unauthenticated. */
  principal?: WorkflowPrincipal | null;
  /** Client address (for the audit trail). */
  ip?: string;
  /** Path the routes are mounted under (`/api/workflow`); used for `servers` in `/openapi.json`. */
  basePath?: string;
}

/** What a route answers. `body` is JSON unless `headers['content-type']` says otherwise (then a string). */
export interface WorkflowHttpResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** JSON Schemas of a route's parts (draft 2020-12 subset that both ajv and OpenAPI 3.1 read). */
export interface RouteSchema {
  params?: JsonSchema;
  querystring?: JsonSchema;
  body?: JsonSchema;
  /** Documentation only (OpenAPI), by status code; never used to serialize. */
  response?: Record<number, JsonSchema & { description?: string }>;
}

/** A JSON Schema object. */
export type JsonSchema = Record<string, unknown>;

/** One route of the table: adapters register `method path` and forward to `handle`. */
export interface WorkflowRoute {
  method: HttpMethod;
  /** Express/Fastify style, e.g. `/instances/:id/signals/:signal`. */
  path: string;
  operation: WorkflowOperation;
  /** One line for the OpenAPI document. */
  summary: string;
  schema: RouteSchema;
  /** True when the route takes a JSON body (adapters parse one). */
  hasBody: boolean;
  /** Error statuses the route may answer (documentation). */
  errors: readonly number[];
  /** True when the route answers without a principal (`auth: 'none'`, or in `publicOperations`). */
  isPublic: boolean;
  /**
   * The 401 to answer when this route needs a principal and `principal` is none, else `undefined`.
   * For frameworks that validate before the handler (Fastify), so that 401 comes before 400 as it
   * does in {@link WorkflowRoute.handle}.
   */
  authenticate(principal: WorkflowPrincipal | null | undefined): WorkflowHttpResponse | undefined;
  /**
   * Validate, authenticate, authorize and run the request. Never rejects: every failure is turned
   * into its JSON error response.
   */
  handle(request: WorkflowHttpRequest): Promise<WorkflowHttpResponse>;
}

/** Part of a request a schema applies to (Fastify's names). */
export type HttpPart = 'params' | 'querystring' | 'body';

/** The HTTP API over one engine, built by {@link createWorkflowApi}. */
export interface WorkflowApi {
  readonly engine: WorkflowEngine;
  /** Every route, in a stable order. */
  readonly routes: readonly WorkflowRoute[];
  /** The route and path parameters for `method path` (path relative to the mount point), if any. */
  match(method: string, path: string): { route: WorkflowRoute; params: Record<string, string> } | undefined;
  /** The OpenAPI 3.1 document of the routes; `basePath` becomes its server URL. */
  openapi(basePath?: string): Record<string, unknown>;
  /**
   * The JSON error response for anything thrown (an engine error, an {@link HttpError}, a bug):
   * the one place where error codes become status codes. Unknown errors are logged and answered 500.
   */
  errorResponse(error: unknown): WorkflowHttpResponse;
  /**
   * A validator for one part of a route, for frameworks that validate themselves (Fastify's
   * validator compiler): same ajv options as the route table, throws nothing, returns the
   * {@link HttpError} to answer, if any. Coerces query and params in place.
   */
  validator(part: HttpPart, schema: JsonSchema): (value: unknown) => Error | undefined;
}

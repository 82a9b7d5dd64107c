/**
 * The shape of one route of the workflow HTTP API before {@link createWorkflowApi} wraps it: what
 * the route table (`route-table.ts`) declares and what the API (`workflow-api.ts`) runs.
 */
import type { WorkflowEngine } from '../engine/workflow-engine.js';
import type { ReadinessCheck, WorkflowHttpResponse, WorkflowMetricsSource, WorkflowOperation, WorkflowResource, WorkflowRoute } from './http.types.js';

/** Who asks, as the engine records it (`by`, and `from`: the client address). */
export interface RouteActor {
  id: string;
  address?: string;
}

/** What a route's `run` receives: the validated request and the engine. */
export interface RouteContext {
  engine: WorkflowEngine;
  params: Record<string, string>;
  query: Record<string, unknown>;
  body: Record<string, unknown>;
  /** The principal's id and the client address, for the audit trail. */
  actor: RouteActor;
  /** Mount path, for `/openapi.json`. */
  basePath?: string;
  /** The OpenAPI document (built by the API, which knows every route). */
  openapi(basePath?: string): Record<string, unknown>;
  healthTimeoutMs: number;
  /** `GET /metrics`'s source when one was given (else the storage scan). */
  metrics?: WorkflowMetricsSource;
  /** `GET /ready`'s checks besides storage. */
  readiness: readonly ReadinessCheck[];
  /** The API's `deploy` option (`POST /definitions`). */
  deploy: { allowUnknownActions: boolean };
  /** Whether this request's principal may perform `operation` on this route's resource (asks `authorize`). */
  allowed(operation: WorkflowOperation): Promise<boolean>;
}

/** The resource of a request for `authorize`, and the not-found error to answer once authorized. */
export interface ResolvedResource {
  resource: WorkflowResource;
  missing?: unknown;
}

/** One route before {@link createWorkflowApi} wraps it. */
export interface RouteSpec extends Pick<WorkflowRoute, 'method' | 'path' | 'operation' | 'summary' | 'schema' | 'hasBody'> {
  /** Documented success statuses (first is the usual one) and the error statuses it can answer. */
  errors: number[];
  /**
   * The operation `authorize` is asked about, when not the route's own (`GET /instances/:id/permissions`
   * is allowed to whoever may read the instance). @defaultValue `operation`
   */
  authorizeAs?: WorkflowOperation;
  /** What the request is about, for `authorize` (the body is validated by then). @defaultValue `{}` */
  resource?(engine: WorkflowEngine, params: Record<string, string>, query: Record<string, unknown>, body: Record<string, unknown>): Promise<ResolvedResource>;
  run(ctx: RouteContext): Promise<WorkflowHttpResponse>;
}

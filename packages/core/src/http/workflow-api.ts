/**
 * {@link createWorkflowApi}: the route table bound to an engine, with validation, authentication,
 * authorization and error mapping done here once, so every adapter is a thin mapping.
 */
import { checkJsonInput } from '../engine/json-value.js';
import { ErrorCode, WorkflowError } from '../errors.js';
import type { Logger } from '../logger.js';
import { HttpError, HttpErrorCode, toErrorResponse } from './http-errors.js';
import {
  ANONYMOUS,
  AUTH_CONFLICT_MESSAGE,
  AUTH_REQUIRED_MESSAGE,
  DEPLOY_OPTION_MESSAGE,
  ENGINE_REQUIRED_MESSAGE,
  forbiddenMessage,
  MAX_PATH_PARAM_LENGTH,
  METRICS_SOURCE_MESSAGE,
  NULL_BODY_MESSAGE,
  pathParamTooLongMessage,
  readinessCheckMessage,
  UNAUTHENTICATED_MESSAGE,
} from './http.messages.js';
import type {
  HttpPart,
  JsonSchema,
  WorkflowApi,
  WorkflowApiOptions,
  WorkflowHttpRequest,
  WorkflowHttpResponse,
  WorkflowPrincipal,
  WorkflowRoute,
} from './http.types.js';
import { buildOpenApi, checkSecuritySchemes } from './openapi.js';
import { compileValidator } from './request-validation.js';
import { matchPath } from './route-path.js';
import type { RouteActor, RouteSpec } from './route-spec.js';
import { ROUTE_SPECS } from './route-table.js';

/** The id of a principal (`principal.id` or the string itself), `undefined` when it has none. */
export function principalId(principal: WorkflowPrincipal | null | undefined): string | undefined {
  if (typeof principal === 'string') return principal === '' ? undefined : principal;
  if (typeof principal === 'object' && principal !== null && principal.id !== undefined && principal.id !== null) {
    const id = String(principal.id);
    return id === '' ? undefined : id;
  }
  return undefined;
}

/** A bad option of {@link createWorkflowApi}: the message names it and says what to pass. */
function optionError(message: string): WorkflowError {
  return new WorkflowError(ErrorCode.InputInvalid, message);
}

/** `deploy.allowUnknownActions` of the options, checked. */
function checkDeployOption(deploy: unknown): boolean {
  if (deploy === undefined) return false;
  const allow = (deploy as { allowUnknownActions?: unknown } | null)?.allowUnknownActions;
  if (typeof deploy !== 'object' || deploy === null || Array.isArray(deploy) || (allow !== undefined && typeof allow !== 'boolean')) throw optionError(DEPLOY_OPTION_MESSAGE);
  return allow === true;
}

/**
 * Build the workflow HTTP API over `options.engine`: every route of the table with its JSON
 * schemas, ready for an adapter to mount.
 *
 * Each route's `handle` runs, in order: authentication (401 `WF_UNAUTHENTICATED` without a
 * principal), path parameters of at most 256 characters (400 `WF_BAD_REQUEST`), the body's nesting
 * (at most 64 levels of data) and prototype keys, validation of params, query and body (400 `WF_INPUT_INVALID`), resolution of the
 * resource (the instance's definition, the task's instance), `authorize` (403 `WF_FORBIDDEN`;
 * asked before a 404 is revealed), then the engine call. Errors become JSON in one place
 * ({@link toErrorResponse}).
 *
 * @throws WorkflowError `WF_INPUT_INVALID` when neither `authorize` nor `auth: 'none'` is given (routes are
 * never open by accident), or when `engine`, `metrics`, `readiness` or `openapi.securitySchemes` is not what it must be.
 */
export function createWorkflowApi(options: WorkflowApiOptions): WorkflowApi {
  const { engine, authorize } = options;
  if (!engine || typeof engine.start !== 'function') throw optionError(ENGINE_REQUIRED_MESSAGE);
  if (authorize !== undefined && options.auth === 'none') throw optionError(AUTH_CONFLICT_MESSAGE);
  if (authorize === undefined && options.auth !== 'none') throw optionError(AUTH_REQUIRED_MESSAGE);
  if (authorize !== undefined && typeof authorize !== 'function') throw optionError(AUTH_REQUIRED_MESSAGE);
  if (options.auth !== undefined && options.auth !== 'none') throw optionError(AUTH_REQUIRED_MESSAGE);

  const { metrics, readiness = [] } = options;
  if (metrics !== undefined && (typeof metrics?.metrics !== 'function' || typeof metrics.contentType !== 'string')) throw optionError(METRICS_SOURCE_MESSAGE);
  if (!Array.isArray(readiness)) throw optionError(readinessCheckMessage(0));
  readiness.forEach((c, i) => {
    if (typeof c?.name !== 'string' || c.name === '' || typeof c.check !== 'function') throw optionError(readinessCheckMessage(i));
  });

  if (options.openapi?.securitySchemes !== undefined) checkSecuritySchemes(options.openapi.securitySchemes);
  const deploy = { allowUnknownActions: checkDeployOption(options.deploy) };

  const logger: Logger = options.logger ?? engine.logger;
  const open = options.auth === 'none';
  const publicOps = new Set(options.publicOperations ?? []);
  const healthTimeoutMs = options.healthTimeoutMs ?? 3000;
  const documents = new Map<string, Record<string, unknown>>();
  const errorResponse = (error: unknown): WorkflowHttpResponse => toErrorResponse(error, logger);

  const openapi = (basePath = ''): Record<string, unknown> => {
    const key = basePath.replace(/\/+$/, '');
    let doc = documents.get(key);
    if (!doc) {
      doc = buildOpenApi(routes, options.openapi, key);
      documents.set(key, doc);
    }
    return doc;
  };

  const bind = (spec: RouteSpec): WorkflowRoute => {
    const isPublic = open || publicOps.has(spec.operation);
    const validators = {
      params: spec.schema.params ? compileValidator('params', spec.schema.params) : undefined,
      querystring: spec.schema.querystring ? compileValidator('querystring', spec.schema.querystring) : undefined,
      body: spec.hasBody && spec.schema.body ? compileValidator('body', spec.schema.body) : undefined,
    };
    const authenticate = (principal: WorkflowPrincipal | null | undefined): WorkflowHttpResponse | undefined =>
      isPublic || principalId(principal) !== undefined ? undefined : errorResponse(new HttpError(HttpErrorCode.Unauthenticated, UNAUTHENTICATED_MESSAGE));

    const handle = async (request: WorkflowHttpRequest): Promise<WorkflowHttpResponse> => {
      try {
        const denied = authenticate(request.principal);
        if (denied) return denied;
        const params = { ...request.params };
        for (const [name, value] of Object.entries(params)) {
          if (typeof value === 'string' && value.length > MAX_PATH_PARAM_LENGTH) throw new HttpError(HttpErrorCode.BadRequest, pathParamTooLongMessage(name, value.length), { param: name, limit: MAX_PATH_PARAM_LENGTH });
        }
        const query: Record<string, unknown> = { ...request.query };
        // No body (or an empty one) on a route that takes one means `{}`: `POST /pause` needs none.
        const body = spec.hasBody ? (request.body === undefined || request.body === '' ? {} : request.body) : undefined;
        if (spec.hasBody) {
          if (body === null) throw new HttpError(ErrorCode.InputInvalid, NULL_BODY_MESSAGE);
          // Depth and prototype keys before any schema or engine sees the body; the body object adds one level around the data.
          checkJsonInput(body, 'body', { outerLevels: 1 });
        }
        const invalid = validators.params?.(params) ?? validators.querystring?.(query) ?? (spec.hasBody ? validators.body?.(body) : undefined);
        if (invalid) throw invalid;
        const id = principalId(request.principal);
        const actor: RouteActor = { id: id ?? ANONYMOUS, ...(request.ip ? { address: request.ip } : {}) };
        const { resource, missing } = spec.resource ? await spec.resource(engine, params, query, (body ?? {}) as Record<string, unknown>) : { resource: {}, missing: undefined };
        const asked = spec.authorizeAs ?? spec.operation;
        if (!isPublic && authorize) {
          const allowed = await authorize(request.principal as WorkflowPrincipal, asked, resource);
          if (allowed !== true) {
            throw new HttpError(HttpErrorCode.Forbidden, forbiddenMessage(id!, asked), { operation: asked, resource: { ...resource } });
          }
        }
        if (missing) throw missing;
        return await spec.run({
          engine,
          params,
          query,
          body: (body ?? {}) as Record<string, unknown>,
          actor,
          ...(request.basePath !== undefined ? { basePath: request.basePath } : {}),
          openapi,
          healthTimeoutMs,
          readiness,
          deploy,
          ...(metrics ? { metrics } : {}),
          // Without a principal (a public route) nothing guarded is allowed.
          allowed: async (operation) => open || publicOps.has(operation) || (id !== undefined && (!authorize || (await authorize(request.principal as WorkflowPrincipal, operation, resource)) === true)),
        });
      } catch (error) {
        return errorResponse(error);
      }
    };

    return {
      method: spec.method,
      path: spec.path,
      operation: spec.operation,
      summary: spec.summary,
      schema: spec.schema,
      hasBody: spec.hasBody,
      errors: spec.errors,
      isPublic,
      authenticate,
      handle,
    };
  };

  const routes: readonly WorkflowRoute[] = Object.freeze(ROUTE_SPECS.map(bind));

  return {
    engine,
    routes,
    match(method, path) {
      const m = method.toUpperCase();
      for (const route of routes) {
        if (route.method !== m) continue;
        const params = matchPath(route.path, path);
        if (params) return { route, params };
      }
      return undefined;
    },
    openapi,
    errorResponse,
    validator: (part: HttpPart, schema: JsonSchema) => compileValidator(part, schema),
  };
}

/**
 * The workflow HTTP API, framework-agnostic: one route table (handlers of
 * `{ params, query, body, principal, ip }` → `{ status, body }`), its OpenAPI 3.1 document and
 * the error mapping. `@workflow-mastery/express`, `/fastify` and `/nestjs` mount it.
 *
 * ```ts
 * const api = createWorkflowApi({ engine, authorize: (p, op, res) => op.endsWith('.read') || isAdmin(p) });
 * for (const route of api.routes) {
 *   framework.on(route.method, route.path, async (req, res) => {
 *     const out = await route.handle({ params: req.params, query: req.query, body: req.body, principal: await principalOf(req), ip: req.ip });
 *     res.status(out.status).headers(out.headers ?? {}).send(out.body);
 *   });
 * }
 * ```
 * @packageDocumentation
 */
export type {
  AuthorizeHook,
  HttpMethod,
  HttpPart,
  HttpQuery,
  JsonSchema,
  PrincipalHook,
  ReadinessCheck,
  RouteSchema,
  WorkflowApi,
  WorkflowApiOptions,
  WorkflowHttpRequest,
  WorkflowHttpResponse,
  WorkflowMetricsSource,
  WorkflowOperation,
  WorkflowPrincipal,
  WorkflowResource,
  WorkflowRoute,
} from './http.types.js';
export { createWorkflowApi, principalId } from './workflow-api.js';
export { HttpError, HttpErrorCode, statusOf, toErrorResponse, type ErrorBody, type HttpErrorCodeValue } from './http-errors.js';
export { buildOpenApi, DEFAULT_SECURITY_SCHEMES, patternParameters, type OpenApiInfo, type OpenApiSecurityScheme } from './openapi.js';
export { PROMETHEUS_CONTENT_TYPE } from './metrics-text.js';
export { MERMAID_CONTENT_TYPE } from './route-table-diagrams.js';
export { runReadiness, storageCheck, STORAGE_CHECK, type ReadinessResult } from './readiness.js';
export {
  AUTH_REQUIRED_MESSAGE,
  ANONYMOUS,
  BAD_PATH_ENCODING_MESSAGE,
  contentEncodingMessage,
  isEncodedBody,
  MAX_PATH_PARAM_LENGTH,
  NULL_BODY_MESSAGE,
  pathParamTooLongMessage,
  routeNotFoundMessage,
} from './http.messages.js';
export { checkJsonInput, MAX_JSON_DEPTH } from '../engine/json-value.js';

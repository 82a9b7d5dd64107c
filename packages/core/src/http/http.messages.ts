/** User-facing messages of the HTTP layer, gathered so they stay consistent across adapters. */

/** Construction: neither `authorize` nor `auth: 'none'`. */
export const AUTH_REQUIRED_MESSAGE =
  "createWorkflowApi: pass an `authorize(principal, operation, resource)` hook to guard the workflow routes, " +
  "or `auth: 'none'` to deliberately leave them open to anyone.";

/** Construction: both `authorize` and `auth: 'none'`. */
export const AUTH_CONFLICT_MESSAGE =
  "createWorkflowApi: `auth: 'none'` opens every route, so it cannot be combined with `authorize`; pass one of them.";

/** Construction: no engine. */
export const ENGINE_REQUIRED_MESSAGE = 'createWorkflowApi: pass the WorkflowEngine the routes drive as `engine`.';

/** Construction: `deploy` is not `{ allowUnknownActions?: boolean }`. */
export const DEPLOY_OPTION_MESSAGE =
  'createWorkflowApi: `deploy` must be an object such as `{ allowUnknownActions: true }` (a boolean: store definitions whose actions only the workers register).';

/** 401. */
export const UNAUTHENTICATED_MESSAGE = 'Authentication required: no principal was found for this request.';

/** 403. */
export function forbiddenMessage(principalId: string, operation: string): string {
  return `Forbidden: "${principalId}" may not perform ${operation} here.`;
}

/** Principal id when routes are open (`auth: 'none'`) and the request carries none. */
export const ANONYMOUS = 'anonymous';

/** Construction: `metrics` without `metrics()` or `contentType`. */
export const METRICS_SOURCE_MESSAGE =
  'createWorkflowApi: `metrics` must have `metrics(): Promise<string>` and a `contentType` string, ' +
  'e.g. `createWorkflowMetrics({ engine })` from @workflow-mastery/observability or a prom-client Registry.';

/** Construction: a readiness check without a name or a `check()` function. */
export function readinessCheckMessage(index: number): string {
  return `createWorkflowApi: readiness[${index}] must be \`{ name: string, check(): Promise<void> }\` (e.g. \`{ name: 'redis', check: async () => { await redis.ping(); } }\`).`;
}

/** An unknown path under the API's mount (adapters answer it as JSON, WF_ROUTE_NOT_FOUND). */
export function routeNotFoundMessage(method: string, path: string, base: string): string {
  return `No route ${method} ${path}; the API's routes are listed at ${base}/openapi.json.`;
}

/** Longest id or name accepted in a path segment (a longer one is 400 `WF_BAD_REQUEST`). */
export const MAX_PATH_PARAM_LENGTH = 256;

/** 400: a path parameter longer than {@link MAX_PATH_PARAM_LENGTH}. */
export function pathParamTooLongMessage(name: string, length: number): string {
  return `The ${name} in the path is ${length} characters long; ids and names may have at most ${MAX_PATH_PARAM_LENGTH} characters.`;
}

/** 400: `null` sent as the body. */
export const NULL_BODY_MESSAGE = 'The body must be a JSON object (got null); send {} or no body at all.';

/** 400: the path has a `%` sequence that is not valid percent-encoded UTF-8 (adapters answer it `WF_BAD_REQUEST`). */
export const BAD_PATH_ENCODING_MESSAGE = 'The request path is not valid percent-encoding (each % must start a UTF-8 byte such as %20); encode the path with encodeURIComponent.';

/** 415: a body sent with a `content-encoding` other than identity (adapters refuse it before reading). */
export function contentEncodingMessage(encoding: string): string {
  return `content-encoding ${encoding} is not supported; send the JSON body uncompressed.`;
}

/** Whether a `content-encoding` header asks for decoding (anything but absent, empty or `identity`). */
export function isEncodedBody(encoding: string | string[] | undefined): encoding is string | string[] {
  if (encoding === undefined) return false;
  const value = (Array.isArray(encoding) ? encoding.join(',') : encoding).trim().toLowerCase();
  return value !== '' && value !== 'identity';
}

/**
 * Path parameters longer than Fastify's `maxParamLength` (100 by default, a server option a
 * plugin cannot change): a catch-all route per parametric prefix (`/instances/*`) receives them,
 * so an unknown id of up to 256 characters is a 404 as on every adapter, not Fastify's 414.
 */
import { HttpError, HttpErrorCode, MAX_PATH_PARAM_LENGTH, pathParamTooLongMessage, type WorkflowApi, type WorkflowRoute } from '@workflow-mastery/core/http';

/** The catch-all urls: the static part of each parametric path up to its first `:param`, plus `*`. */
export function fallbackUrls(routes: readonly WorkflowRoute[]): string[] {
  const urls = new Set<string>();
  for (const route of routes) {
    const at = route.path.indexOf('/:');
    if (at >= 0) urls.add(`${route.path.slice(0, at)}/*`);
  }
  return [...urls];
}

/** The route and params a catch-all route received, matched as the route table would. */
export function matchFallback(api: WorkflowApi, method: string, url: string, prefix: string): { route: WorkflowRoute; params: Record<string, string> } | undefined {
  const path = url.split('?')[0]!;
  const relative = prefix !== '' && path.startsWith(prefix) ? path.slice(prefix.length) : path;
  return api.match(method, relative);
}

/** The 400 for a parameter over core's `MAX_PATH_PARAM_LENGTH`, if any. */
export function longParamProblem(params: Record<string, string> | undefined): HttpError | undefined {
  for (const [name, value] of Object.entries(params ?? {})) {
    if (typeof value === 'string' && value.length > MAX_PATH_PARAM_LENGTH) return new HttpError(HttpErrorCode.BadRequest, pathParamTooLongMessage(name, value.length), { param: name, limit: MAX_PATH_PARAM_LENGTH });
  }
  return undefined;
}

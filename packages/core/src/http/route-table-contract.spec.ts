/**
 * The HTTP contract run against the route table itself, with no framework: a client that matches
 * routes with `api.match` and calls `route.handle`. Adapters run the same suite over real HTTP.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { runHttpContract } from '../testing/http-contract.js';
import { HttpError, HttpErrorCode } from './http-errors.js';
import { createWorkflowApi } from './workflow-api.js';

runHttpContract('route table (direct)', (options) => {
  const { principal, ...apiOptions } = options;
  const api = createWorkflowApi(apiOptions);
  return {
    async request(method, path, { body, rawBody, headers = {} } = {}) {
      const [pathname, search = ''] = path.split('?');
      const matched = api.match(method, pathname!);
      if (!matched) return { status: 404, body: { error: { code: HttpErrorCode.RouteNotFound, message: 'no route' } }, headers: { 'content-type': 'application/json' } };
      let parsed: unknown = body;
      const type = headers['content-type'] ?? 'application/json';
      if (rawBody !== undefined && matched.route.hasBody && !/^application\/(.+\+)?json\b/.test(type)) {
        return { ...api.errorResponse(new HttpError(HttpErrorCode.UnsupportedMediaType, `Unsupported content type ${type}`)), headers: { 'content-type': 'application/json' } };
      }
      if (rawBody !== undefined) {
        try {
          parsed = JSON.parse(String(rawBody));
        } catch (error) {
          const out = api.errorResponse(new HttpError(HttpErrorCode.BadJson, 'Bad JSON', undefined, { cause: error }));
          return { ...out, headers: { 'content-type': 'application/json' } };
        }
      }
      // A repeated parameter is an array, as the frameworks parse it.
      const query: Record<string, string | string[]> = {};
      for (const [key, value] of new URLSearchParams(search)) {
        const seen = query[key];
        query[key] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
      }
      const out = await matched.route.handle({
        params: matched.params,
        query,
        body: parsed === undefined ? undefined : JSON.parse(JSON.stringify(parsed)),
        principal: principal({ headers: headers as IncomingHttpHeaders }),
        ip: '127.0.0.1',
      });
      return { status: out.status, body: out.body, headers: { 'content-type': 'application/json', ...out.headers } };
    },
    async close() {},
  };
});

/**
 * `createWorkflowRouter()`: the core route table mounted on an Express 5 `Router`, with its own JSON
 * body parsing and error handler, so every failure is the API's JSON error.
 */
import express, { type ErrorRequestHandler, type Request, type RequestHandler, type Response, type Router } from 'express';
import {
  BAD_PATH_ENCODING_MESSAGE,
  contentEncodingMessage,
  createWorkflowApi,
  HttpError,
  HttpErrorCode,
  isEncodedBody,
  routeNotFoundMessage,
  type PrincipalHook,
  type WorkflowApi, type WorkflowApiOptions, type WorkflowHttpResponse, type WorkflowRoute } from '@workflow-mastery/core/http';
import { BAD_JSON_MESSAGE, payloadTooLargeMessage, unsupportedMediaTypeMessage } from './express.messages.js';

/** Content types parsed as JSON. */
const JSON_TYPES = ['application/json', '+json'];

/** Options of {@link createWorkflowRouter}. */
export interface WorkflowRouterOptions extends WorkflowApiOptions {
  /**
   * The principal of a request (from your session, JWT, API key...); `undefined` means
   * unauthenticated (401 unless `auth: 'none'`).
   */
  principal?: PrincipalHook<Request>;
  /** Largest JSON body accepted (413 above). @defaultValue `'1mb'` */
  bodyLimit?: string | number;
}

/** The router and the API it mounts (its routes, OpenAPI document). */
export type WorkflowRouter = Router & { readonly workflowApi: WorkflowApi };

function send(res: Response, out: WorkflowHttpResponse): void {
  res.status(out.status);
  if (out.headers) res.set(out.headers);
  if (typeof out.body === 'string' && out.headers?.['content-type']) res.send(out.body);
  else res.json(out.body);
}

/** Router and body-parser errors, as the API's errors. */
function fromExpress(error: unknown, limit: string | number): unknown {
  // The router could not decode a path parameter (`/instances/%E0%A4%A`): it sets status 400.
  if (error instanceof URIError) return new HttpError(HttpErrorCode.BadRequest, BAD_PATH_ENCODING_MESSAGE, undefined, { cause: error });
  const type = (error as { type?: unknown } | null)?.type;
  if (type === 'entity.parse.failed') return new HttpError(HttpErrorCode.BadJson, BAD_JSON_MESSAGE, undefined, { cause: error });
  if (type === 'entity.too.large') return new HttpError(HttpErrorCode.PayloadTooLarge, payloadTooLargeMessage(limit), undefined, { cause: error });
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
    return new HttpError(HttpErrorCode.UnsupportedMediaType, (error as Error).message, undefined, { cause: error });
  }
  const status = (error as { status?: unknown } | null)?.status;
  if (typeof type === 'string' && typeof status === 'number' && status >= 400 && status < 500) {
    return new HttpError(HttpErrorCode.BadRequest, (error as Error).message, undefined, { cause: error });
  }
  return error;
}

/**
 * An Express 5 router serving the workflow HTTP API (every route of the core table, its
 * `/openapi.json`, JSON errors). Mount it anywhere: `app.use('/workflow', createWorkflowRouter({ engine, authorize, principal }))`.
 *
 * The router parses JSON bodies itself (only on its POST and PATCH routes, with `bodyLimit`); a body that is
 * not JSON is a 400 `WF_BAD_JSON`, a body of another content type a 415. Unknown paths fall through
 * to the rest of the app (`next()`). The router does not close the engine: see `closeEngineWithServer`.
 *
 * @throws Error when neither `authorize` nor `auth: 'none'` is given.
 */
export function createWorkflowRouter(options: WorkflowRouterOptions): WorkflowRouter {
  const { principal, bodyLimit = '1mb', ...apiOptions } = options;
  const api = createWorkflowApi(apiOptions);
  const router = express.Router() as WorkflowRouter;
  Object.defineProperty(router, 'workflowApi', { value: api, enumerable: false });
  const parseJson = express.json({ limit: bodyLimit, strict: false, type: JSON_TYPES });

  const requireJson: RequestHandler = (req, _res, next) => {
    // Compressed bodies are refused unread: inflating them is a cost (and a bomb) the API does not take on.
    const encoding = req.headers['content-encoding'];
    if (isEncodedBody(encoding)) {
      next(new HttpError(HttpErrorCode.UnsupportedMediaType, contentEncodingMessage(String(encoding))));
      return;
    }
    // An empty body (`content-length: 0`, as fetch sends on a bare POST) is no body: `{}`.
    const length = req.get('content-length');
    const empty = length === '0' || (length === undefined && req.get('transfer-encoding') === undefined);
    if (!empty && !req.is(JSON_TYPES)) next(new HttpError(HttpErrorCode.UnsupportedMediaType, unsupportedMediaTypeMessage(req.get('content-type'))));
    else next();
  };

  // The principal is established once, before the body is read: without one, a protected route is a 401 whatever the body.
  const established = new WeakMap<Request, { principal: Awaited<ReturnType<PrincipalHook<Request>>> }>();
  const principalOf = async (req: Request) => {
    let known = established.get(req);
    if (!known) {
      known = { principal: principal ? await principal(req) : undefined };
      established.set(req, known);
    }
    return known.principal;
  };
  const authenticateFirst = (route: WorkflowRoute): RequestHandler => async (req, res, next) => {
    const denied = route.authenticate(await principalOf(req));
    if (denied) send(res, denied);
    else next();
  };

  const handler = (route: WorkflowRoute): RequestHandler => async (req, res) => {
    const out = await route.handle({
      params: req.params as Record<string, string>,
      query: req.query as Record<string, string | string[] | undefined>,
      body: req.body,
      principal: await principalOf(req),
      ...(req.ip !== undefined ? { ip: req.ip } : {}),
      basePath: req.baseUrl,
    });
    send(res, out);
  };

  for (const route of api.routes) {
    const method = ({ GET: 'get', POST: 'post', PATCH: 'patch' } as const)[route.method];
    if (route.hasBody) router[method](route.path, authenticateFirst(route), requireJson, parseJson, handler(route));
    else router[method](route.path, handler(route));
  }

  // An unknown path in the API's own namespace (`/instances/...`, `/tasks/...`: the first segments
  // of its routes) is a JSON 404 naming the OpenAPI document; any other path falls through, so
  // other routers mounted on the same path (`app.use('/api', usersRouter)`) still answer.
  const ownSegments = new Set(api.routes.map((route) => route.path.split('/')[1]!));
  router.use((req, res, next) => {
    if (req.baseUrl === '' || !ownSegments.has(req.path.split('/')[1] ?? '')) return next();
    send(res, api.errorResponse(new HttpError(HttpErrorCode.RouteNotFound, routeNotFoundMessage(req.method, `${req.baseUrl}${req.path}`, req.baseUrl))));
  });

  // Express 5 forwards rejected handlers here too (a throwing `principal` hook).
  const onError: ErrorRequestHandler = (error, _req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    send(res, api.errorResponse(fromExpress(error, bodyLimit)));
  };
  router.use(onError);
  return router;
}

/**
 * The `fastifyWorkflow` plugin: decorates `fastify.workflow` and serves the core route table, each
 * route registered with its JSON schemas (validated by Fastify with the route table's own ajv
 * settings), errors answered as the API's JSON errors.
 */
import { ErrorCode, WorkflowEngine, WorkflowError, type WorkflowEngineOptions } from '@workflow-mastery/core';
import {
  createWorkflowApi,
  HttpError,
  HttpErrorCode,
  NULL_BODY_MESSAGE,
  routeNotFoundMessage,
  type HttpPart,
  type WorkflowApi,
  type PrincipalHook,
  type WorkflowApiOptions,
  type WorkflowPrincipal,
  type WorkflowHttpResponse,
  type WorkflowRoute,
} from '@workflow-mastery/core/http';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import './fastify-augmentation.js';
import { registerDashboard, type FastifyDashboardOptions } from './fastify-dashboard.js';
import { bodyProblem, contentEncodingProblem } from './fastify-body-check.js';
import { fromFastifyError } from './fastify-errors.js';
import { fallbackUrls, longParamProblem, matchFallback } from './fastify-params.js';
import { fastifySchemas } from './fastify-route-schema.js';
import { ALREADY_REGISTERED_MESSAGE, BAD_JSON_MESSAGE, ENGINE_OPTION_MESSAGE } from './fastify.messages.js';

/** Options of {@link fastifyWorkflow}. */
export interface FastifyWorkflowOptions extends Omit<WorkflowApiOptions, 'engine'> {
  /** An engine you own: the plugin never closes it. */
  engine?: WorkflowEngine;
  /** Options of an engine the plugin creates (and closes in `onClose`). */
  engineOptions?: WorkflowEngineOptions;
  /**
   * The principal of a request; `undefined` means unauthenticated (401 unless `auth: 'none'`).
   * Called in the route's `onRequest` hook, before the body is read: what app-level `onRequest`
   * hooks set is there, what `preValidation`/`preHandler` hooks set is not (verify here instead;
   * it may be async).
   */
  principal?: PrincipalHook<FastifyRequest>;
  /**
   * Path the routes are served under (`/workflow`). Read by the plugin itself, since Fastify
   * ignores `register`'s `prefix` for `fastify-plugin` plugins. @defaultValue `''`
   */
  prefix?: string;
  /** Largest JSON body accepted, in bytes (413 above). @defaultValue Fastify's `bodyLimit` (1 MiB) */
  bodyLimit?: number;
  /**
   * Serve the web dashboard at `dashboard.path` (`{ path: '/dashboard' }`), calling this API.
   * @defaultValue not served
   */
  dashboard?: FastifyDashboardOptions;
}

const JSON_SUBTYPE = /^application\/[^;\s]+\+json\b/;

function send(reply: FastifyReply, out: WorkflowHttpResponse): FastifyReply {
  reply.code(out.status);
  if (out.headers) reply.headers(out.headers);
  return reply.send(out.body);
}

const plugin: FastifyPluginAsync<FastifyWorkflowOptions> = async (fastify, options) => {
  if (fastify.hasDecorator('workflow')) throw new WorkflowError(ErrorCode.InputInvalid, ALREADY_REGISTERED_MESSAGE);
  const { engine: given, engineOptions, principal, prefix = '', bodyLimit, dashboard, ...apiOptions } = options;
  if ((given === undefined) === (engineOptions === undefined)) throw new WorkflowError(ErrorCode.InputInvalid, ENGINE_OPTION_MESSAGE);
  // Before the engine exists: a malformed dashboard path throws without leaving an engine open.
  if (dashboard) registerDashboard(fastify, dashboard, prefix);
  // An engine the plugin builds logs where the app does, unless its options name a logger.
  const owned = given === undefined ? new WorkflowEngine({ ...engineOptions, logger: engineOptions?.logger ?? fastify.log }) : undefined;
  const active = owned ?? given!;
  let workflowApi: WorkflowApi;
  try {
    workflowApi = createWorkflowApi({ ...apiOptions, engine: active });
  } catch (error) {
    // A missing `authorize`: do not leave the engine we just created open.
    await owned?.close();
    throw error;
  }

  fastify.decorate('workflow', active);
  if (owned) {
    fastify.addHook('onClose', async () => {
      await owned.close();
    });
    await owned.ready;
  }

  const limit = bodyLimit ?? fastify.initialConfig.bodyLimit ?? 1_048_576;
  const principals = new WeakMap<FastifyRequest, WorkflowPrincipal | null | undefined>();
  const fallbackMatches = new WeakMap<FastifyRequest, { route: WorkflowRoute; params: Record<string, string> }>();
  const schemas = fastifySchemas(workflowApi);
  const answer = (reply: FastifyReply, error: unknown): FastifyReply => send(reply, workflowApi.errorResponse(error));

  /**
   * Before the body is read (`onRequest`), in the route table's order: the principal is
   * established (401 without one, so a malformed or huge body without a principal is a 401), an
   * over-long id is refused, a compressed body is refused unread.
   */
  const admit = async (request: FastifyRequest, reply: FastifyReply, route: WorkflowRoute, params: Record<string, string>): Promise<FastifyReply | undefined> => {
    const who = principal ? await principal(request) : undefined;
    principals.set(request, who);
    const denied = route.authenticate(who);
    if (denied) return send(reply, denied);
    const long = longParamProblem(params);
    if (long) return answer(reply, long);
    const encoded = route.hasBody ? contentEncodingProblem(request.headers) : undefined;
    if (encoded) return answer(reply, encoded);
    return undefined;
  };

  const run = async (request: FastifyRequest, reply: FastifyReply, route: WorkflowRoute, params: Record<string, string>): Promise<FastifyReply> => {
    const out = await route.handle({
      params,
      query: request.query as Record<string, string | string[] | undefined>,
      body: request.body,
      principal: principals.get(request),
      ip: request.ip,
      basePath: prefix,
    });
    return send(reply, out);
  };

  // The routes live in their own encapsulated context: the JSON parser, validator compiler and
  // error handler set here do not leak into the rest of the app.
  await fastify.register(
    async (scope: FastifyInstance) => {
      scope.removeAllContentTypeParsers();
      const parseJson = (_req: FastifyRequest, body: string, done: (err: Error | null, body?: unknown) => void) => {
        if (body === '') {
          done(null, undefined);
          return;
        }
        let value: unknown;
        try {
          // Plain JSON.parse: a `__proto__` key is an own property here, refused by bodyProblem
          // with a message that says so (Fastify's own parser calls such a body invalid JSON).
          value = JSON.parse(body);
        } catch (error) {
          done(new HttpError(HttpErrorCode.BadJson, BAD_JSON_MESSAGE, undefined, { cause: error }));
          return;
        }
        // `null` is refused as in the route table (the validator cannot tell it from no body).
        const problem = value === null ? new HttpError(ErrorCode.InputInvalid, NULL_BODY_MESSAGE) : bodyProblem(value);
        if (problem) done(problem);
        else done(null, value);
      };
      scope.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: limit }, parseJson);
      scope.addContentTypeParser(JSON_SUBTYPE, { parseAs: 'string', bodyLimit: limit }, parseJson);

      scope.setValidatorCompiler(({ schema, httpPart }) => {
        const validate = workflowApi.validator((httpPart ?? 'body') as HttpPart, schema as Record<string, unknown>);
        if (httpPart === 'body') {
          // No body on a route that takes one means `{}`, as in the route table (Fastify hands
          // `null` for no body; a JSON `null` body was refused by the parser).
          return (data: unknown) => {
            const value = data === undefined || data === null ? {} : data;
            const error = validate(value);
            return error ? { error } : { value };
          };
        }
        return (data: unknown) => {
          const error = validate(data);
          return error ? { error } : { value: data };
        };
      });

      const notFound = (request: FastifyRequest, reply: FastifyReply): FastifyReply =>
        answer(reply, new HttpError(HttpErrorCode.RouteNotFound, routeNotFoundMessage(request.method, request.url.split('?')[0]!, prefix)));
      // Under a prefix, an unknown path is a JSON 404 too (at the root, the app's own handler stays).
      const ownsNotFound = prefix !== '' && prefix !== '/';
      if (ownsNotFound) scope.setNotFoundHandler(notFound);

      scope.setErrorHandler((error, request, reply) => answer(reply, fromFastifyError(error, request.headers['content-type'], limit)));

      for (const route of workflowApi.routes) {
        scope.route({
          method: route.method,
          url: route.path,
          schema: schemas.get(route)!,
          onRequest: (request, reply) => admit(request, reply, route, request.params as Record<string, string>),
          handler: (request, reply) => run(request, reply, route, request.params as Record<string, string>),
        });
      }

      // Ids longer than the server's maxParamLength land here (see fastify-params.ts). Without
      // schemas: the route table's handle validates params, query and body itself.
      for (const url of fallbackUrls(workflowApi.routes)) {
        scope.route({
          method: ['GET', 'POST', 'PATCH'],
          url,
          // Not an operation of its own: hidden from @fastify/swagger.
          schema: { hide: true } as Record<string, unknown>,
          onRequest: async (request, reply) => {
            const match = matchFallback(workflowApi, request.method, request.url, prefix);
            if (!match) return undefined;
            fallbackMatches.set(request, match);
            return admit(request, reply, match.route, match.params);
          },
          handler: async (request, reply) => {
            const match = fallbackMatches.get(request);
            if (match) return run(request, reply, match.route, match.params);
            return ownsNotFound ? notFound(request, reply) : reply.callNotFound();
          },
        });
      }
    },
    { prefix },
  );
};

/**
 * Fastify 5 plugin serving the workflow HTTP API and decorating `fastify.workflow`.
 *
 * ```ts
 * await app.register(fastifyWorkflow, { engineOptions: { storage }, prefix: '/workflow', principal: (req) => req.user?.id, authorize });
 * app.workflow.registerDefinition(orderProcessing);
 * ```
 *
 * Registering it twice on one instance is refused. With `engineOptions` the plugin creates the
 * engine (logging to `fastify.log`, waiting for it to be ready) and closes it in `onClose`; an
 * `engine` you pass is never closed by the plugin. Pass `frameworkErrors: workflowFrameworkErrors({ prefix })`
 * to `Fastify()` so that paths with bad percent-encoding get the API's 400 too.
 */
export const fastifyWorkflow = fp(plugin, { fastify: '5.x', name: '@workflow-mastery/fastify' });

/**
 * Fastify's router-level errors (a path that is not valid percent-encoding, a parameter over the
 * server's `maxParamLength`) as the API's JSON errors. They happen before any plugin runs, so
 * only the server's `frameworkErrors` option can answer them.
 */
import { BAD_PATH_ENCODING_MESSAGE, MAX_PATH_PARAM_LENGTH, toErrorResponse, HttpError, HttpErrorCode } from '@workflow-mastery/core/http';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { longSegmentMessage } from './fastify.messages.js';

/** Options of {@link workflowFrameworkErrors}. */
export interface WorkflowFrameworkErrorsOptions {
  /**
   * Answer in the API's format only under this path (the plugin's `prefix`); other paths get
   * Fastify's own answer. @defaultValue `''`: every path
   */
  prefix?: string;
}

/** What Fastify answers without a `frameworkErrors` option. */
function fastifyDefault(error: FastifyError, reply: FastifyReply): FastifyReply {
  const status = error.statusCode ?? 500;
  return reply.code(status).type('application/json').send({ error: status >= 500 ? 'Internal Server Error' : 'Bad Request', code: error.code, message: error.message, statusCode: status });
}

/**
 * A `frameworkErrors` handler for `Fastify({ frameworkErrors })`: bad percent-encoding in the path
 * (and a parameter over `maxParamLength`) answer 400 `WF_BAD_REQUEST` in the API's
 * `{ error: { code, message } }` format.
 *
 * ```ts
 * const app = Fastify({ frameworkErrors: workflowFrameworkErrors({ prefix: '/api/workflow' }) });
 * await app.register(fastifyWorkflow, { engine, prefix: '/api/workflow', principal, authorize });
 * ```
 */
export function workflowFrameworkErrors(options: WorkflowFrameworkErrorsOptions = {}) {
  const prefix = (options.prefix ?? '').replace(/\/+$/, '');
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply => {
    const path = request.raw.url?.split('?')[0] ?? '/';
    if (prefix !== '' && path !== prefix && !path.startsWith(`${prefix}/`)) return fastifyDefault(error, reply);
    let mapped: unknown = error;
    if (error.code === 'FST_ERR_BAD_URL') mapped = new HttpError(HttpErrorCode.BadRequest, BAD_PATH_ENCODING_MESSAGE, { path: path.length > 200 ? `${path.slice(0, 200)}…` : path }, { cause: error });
    else if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') mapped = new HttpError(HttpErrorCode.BadRequest, longSegmentMessage(MAX_PATH_PARAM_LENGTH), undefined, { cause: error });
    const out = toErrorResponse(mapped, request.log);
    return reply.code(out.status).type('application/json').send(out.body);
  };
}

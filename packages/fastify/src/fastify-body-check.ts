/**
 * Checks of a request before its body reaches the route table: prototype keys and nesting in a
 * parsed JSON body, a compressed body. The rules and messages are core's (`checkJsonInput`,
 * applied again by the route table's `handle`): they run here first because Fastify validates the
 * body with the route schema before the handler, and an unknown `__proto__` key must be named as
 * such, not as an "additional property".
 */
import { ErrorCode, isWorkflowError, type WorkflowError } from '@workflow-mastery/core';
import { checkJsonInput, contentEncodingMessage, HttpError, isEncodedBody } from '@workflow-mastery/core/http';

/**
 * The 400 to answer for `body`, if any: a `__proto__` key, a `constructor` key holding a
 * `prototype`, or data nested deeper than core's `MAX_JSON_DEPTH` (the body object around the
 * data is one more level).
 */
export function bodyProblem(body: unknown): WorkflowError | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  try {
    checkJsonInput(body, 'body', { outerLevels: 1 });
    return undefined;
  } catch (error) {
    if (isWorkflowError(error)) return error;
    throw error;
  }
}

/** The 415 for a body sent with a `content-encoding` other than `identity` (such a body is never read). */
export function contentEncodingProblem(headers: Record<string, string | string[] | undefined>): HttpError | undefined {
  const raw = headers['content-encoding'];
  if (!isEncodedBody(raw)) return undefined;
  const hasBody = headers['transfer-encoding'] !== undefined || (headers['content-length'] !== undefined && headers['content-length'] !== '0');
  if (!hasBody) return undefined;
  const encoding = (Array.isArray(raw) ? raw.join(', ') : raw).trim().toLowerCase();
  return new HttpError(ErrorCode.UnsupportedMediaType, contentEncodingMessage(encoding));
}

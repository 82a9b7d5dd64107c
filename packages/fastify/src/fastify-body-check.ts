/**
 * Checks of a parsed JSON body before it reaches the route table: prototype keys and nesting,
 * with the decisions every adapter shares (400 `WF_INPUT_INVALID`, message naming the path).
 */
import { ErrorCode } from '@workflow-mastery/core';
import { HttpError } from '@workflow-mastery/core/http';
import { contentEncodingMessage, nestingMessage, prototypeKeyMessage } from './fastify.messages.js';

/** Levels of objects and arrays allowed in data, payloads and definitions. */
export const MAX_JSON_DEPTH = 64;

/**
 * The 400 to answer for `body`, if any: a `__proto__` key, a `constructor` key holding a
 * `prototype`, or nesting deeper than {@link MAX_JSON_DEPTH} below the body's own object (the
 * data a route hands the engine sits one level down). Iterative, so any depth is safe to walk.
 */
export function bodyProblem(body: unknown): HttpError | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const pending: Array<{ value: object; path: string; depth: number }> = [{ value: body, path: 'body', depth: 1 }];
  while (pending.length > 0) {
    const { value, path, depth } = pending.pop()!;
    if (depth > MAX_JSON_DEPTH + 1) return new HttpError(ErrorCode.InputInvalid, nestingMessage(path.split(/[.[]/).slice(0, 2).join('.'), MAX_JSON_DEPTH));
    const array = Array.isArray(value);
    for (const key of Object.keys(value)) {
      const child = (value as Record<string, unknown>)[key];
      if (key === '__proto__') return new HttpError(ErrorCode.InputInvalid, prototypeKeyMessage('__proto__', path));
      if (key === 'constructor' && typeof child === 'object' && child !== null && Object.hasOwn(child, 'prototype')) {
        return new HttpError(ErrorCode.InputInvalid, prototypeKeyMessage('constructor.prototype', path));
      }
      if (typeof child === 'object' && child !== null) pending.push({ value: child, path: array ? `${path}[${key}]` : `${path}.${key}`, depth: depth + 1 });
    }
  }
  return undefined;
}

/** The 415 for a body sent with a `content-encoding` other than `identity` (such a body is never read). */
export function contentEncodingProblem(headers: Record<string, string | string[] | undefined>): HttpError | undefined {
  const raw = headers['content-encoding'];
  const encoding = (Array.isArray(raw) ? raw.join(', ') : (raw ?? '')).trim().toLowerCase();
  if (encoding === '' || encoding === 'identity') return undefined;
  const hasBody = headers['transfer-encoding'] !== undefined || (headers['content-length'] !== undefined && headers['content-length'] !== '0');
  if (!hasBody) return undefined;
  return new HttpError(ErrorCode.UnsupportedMediaType, contentEncodingMessage(encoding));
}

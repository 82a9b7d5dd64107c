/**
 * Checks of a request before its body reaches the route table: prototype keys and nesting in a
 * parsed JSON body, a compressed body. The rules and messages are core's (`checkJsonInput` in
 * `engine/json-value.ts`, applied again by the route table's `handle`): they run here first
 * because Fastify validates the body with the route schema before the handler, and an unknown
 * `__proto__` key must be named as such, not as an "additional property".
 */
import { ErrorCode } from '@workflow-mastery/core';
import { HttpError } from '@workflow-mastery/core/http';
import { contentEncodingMessage, nestingMessage, prototypeKeyMessage } from './fastify.messages.js';

/** Levels of objects and arrays allowed in data, payloads and definitions (core's `MAX_JSON_DEPTH`). */
export const MAX_JSON_DEPTH = 64;

/** A path 5,000 levels deep is no use in a message: keep its start and end. */
function shortPath(path: string): string {
  return path.length <= 200 ? path : `${path.slice(0, 120)}…${path.slice(-60)}`;
}

/**
 * The 400 to answer for `body`, if any: a `__proto__` key, a `constructor` key holding a
 * `prototype`, or nesting deeper than {@link MAX_JSON_DEPTH} levels of data (the body object
 * around the data is one more). Iterative, so any depth is safe to walk.
 */
export function bodyProblem(body: unknown): HttpError | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const deepest = MAX_JSON_DEPTH + 1;
  const pending: Array<{ value: object; path: string; depth: number }> = [{ value: body, path: 'body', depth: 1 }];
  while (pending.length > 0) {
    const { value, path, depth } = pending.pop()!;
    if (depth > deepest) return new HttpError(ErrorCode.InputInvalid, nestingMessage(shortPath(path), MAX_JSON_DEPTH), { path: shortPath(path), limit: MAX_JSON_DEPTH });
    for (const key of Object.keys(value)) {
      const child = (value as Record<string, unknown>)[key];
      const at = `${path}.${key}`;
      if (key === '__proto__') return new HttpError(ErrorCode.InputInvalid, prototypeKeyMessage('__proto__', shortPath(at)), { path: shortPath(at), key });
      if (key === 'constructor' && !Array.isArray(value) && typeof child === 'object' && child !== null && Object.hasOwn(child, 'prototype')) {
        return new HttpError(ErrorCode.InputInvalid, prototypeKeyMessage('constructor.prototype', shortPath(at)), { path: shortPath(at), key: 'constructor.prototype' });
      }
      if (typeof child === 'object' && child !== null) pending.push({ value: child, path: at, depth: depth + 1 });
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

/**
 * Validation of params, query and body against a route's JSON Schemas, with ajv, so every adapter
 * refuses the same requests with the same 400.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { ErrorCode } from '../errors.js';
import { HttpError } from './http-errors.js';
import type { HttpPart, JsonSchema } from './http.types.js';

/** Query strings and params arrive as strings: coerce them (`limit=10` is a number). Bodies are never coerced. */
const coercing = new Ajv({ allErrors: true, strict: false, coerceTypes: true, useDefaults: true });
const exact = new Ajv({ allErrors: true, strict: false, useDefaults: true });
const cache = new WeakMap<JsonSchema, ValidateFunction>();

/** One schema violation. */
export interface RequestIssue {
  /** `body.data`, `querystring.limit`, `params.id`. */
  path: string;
  message: string;
}

/**
 * A validator of one part of a request: returns the {@link HttpError} (`WF_INPUT_INVALID`, 400)
 * listing every violation, or `undefined`. Query strings and params are coerced in place.
 */
export function compileValidator(part: HttpPart, schema: JsonSchema): (value: unknown) => HttpError | undefined {
  let validate = cache.get(schema);
  if (!validate) {
    validate = (part === 'body' ? exact : coercing).compile(schema);
    cache.set(schema, validate);
  }
  const fn = validate;
  return (value) => (fn(value) ? undefined : requestError(part, fn.errors ?? []));
}

/** The 400 for ajv `errors` on `part`. */
export function requestError(part: HttpPart, errors: readonly ErrorObject[]): HttpError {
  const issues = errors.map((e) => toIssue(part, e));
  const unique = issues.filter((i, n) => issues.findIndex((j) => j.path === i.path && j.message === i.message) === n);
  return new HttpError(
    ErrorCode.InputInvalid,
    `Invalid request ${part}: ${unique.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
    { issues: unique },
  );
}

function toIssue(part: HttpPart, e: ErrorObject): RequestIssue {
  const path = part + e.instancePath.replace(/\//g, '.');
  if (e.keyword === 'additionalProperties') {
    return { path, message: `unknown property "${String((e.params as { additionalProperty: string }).additionalProperty)}"` };
  }
  if (e.keyword === 'required') {
    return { path: `${path}.${String((e.params as { missingProperty: string }).missingProperty)}`, message: 'is required' };
  }
  if (e.keyword === 'enum') {
    return { path, message: `must be one of ${((e.params as { allowedValues: unknown[] }).allowedValues).map((v) => JSON.stringify(v)).join(', ')}` };
  }
  return { path, message: e.message ?? 'is invalid' };
}

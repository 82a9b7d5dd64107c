/**
 * Validation of params, query and body against a route's JSON Schemas, with ajv, so every adapter
 * refuses the same requests with the same 400.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { ErrorCode } from '../errors.js';
import { HttpError } from './http-errors.js';
import type { HttpPart, JsonSchema } from './http.types.js';
import { ATTRIBUTE_QUERY_PATTERN } from './route-schemas.js';

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
  const attributes = part === 'querystring' && typeof schema.patternProperties === 'object' && schema.patternProperties !== null && ATTRIBUTE_QUERY_PATTERN in schema.patternProperties;
  return (value) => (fn(value) ? undefined : requestError(part, fn.errors ?? [], attributes));
}

/** The 400 for ajv `errors` on `part` (`attributes`: the query takes `attr.<name>` filters). */
export function requestError(part: HttpPart, errors: readonly ErrorObject[], attributes = false): HttpError {
  const issues = errors.map((e) => toIssue(part, e, attributes));
  const unique = issues.filter((i, n) => issues.findIndex((j) => j.path === i.path && j.message === i.message) === n);
  return new HttpError(
    ErrorCode.InputInvalid,
    `Invalid request ${part}: ${unique.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
    { issues: unique },
  );
}

function toIssue(part: HttpPart, e: ErrorObject, attributes: boolean): RequestIssue {
  const path = part + e.instancePath.replace(/\//g, '.');
  if (e.keyword === 'additionalProperties') {
    const property = String((e.params as { additionalProperty: string }).additionalProperty);
    // `attr.<name>` filters are open-ended: say what a name may be rather than only "unknown".
    if (attributes && e.instancePath === '' && property.startsWith('attr.')) {
      return { path: `${path}.${property}`, message: `search attribute name "${property.slice(5)}" must start with a letter and contain only letters, digits and "_" (at most 63)` };
    }
    return { path, message: `unknown property "${property}"` };
  }
  if (e.keyword === 'required') {
    return { path: `${path}.${String((e.params as { missingProperty: string }).missingProperty)}`, message: 'is required' };
  }
  if (e.keyword === 'enum') {
    return { path, message: `must be one of ${((e.params as { allowedValues: unknown[] }).allowedValues).map((v) => JSON.stringify(v)).join(', ')}` };
  }
  return { path, message: e.message ?? 'is invalid' };
}

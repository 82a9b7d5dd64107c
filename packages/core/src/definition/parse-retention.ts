/**
 * The definition keys about running for years: `retention` (how long a finished instance is kept)
 * and `search_attributes` (values of the data indexed for `listInstances({ attributes })`).
 */
import { durationMessage, parseDurationOrUndefined } from '../duration.js';
import type { SearchAttribute } from './definition.types.js';
import { isPlainObject, type IssueList } from './parse-util.js';

/** Most search attributes one definition may declare: each is an index entry per instance. */
export const MAX_SEARCH_ATTRIBUTES = 8;
/** Longest text of a search attribute value that is indexed; longer values are not indexed. */
export const MAX_SEARCH_ATTRIBUTE_LENGTH = 255;

const ATTRIBUTE_NAME_RE = /^[A-Za-z][A-Za-z0-9_]{0,62}$/;
const PATH_SEGMENT_RE = /^[A-Za-z0-9_$-]+$/;
const RESERVED_SEGMENTS = new Set(['__proto__', 'prototype', 'constructor']);

/**
 * `retention`: a duration (`'30d'`, ms) after the instance finishes, or `false` to keep it forever.
 * Undefined when absent: the engine's `retention` applies.
 */
export function parseRetention(value: unknown, path: string, issues: IssueList): number | false | undefined {
  if (value === undefined) return undefined;
  if (value === false) return false;
  const ms = parseDurationOrUndefined(value);
  if (ms === undefined) {
    issues.add(path, `${durationMessage(value)}, or false to keep finished instances forever`);
    return undefined;
  }
  return ms;
}

/** `search_attributes`: `{ customer: 'customer.id', total: 'order.total' }`, a name → a dotted path into the data. */
export function parseSearchAttributes(value: unknown, issues: IssueList): SearchAttribute[] | undefined {
  if (value === undefined) return undefined;
  if (!isPlainObject(value)) {
    issues.add('search_attributes', `must be an object of attribute name → dotted path into the data, e.g. { customer: "customer.id" }`);
    return undefined;
  }
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  if (entries.length > MAX_SEARCH_ATTRIBUTES) {
    issues.add('search_attributes', `declares ${entries.length} attributes; at most ${MAX_SEARCH_ATTRIBUTES} are indexed per definition: keep the ones you search by`);
  }
  const attributes: SearchAttribute[] = [];
  for (const [name, raw] of entries) {
    const at = `search_attributes.${name}`;
    if (!ATTRIBUTE_NAME_RE.test(name)) {
      issues.add(at, `attribute name ${JSON.stringify(name)} must start with a letter and contain only letters, digits and "_" (at most 63)`);
      continue;
    }
    const segments = typeof raw === 'string' ? raw.split('.') : [];
    if (segments.length === 0 || segments.some((s) => !PATH_SEGMENT_RE.test(s) || RESERVED_SEGMENTS.has(s))) {
      issues.add(at, `must be a dotted path into the instance data, e.g. "customer.id"; got ${JSON.stringify(raw) ?? typeof raw}`);
      continue;
    }
    attributes.push({ name, path: segments });
  }
  return attributes;
}

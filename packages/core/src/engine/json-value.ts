/** Values from callers and actions made JSON-safe before they are stored. */
import type { JsonObject } from '../definition/definition.types.js';

/** Make a value JSON-safe (drops undefined, turns Dates into strings) without paying for it when it already is. */
export function toJsonObject(value: object): JsonObject {
  return isPlainJson(value, 0) ? (value as JsonObject) : (JSON.parse(JSON.stringify(value)) as JsonObject);
}

function isPlainJson(value: unknown, depth: number): boolean {
  if (depth > 32) return false;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every((v) => isPlainJson(v, depth + 1));
  if (typeof value === 'object') {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return false;
    for (const v of Object.values(value)) if (!isPlainJson(v, depth + 1)) return false;
    return true;
  }
  return false;
}

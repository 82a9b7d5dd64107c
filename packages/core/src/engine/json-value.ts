/**
 * Values from callers and actions made JSON-safe before they are stored, and checked once where
 * they enter the engine: at most {@link MAX_JSON_DEPTH} levels of nesting, no prototype keys.
 */
import type { JsonObject } from '../definition/definition.types.js';
import { ErrorCode, WorkflowError } from '../errors.js';

/**
 * How deep objects and arrays may nest in start data, signal payloads, task data and action
 * output (the value itself is level 1). Deeper input is refused with `WF_INPUT_INVALID`.
 */
export const MAX_JSON_DEPTH = 64;

/** Refused because JavaScript code merging such data could change an object's prototype. */
const PROTO = '__proto__';

/** The message of a value nested deeper than `limit` at `path`. */
export function nestingMessage(path: string, limit: number): string {
  return `${path} is nested deeper than ${limit} levels of objects and arrays (the limit); flatten it or store the deep part elsewhere.`;
}

/** The message of a prototype key (`__proto__`, or `constructor.prototype`) at `path`. */
export function prototypeKeyMessage(key: string, path: string): string {
  return `The key "${key}" at ${path} is not allowed (it could change object prototypes); rename it.`;
}

/**
 * Checks `value` where it enters (one iterative walk, no recursion, so any depth is safe): throws
 * `WF_INPUT_INVALID` for nesting deeper than `limit` (default {@link MAX_JSON_DEPTH}) or a prototype key, naming the path from
 * `field`. Returns whether the value is already plain JSON (plain objects, arrays, finite numbers,
 * strings, booleans, null), so callers can skip copying it.
 */
export function checkJsonInput(value: unknown, field: string, options: { limit?: number; outerLevels?: number } = {}): boolean {
  // `outerLevels`: levels around the data (an HTTP body `{ data }` is one) that do not count against the limit.
  const limit = options.limit ?? MAX_JSON_DEPTH;
  const deepest = limit + (options.outerLevels ?? 0);
  if (!isContainer(value)) return isPlainLeaf(value);
  let plain = true;
  // Only containers go on the stack, linked to their parent: the path is built only for an error.
  const stack: Frame[] = [{ v: value, depth: 1, parent: undefined, key: field }];
  while (stack.length > 0) {
    const frame = stack.pop()!;
    const { v, depth } = frame;
    if (depth > deepest) {
      const path = pathOf(frame);
      throw new WorkflowError(ErrorCode.InputInvalid, nestingMessage(path, limit), { path, limit });
    }
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const item: unknown = v[i];
        if (isContainer(item)) stack.push({ v: item, depth: depth + 1, parent: frame, key: String(i) });
        else if (plain && !isPlainLeaf(item)) plain = false;
      }
      continue;
    }
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) plain = false;
    for (const key of Object.keys(v)) {
      const item: unknown = (v as Record<string, unknown>)[key];
      if (key === PROTO) throw prototypeError(PROTO, frame, key);
      if (key === 'constructor' && isContainer(item) && Object.prototype.hasOwnProperty.call(item, 'prototype')) {
        throw prototypeError('constructor.prototype', frame, key);
      }
      if (isContainer(item)) stack.push({ v: item, depth: depth + 1, parent: frame, key });
      else if (plain && !isPlainLeaf(item)) plain = false;
    }
  }
  return plain;
}

/** A container met by the walk. */
interface Frame {
  v: object;
  depth: number;
  parent: Frame | undefined;
  key: string;
}

/** `data.order.items.0`, shortened when very deep (a path 5,000 levels deep is no use in a message). */
function pathOf(frame: Frame, last?: string): string {
  const keys: string[] = last === undefined ? [] : [last];
  for (let f: Frame | undefined = frame; f; f = f.parent) keys.push(f.key);
  const path = keys.reverse().join('.');
  return path.length <= 200 ? path : `${path.slice(0, 120)}…${path.slice(-60)}`;
}

/**
 * Make a value JSON-safe (drops undefined, turns Dates into strings) without paying for it when it
 * already is, after {@link checkJsonInput} (so `field` names it in the error).
 *
 * @throws WorkflowError `WF_INPUT_INVALID` when it nests too deep, has a prototype key, or cannot be JSON (a cycle, a BigInt).
 */
export function toJsonObject(value: object, field = 'value'): JsonObject {
  if (checkJsonInput(value, field)) return value as JsonObject;
  let copy: JsonObject;
  try {
    copy = JSON.parse(JSON.stringify(value)) as JsonObject;
  } catch (error) {
    throw new WorkflowError(ErrorCode.InputInvalid, `${field} cannot be stored as JSON (${(error as Error).message}); pass plain objects, arrays, strings, numbers, booleans and null.`, undefined, { cause: error });
  }
  // `toJSON` may have produced anything: check what will be stored.
  checkJsonInput(copy, field);
  return copy;
}

function isContainer(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}

function isPlainLeaf(value: unknown): boolean {
  return value === null || typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
}

function prototypeError(name: string, frame: Frame, key: string): WorkflowError {
  const path = pathOf(frame, key);
  return new WorkflowError(ErrorCode.InputInvalid, prototypeKeyMessage(name, path), { path, key: name });
}

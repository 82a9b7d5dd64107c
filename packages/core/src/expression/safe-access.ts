/**
 * Reading data and calling methods without reaching code. Only own *data* properties are read
 * (descriptors, so getters never run and inherited `toString`, `constructor`, ... do not exist),
 * only of plain objects, arrays and strings; functions never come out as values.
 */
import { isScalar } from './safe-operators.js';

/** Names that lead to prototypes; refused at compile time and, when computed, at run time. */
export const FORBIDDEN_NAMES: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** Built-in prototypes whose methods may be called, looked up at call time by own name only. */
const STRING_METHODS: object = String.prototype;
const ARRAY_METHODS: object = Array.prototype;

/** A plain object: prototype `null` or an `Object.prototype` (of any realm), not a class instance. */
function isPlainObject(value: unknown): value is object {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === null || Object.getPrototypeOf(proto) === null;
}

/** The value if it may leave the interpreter: functions never do. */
export function sanitize(value: unknown): unknown {
  return typeof value === 'function' ? undefined : value;
}

/**
 * `target[key]` for own data properties of plain objects, arrays and strings (index, `length`).
 * Keys must be strings or numbers; anything else, a forbidden name or a missing property is `undefined`.
 */
export function readProperty(target: unknown, key: unknown): unknown {
  if (typeof key === 'number') key = String(key);
  if (typeof key !== 'string' || FORBIDDEN_NAMES.has(key)) return undefined;
  if (typeof target !== 'string' && !Array.isArray(target) && !isPlainObject(target)) return undefined;
  const descriptor = Object.getOwnPropertyDescriptor(target, key);
  return descriptor && 'value' in descriptor ? sanitize(descriptor.value) : undefined;
}

/** The built-in method `name` of `proto`, if it is an own function property. */
function builtin(proto: object, name: string): Function | undefined {
  const method: unknown = Object.getOwnPropertyDescriptor(proto, name)?.value;
  return typeof method === 'function' ? method : undefined;
}

/** Calls `fn`; a throw (e.g. a caller-allowed `repeat(-1)`) makes this one call `undefined`, not the whole evaluation. */
export function safeApply(fn: Function, self: unknown, args: readonly unknown[]): unknown {
  try {
    return sanitize(Reflect.apply(fn, self, args));
  } catch {
    return undefined;
  }
}

/**
 * Calls an allowed method on a string or an array; other receivers give `undefined`.
 * Arrays are copied first, so even a mutating method allowed by the caller cannot change the data;
 * string methods get scalar arguments only, so no `toString` of the data runs.
 */
export function callMethod(receiver: unknown, name: string, args: readonly unknown[]): unknown {
  if (FORBIDDEN_NAMES.has(name)) return undefined;
  if (typeof receiver === 'string') {
    const method = builtin(STRING_METHODS, name);
    return method && args.every(isScalar) ? safeApply(method, receiver, args) : undefined;
  }
  if (Array.isArray(receiver)) {
    const method = builtin(ARRAY_METHODS, name);
    return method ? safeApply(method, Array.prototype.slice.call(receiver), args) : undefined;
  }
  return undefined;
}

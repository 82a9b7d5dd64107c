/**
 * `instanceof` for error classes that works across copies of `@workflow-mastery/core`.
 *
 * An application can end up with two copies of core (an adapter pinned to another version, a
 * bundler duplicating it). Each copy has its own `WorkflowError` class, so a plain `instanceof`
 * answers false for an error thrown by the other copy, and the HTTP layer would answer 500 for a
 * 404. Like Temporal's SDK (`SymbolBasedInstanceOfError`), each class marks its prototype with a
 * registered symbol (`Symbol.for` is shared by every copy in the process) and its
 * `Symbol.hasInstance` checks that mark instead of the prototype chain.
 */

/** Prefix of the registered symbols; `Symbol.for('@workflow-mastery/core.WorkflowError')` marks every WorkflowError. */
export const ERROR_MARKER_PREFIX = '@workflow-mastery/core.';

/** The registered symbol that marks instances of the error class called `name`. */
export function errorMarker(name: string): symbol {
  return Symbol.for(ERROR_MARKER_PREFIX + name);
}

/** Whether `value` is an object carrying `marker` (own or inherited). */
export function hasErrorMarker(value: unknown, marker: symbol): boolean {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[marker] === true;
}

/**
 * Class decorator: mark the class's prototype with {@link errorMarker}(`markerName`) and make
 * `instanceof` of that class check the mark. A subclass that is not decorated itself inherits the
 * static `Symbol.hasInstance` but falls back to the ordinary prototype check, so it keeps the usual
 * (single-copy) semantics.
 */
export function SymbolBasedInstanceOfError(markerName: string) {
  return (clazz: abstract new (...args: never[]) => Error): void => {
    const marker = errorMarker(markerName);
    Object.defineProperty(clazz.prototype, marker, { value: true, enumerable: false });
    Object.defineProperty(clazz, Symbol.hasInstance, {
      value(this: unknown, value: unknown): boolean {
        if (this === clazz) return hasErrorMarker(value, marker);
        return Function.prototype[Symbol.hasInstance].call(this, value);
      },
    });
  };
}

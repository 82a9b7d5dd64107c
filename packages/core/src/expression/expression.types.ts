/** Types of the safe condition language. */

/** A parsed expression, ready to evaluate any number of times. */
export interface CompiledExpression {
  /** The source text. */
  readonly source: string;
  /** Evaluate against instance data; never throws on missing paths (they are `undefined`). */
  evaluate(data: unknown): unknown;
  /** Evaluate and coerce to boolean (JavaScript truthiness). */
  test(data: unknown): boolean;
}

/** Options of the expression compiler. */
export interface ExpressionOptions {
  /**
   * Method names that may be called on strings and arrays, e.g. `includes`.
   * @defaultValue {@link DEFAULT_ALLOWED_METHODS}
   */
  allowedMethods?: readonly string[];
  /** Extra pure functions callable by name, e.g. `{ lower: (s) => String(s).toLowerCase() }`. */
  functions?: Readonly<Record<string, (...args: unknown[]) => unknown>>;
}

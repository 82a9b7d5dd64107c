/**
 * The safe condition language: a JavaScript-like expression parsed once with jsep, checked at
 * compile time and evaluated by our own interpreter (never `eval` or `Function`).
 */
import { ExpressionError } from '../errors.js';
import { evaluateNode } from './expression-interpreter.js';
import { toExprNode } from './expression-validator.js';
import type { CompiledExpression, ExpressionOptions } from './expression.types.js';
import { parseSource } from './parse-source.js';

/** Methods callable on strings and lists by default: pure, read-only ones. */
export const DEFAULT_ALLOWED_METHODS: readonly string[] = Object.freeze([
  'includes',
  'startsWith',
  'endsWith',
  'indexOf',
  'toLowerCase',
  'toUpperCase',
  'trim',
]);

/**
 * Compiles a condition such as `order.total > 1000 && tags.includes("vip")`.
 *
 * Semantics, where they differ from JavaScript (all so that evaluation never runs code from the data):
 * - identifiers and members read only own data properties of plain objects, arrays and strings
 *   (`length`, indexes); anything else, including inherited names like `toString`, is `undefined`;
 * - `__proto__`, `constructor`, `prototype` are refused at compile time, and give `undefined` when a
 *   computed key evaluates to them at run time;
 * - functions are never values: a member holding one is `undefined`;
 * - operators act on scalars only (see `safe-operators.ts`): arithmetic on an object is `undefined`,
 *   ordering is `false`, `==` falls back to identity;
 * - a method call on a receiver that is not a string or list, or a method/function that throws, is `undefined`.
 *
 * @throws {@link ExpressionError} if the source is empty, does not parse, or uses anything not allowed.
 */
export function compileExpression(source: string, options: ExpressionOptions = {}): CompiledExpression {
  if (typeof source !== 'string') {
    throw new ExpressionError(`an expression must be a string, got ${source === null ? 'null' : typeof source}`, '');
  }
  const root = toExprNode(parseSource(source), {
    source,
    allowedMethods: new Set(options.allowedMethods ?? DEFAULT_ALLOWED_METHODS),
    functions: options.functions,
  });
  /** Never throws: exotic data (throwing Proxy traps, an exhausted stack) yields `undefined`. */
  const evaluate = (data: unknown): unknown => {
    try {
      return evaluateNode(root, data);
    } catch {
      return undefined;
    }
  };
  return Object.freeze({ source, evaluate, test: (data: unknown): boolean => Boolean(evaluate(data)) });
}

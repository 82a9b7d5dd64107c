/**
 * Operator semantics. JavaScript's own operators are used, but only on scalars (string, number,
 * boolean, null, undefined): on objects JavaScript would call `valueOf`/`toString`, i.e. run code
 * found in the data, and on symbols/bigints it can throw. So:
 * - arithmetic (`+ - * / %`) and unary `-`/`+` with a non-scalar operand give `undefined`;
 * - ordering (`< <= > >=`) with a non-scalar operand gives `false`;
 * - loose equality (`==`/`!=`) with a non-scalar operand falls back to identity (`===`/`!==`).
 */
import type { BinaryOperator, UnaryOperator } from './expression-ast.js';

/** A value JavaScript's operators handle without running user code or throwing. */
export type Scalar = string | number | boolean | null | undefined;

/** Whether `value` is a {@link Scalar}. */
export function isScalar(value: unknown): value is Scalar {
  const type = typeof value;
  return value === null || type === 'string' || type === 'number' || type === 'boolean' || type === 'undefined';
}

/** Applies a unary operator; see the module comment for non-scalars. */
export function applyUnary(operator: UnaryOperator, value: unknown): unknown {
  switch (operator) {
    case '!':
      return !value;
    case 'typeof':
      return typeof value;
    case '-':
      return isScalar(value) ? -(value as number) : undefined;
    case '+':
      return isScalar(value) ? +(value as number) : undefined;
  }
}

/** Applies a binary operator; see the module comment for non-scalars. */
export function applyBinary(operator: BinaryOperator, left: unknown, right: unknown): unknown {
  if (operator === '===') return left === right;
  if (operator === '!==') return left !== right;
  const scalars = isScalar(left) && isScalar(right);
  // The casts only satisfy the type checker: JavaScript's coercions on scalars are the intended semantics.
  const l = left as number;
  const r = right as number;
  switch (operator) {
    case '==':
      return scalars ? l == r : l === r;
    case '!=':
      return scalars ? l != r : l !== r;
    case '<':
      return scalars && l < r;
    case '<=':
      return scalars && l <= r;
    case '>':
      return scalars && l > r;
    case '>=':
      return scalars && l >= r;
    case '+':
      return scalars ? l + r : undefined;
    case '-':
      return scalars ? l - r : undefined;
    case '*':
      return scalars ? l * r : undefined;
    case '/':
      return scalars ? l / r : undefined;
    case '%':
      return scalars ? l % r : undefined;
  }
}

/**
 * The validated tree the interpreter walks. The validator builds it from jsep's AST, so every node
 * here is known to be allowed; the interpreter never sees jsep nodes.
 */

/** Unary operators of the language. */
export type UnaryOperator = '!' | '-' | '+' | 'typeof';

/** Binary operators evaluated on both operands (no short-circuit). */
export type BinaryOperator = '===' | '!==' | '==' | '!=' | '<' | '<=' | '>' | '>=' | '+' | '-' | '*' | '/' | '%';

/** Short-circuit operators: the right side is evaluated only when needed. */
export type LogicalOperator = '&&' | '||' | '??';

/** A pure function the caller made callable by name (`options.functions`). */
export type ExpressionFunction = (...args: unknown[]) => unknown;

/** One node of a validated expression. */
export type ExprNode =
  | { readonly kind: 'literal'; readonly value: string | number | boolean | null | undefined }
  | { readonly kind: 'identifier'; readonly name: string }
  | { readonly kind: 'member'; readonly object: ExprNode; readonly key: ExprNode }
  | { readonly kind: 'unary'; readonly operator: UnaryOperator; readonly argument: ExprNode }
  | { readonly kind: 'binary'; readonly operator: BinaryOperator; readonly left: ExprNode; readonly right: ExprNode }
  | { readonly kind: 'logical'; readonly operator: LogicalOperator; readonly left: ExprNode; readonly right: ExprNode }
  | { readonly kind: 'conditional'; readonly test: ExprNode; readonly consequent: ExprNode; readonly alternate: ExprNode }
  | { readonly kind: 'array'; readonly elements: readonly ExprNode[] }
  | { readonly kind: 'method'; readonly receiver: ExprNode; readonly method: string; readonly args: readonly ExprNode[] }
  | { readonly kind: 'function'; readonly name: string; readonly fn: ExpressionFunction; readonly args: readonly ExprNode[] };

/**
 * Compile-time check of jsep's AST, producing the interpreter's {@link ExprNode} tree. Everything
 * not explicitly allowed is refused with an {@link ExpressionError} naming it and what is allowed.
 */
import type jsep from 'jsep';
import { ExpressionError } from '../errors.js';
import type { BinaryOperator, ExprNode, ExpressionFunction, LogicalOperator, UnaryOperator } from './expression-ast.js';
import { FORBIDDEN_NAMES } from './safe-access.js';

/** Deepest accepted tree; keeps validation and evaluation far from the stack limit. */
export const MAX_DEPTH = 500;

/** What the validator needs to know. */
export interface ValidationContext {
  readonly source: string;
  readonly allowedMethods: ReadonlySet<string>;
  readonly functions: Readonly<Record<string, ExpressionFunction>> | undefined;
}

const UNARY: ReadonlySet<string> = new Set<UnaryOperator>(['!', '-', '+', 'typeof']);
const BINARY: ReadonlySet<string> = new Set<BinaryOperator>(['===', '!==', '==', '!=', '<', '<=', '>', '>=', '+', '-', '*', '/', '%']);
const LOGICAL: ReadonlySet<string> = new Set<LogicalOperator>(['&&', '||', '??']);

/** JavaScript keywords jsep reads as plain identifiers (e.g. `new Foo()` is `new` then `Foo()`). */
const KEYWORDS: ReadonlySet<string> = new Set(
  ('new delete void in instanceof typeof function class return var let const await yield import export super ' +
    'this throw with debugger if else for while do switch case break continue try catch finally extends default')
    .split(' '),
);

/** A one-line summary of the language, for messages. */
const LANGUAGE =
  'allowed are data fields (a.b, a["b"], a[0]), literals, the operators ! - + typeof === !== == != < <= > >= ' +
  '+ - * / % && || ??, a ? b : c, [lists] and value.method(...) calls of the allowed methods';

function fail(ctx: ValidationContext, message: string): never {
  throw new ExpressionError(message, ctx.source);
}

/** Refuses the prototype names (as identifiers, properties, literal keys and methods). */
function checkName(name: string, ctx: ValidationContext): void {
  if (FORBIDDEN_NAMES.has(name)) {
    fail(ctx, `"${name}" is not allowed: conditions read only the data's own fields, never __proto__, constructor or prototype`);
  }
}

/**
 * Refuses, in a bare identifier, prototype names and JavaScript keywords. So a top-level data key
 * named `class` cannot be read; a nested one can (`a.class`).
 */
function checkIdentifier(name: string, ctx: ValidationContext): void {
  checkName(name, ctx);
  if (name === 'new') fail(ctx, `"new" is not allowed: conditions cannot create objects; ${LANGUAGE}`);
  if (KEYWORDS.has(name)) fail(ctx, `the keyword "${name}" is not part of the condition language; ${LANGUAGE}`);
}

/** Converts and checks a jsep node (recursively, at most {@link MAX_DEPTH} deep). */
export function toExprNode(node: jsep.Expression, ctx: ValidationContext, depth = 0): ExprNode {
  if (depth > MAX_DEPTH) fail(ctx, `the expression is nested more than ${MAX_DEPTH} levels deep; simplify it`);
  const sub = (child: jsep.Expression): ExprNode => toExprNode(child, ctx, depth + 1);
  switch (node.type) {
    case 'Literal': {
      const { value } = node as jsep.Literal;
      if (value !== null && typeof value === 'object') fail(ctx, `regular expressions are not supported; ${LANGUAGE}`);
      return { kind: 'literal', value };
    }
    case 'Identifier': {
      const { name } = node as jsep.Identifier;
      if (name === 'undefined') return { kind: 'literal', value: undefined };
      checkIdentifier(name, ctx);
      return { kind: 'identifier', name };
    }
    case 'ThisExpression':
      return fail(ctx, '"this" is not allowed: refer to data fields by name, e.g. order.total');
    case 'MemberExpression':
      return toMember(node as jsep.MemberExpression, ctx, sub);
    case 'UnaryExpression': {
      const { operator, argument } = node as jsep.UnaryExpression;
      if (!UNARY.has(operator)) fail(ctx, `the operator "${operator}" is not supported; unary operators are ! - + typeof`);
      return { kind: 'unary', operator: operator as UnaryOperator, argument: sub(argument) };
    }
    case 'BinaryExpression': {
      const { operator, left, right } = node as jsep.BinaryExpression;
      if (LOGICAL.has(operator)) return { kind: 'logical', operator: operator as LogicalOperator, left: sub(left), right: sub(right) };
      if (!BINARY.has(operator)) fail(ctx, `the operator "${operator}" is not supported; ${LANGUAGE}`);
      return { kind: 'binary', operator: operator as BinaryOperator, left: sub(left), right: sub(right) };
    }
    case 'ConditionalExpression': {
      const { test, consequent, alternate } = node as jsep.ConditionalExpression;
      return { kind: 'conditional', test: sub(test), consequent: sub(consequent), alternate: sub(alternate) };
    }
    case 'ArrayExpression': {
      const { elements } = node as jsep.ArrayExpression;
      return {
        kind: 'array',
        elements: elements.map((e) => (e ? sub(e) : fail(ctx, 'empty slots in a list, as in [1, , 2], are not allowed'))),
      };
    }
    case 'CallExpression':
      return toCall(node as jsep.CallExpression, ctx, sub);
    case 'Compound':
      (node as jsep.Compound).body.forEach(sub); // a keyword such as `new` gets its own message first
      return fail(ctx, 'only one expression is allowed; combine conditions with && or ||');
    case 'SequenceExpression':
      (node as jsep.SequenceExpression).expressions.forEach(sub);
      return fail(ctx, 'the comma operator is not allowed; combine conditions with && or ||');
    default:
      return fail(ctx, `unsupported syntax (${node.type}); ${LANGUAGE}`);
  }
}

/** `a.b` (static name) or `a[key]` (a literal key is checked now, a computed one at run time). */
function toMember(node: jsep.MemberExpression, ctx: ValidationContext, sub: (n: jsep.Expression) => ExprNode): ExprNode {
  const object = sub(node.object);
  if (!node.computed) {
    const { name } = node.property as jsep.Identifier;
    checkName(name, ctx);
    return { kind: 'member', object, key: { kind: 'literal', value: name } };
  }
  const key = sub(node.property);
  if (key.kind === 'literal' && (typeof key.value === 'string' || typeof key.value === 'number')) checkName(String(key.value), ctx);
  return { kind: 'member', object, key };
}

/** `value.method(args)` with an allowed method, or `fn(args)` with a configured function. */
function toCall(node: jsep.CallExpression, ctx: ValidationContext, sub: (n: jsep.Expression) => ExprNode): ExprNode {
  const { callee } = node;
  if (callee.type === 'MemberExpression' && !(callee as jsep.MemberExpression).computed) {
    const member = callee as jsep.MemberExpression;
    const receiver = sub(member.object);
    const method = (member.property as jsep.Identifier).name;
    checkName(method, ctx);
    if (!ctx.allowedMethods.has(method)) {
      const allowed = [...ctx.allowedMethods].join(', ') || 'none';
      fail(ctx, `the method "${method}" is not allowed; allowed methods (on strings and lists): ${allowed}`);
    }
    return { kind: 'method', receiver, method, args: node.arguments.map(sub) };
  }
  if (callee.type === 'Identifier') {
    const { name } = callee as jsep.Identifier;
    checkIdentifier(name, ctx);
    const fn = ctx.functions && Object.hasOwn(ctx.functions, name) ? ctx.functions[name] : undefined;
    if (typeof fn !== 'function') {
      const known = ctx.functions ? Object.keys(ctx.functions).filter((k) => typeof ctx.functions![k] === 'function') : [];
      fail(
        ctx,
        `unknown function "${name}"; ` +
          (known.length ? `available functions: ${known.join(', ')}` : 'no functions are configured (options.functions)') +
          '; methods are called on a value, e.g. tags.includes("vip")',
      );
    }
    return { kind: 'function', name, fn, args: node.arguments.map(sub) };
  }
  sub(callee); // report a forbidden name inside the callee before the shape of the call
  return fail(ctx, 'only value.method(...) with an allowed method, or a configured function by name, can be called, e.g. tags.includes("vip")');
}

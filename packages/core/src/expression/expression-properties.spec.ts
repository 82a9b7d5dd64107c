/** Property-based tests: the interpreter agrees with JavaScript where the semantics coincide, and never breaks. */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ExpressionError } from '../errors.js';
import { compileExpression } from './expression-compiler.js';

/** Variables of the generated expressions; `v4` is never in the data, so it is `undefined` in both. */
const VARIABLES = ['v0', 'v1', 'v2', 'v3', 'v4'] as const;

const scalar = fc.oneof(
  fc.integer({ min: -100, max: 100 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  // Only characters whose escaping jsep and JavaScript agree on.
  fc.string({ unit: fc.constantFrom('a', 'b', '1', ' ', '"', '\\'), maxLength: 4 }),
);

/** A literal as source text, parenthesized when it needs a sign. */
function printLiteral(value: number | boolean | string): string {
  if (typeof value === 'string') return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  if (typeof value === 'number' && (value < 0 || Object.is(value, -0))) return `(-${String(-value)})`;
  return String(value);
}

/** Random fully parenthesized expressions over literals and variables. */
const { node: expression } = fc.letrec<{ node: string; leaf: string; unary: string; binary: string; ternary: string }>((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, tie('leaf'), tie('unary'), tie('binary'), tie('ternary')),
  leaf: fc.oneof(scalar.map(printLiteral), fc.constantFrom(...VARIABLES, 'null', 'undefined')),
  unary: fc.tuple(fc.constantFrom('!', '-', '+', 'typeof '), tie('node')).map(([op, arg]) => `(${op}${arg})`),
  binary: fc
    .tuple(tie('node'), fc.constantFrom('===', '!==', '==', '!=', '<', '<=', '>', '>=', '+', '-', '*', '/', '%', '&&', '||', '??'), tie('node'))
    .map(([left, op, right]) => `(${left} ${op} ${right})`),
  ternary: fc.tuple(tie('node'), tie('node'), tie('node')).map(([t, c, a]) => `(${t} ? ${c} : ${a})`),
}));

const data = fc.tuple(fc.oneof(scalar, fc.constant(null)), scalar, scalar, fc.oneof(scalar, fc.constant(null)));

/** A value for a failure message: strings quoted, -0 visible. */
const show = (value: unknown): string =>
  Object.is(value, -0) ? '-0' : typeof value === 'string' ? JSON.stringify(value) : String(value);

/** The oracle: JavaScript itself, only here in the test. */
function oracle(source: string, values: readonly unknown[]): unknown {
  return new Function(...VARIABLES, `return (${source});`)(...values) as unknown;
}

/** Arbitrary text built from the language's tokens and hostile ones, to reach deep into the parser. */
const tokenSoup = fc
  .array(
    fc.constantFrom(
      'a', 'b', '.', '(', ')', '[', ']', '"x"', "'y'", '1', '2.5', '+', '-', '!', '=', '==', '===', '<', '>', '?', ':', '&&',
      '||', '??', ',', ';', ' ', 'constructor', '__proto__', 'prototype', 'this', 'new', 'typeof', 'includes', 'trim',
      '\\', '`', '{', '}', '=>', '~', '**', '#', '@', 'undefined', 'null',
    ),
    { maxLength: 30 },
  )
  .map((tokens) => tokens.join(''));

/** Any UTF-16 text, lone surrogates included (the built-in 'binary' unit is much slower to generate). */
const anyText = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)), maxLength: 40 });

/** Valid expressions touching every node kind. */
const VALID = [
  'a', 'a.b.c', 'a[0]', 'a[b]', 'a["b"][0].c', 'a.length', '!a', '-a', '+a', 'typeof a', 'a === b', 'a == b', 'a != b',
  'a < b', 'a >= b', 'a + b', 'a - b', 'a * b', 'a / b', 'a % b', 'a && b', 'a || b', 'a ?? b', 'a ? b : c', '[a, b, 1]',
  'a.includes(b)', 'a.indexOf(b) >= 0', 'a.toLowerCase().trim()', 'a.startsWith("x") || a.endsWith(b)', 'tags.includes("vip")',
  'order.total > 1000 && order.items[0].sku === "x"', 'a[b.c] + a[b]',
];

const exotic = fc.anything({
  withBigInt: true, withBoxedValues: true, withDate: true, withMap: true, withSet: true, withNullPrototype: true,
  withObjectString: true, withTypedArray: true, withSparseArray: true,
});

const dataValue = fc.oneof(
  fc.jsonValue(),
  fc.dictionary(fc.constantFrom('a', 'b', 'c', 'tags', 'order', '__proto__', 'constructor'), fc.oneof(fc.jsonValue(), exotic)),
  exotic,
);

describe('expression properties', () => {
  it('agrees with JavaScript on arithmetic, comparison and logic over scalars', () => {
    fc.assert(
      fc.property(expression, data, (source, values) => {
        const actual = compileExpression(source).evaluate(Object.fromEntries(values.map((v, i) => [VARIABLES[i], v])));
        const expected = oracle(source, values);
        if (!Object.is(actual, expected)) throw new Error(`${source}: got ${show(actual)}, JavaScript says ${show(expected)}`);
      }),
      { numRuns: 400 },
    );
  });

  it('compiles any text or throws ExpressionError, never another error', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, tokenSoup), fc.jsonValue(), (source, value) => {
        let compiled;
        try {
          compiled = compileExpression(source);
        } catch (error) {
          if (!(error instanceof ExpressionError)) throw error;
          return true;
        }
        return typeof compiled.evaluate(value) !== 'function' && typeof compiled.test({ a: value, b: value }) === 'boolean';
      }),
      { numRuns: 1000 },
    );
  });

  it('never throws and never returns a function when evaluating, whatever the data', () => {
    const compiled = VALID.map((source) => compileExpression(source));
    fc.assert(
      fc.property(dataValue, (value) => {
        for (const expr of compiled) {
          const wrap = { a: value, b: value, c: value };
          if (typeof expr.evaluate(value) === 'function' || typeof expr.evaluate(wrap) === 'function') return false;
          if (typeof expr.test(value) !== 'boolean') return false;
        }
        return true;
      }),
      { numRuns: 200 },
    );
    expect(Object.prototype).not.toHaveProperty('polluted');
  });
});

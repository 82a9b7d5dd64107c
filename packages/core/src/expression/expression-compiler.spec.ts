import { describe, expect, it } from '@jest/globals';
import { ExpressionError } from '../errors.js';
import { compileExpression, DEFAULT_ALLOWED_METHODS } from './expression-compiler.js';

/** The ExpressionError `compileExpression(source)` throws (fails the test if it compiles). */
function compileError(source: string, options?: Parameters<typeof compileExpression>[1]): ExpressionError {
  try {
    compileExpression(source, options);
  } catch (error) {
    if (error instanceof ExpressionError) return error;
    throw error;
  }
  throw new Error(`expected ${source} not to compile`);
}

const evaluate = (source: string, data: unknown = {}): unknown => compileExpression(source).evaluate(data);

describe('compileExpression: the workflow conditions', () => {
  it.each([
    ['order.valid === true', { order: { valid: true } }, true],
    ['order.valid === true', { order: { valid: 'yes' } }, false],
    ['fraud.risk >= 0.7', { fraud: { risk: 0.7 } }, true],
    ['fraud.risk >= 0.7', { fraud: { risk: 0.2 } }, false],
    ['document.type === "contract" && document.value > 100000', { document: { type: 'contract', value: 250000 } }, true],
    ['document.type === "contract" && document.value > 100000', { document: { type: 'contract', value: 5 } }, false],
    ['!approved', { approved: false }, true],
    ['!approved', {}, true],
    ['tags.includes("vip")', { tags: ['new', 'vip'] }, true],
    ['tags.includes("vip")', { tags: ['new'] }, false],
    ['tags.includes("vip")', {}, false],
    ['review.approved === false', { review: { approved: false } }, true],
    ['approval.granted === true', { approval: { granted: true } }, true],
    ['order.total > 1000', { order: { total: 1500 } }, true],
    ['order.total > 1000', { order: {} }, false],
  ])('%s with %j is %p', (source, data, expected) => {
    expect(compileExpression(source).test(data)).toBe(expected);
  });

  it('keeps the source and can be evaluated many times', () => {
    const compiled = compileExpression('order.total > 1000');
    expect(compiled.source).toBe('order.total > 1000');
    expect([500, 1001, 2000].map((total) => compiled.test({ order: { total } }))).toEqual([false, true, true]);
  });
});

describe('compileExpression: the language', () => {
  it.each([
    ['42', 42],
    ['"a" + \'b\'', 'ab'],
    ['null', null],
    ['undefined', undefined],
    ['true && false', false],
    ['a.b.c', 1],
    ['a["b"]["c"]', 1],
    ['list[1]', 'y'],
    ['list[i]', 'z'],
    ['list.length', 3],
    ['name.length', 3],
    ['name[0]', 'B'],
    ['-n + +"2" * 3 % 4', 0],
    ['n / 4', 0.5],
    ['typeof name', 'string'],
    ['typeof missing === "undefined"', true],
    ['n == "2"', true],
    ['n != 2', false],
    ['n < 3 && n <= 2 && n > 1 && n >= 2', true],
    ['missing ?? "default"', 'default'],
    ['0 || "x"', 'x'],
    ['n > 1 ? "big" : "small"', 'big'],
    ['[1, n, "s"]', [1, 2, 's']],
    ['a?.b?.c', 1],
    ['name.toLowerCase().startsWith("bo")', true],
    ['name.trim().endsWith("b")', true],
    ['list.indexOf("z")', 2],
    ['name.toUpperCase()', 'BOB'],
  ])('%s is %p', (source, expected) => {
    expect(evaluate(source, { a: { b: { c: 1 } }, list: ['x', 'y', 'z'], i: 2, name: 'Bob', n: 2 })).toEqual(expected);
  });

  it('gives undefined for missing paths instead of throwing', () => {
    expect(evaluate('a.b.c', {})).toBeUndefined();
    expect(evaluate('a[0].b', { a: [] })).toBeUndefined();
    expect(evaluate('a.b', null)).toBeUndefined();
    expect(evaluate('a.b', 'text')).toBeUndefined();
    expect(evaluate('x.includes("a")', { x: 5 })).toBeUndefined();
    expect(evaluate('list.toUpperCase()', { list: ['a'] })).toBeUndefined();
  });

  it('calls configured functions by name', () => {
    const options = { functions: { lower: (s: unknown) => String(s).toLowerCase(), boom: () => { throw new Error('x'); } } };
    expect(compileExpression('lower(user.name) === "bob"', options).test({ user: { name: 'BOB' } })).toBe(true);
    expect(compileExpression('boom() ?? "safe"', options).evaluate({})).toBe('safe');
  });

  it('accepts a custom method list, and never lets a method change the data', () => {
    const options = { allowedMethods: ['reverse', 'join'] };
    const data = { list: [1, 2, 3] };
    expect(compileExpression('list.reverse().join("-")', options).evaluate(data)).toBe('3-2-1');
    expect(data.list).toEqual([1, 2, 3]);
    expect(compileError('list.includes(1)', options).message).toContain('allowed methods (on strings and lists): reverse, join');
  });

  it('exports the default methods', () => {
    expect(DEFAULT_ALLOWED_METHODS).toEqual(['includes', 'startsWith', 'endsWith', 'indexOf', 'toLowerCase', 'toUpperCase', 'trim']);
    expect(Object.isFrozen(DEFAULT_ALLOWED_METHODS)).toBe(true);
  });

  it('applies operators to scalars only', () => {
    expect(evaluate('a + 1', { a: { valueOf: 1 } })).toBeUndefined();
    expect(evaluate('a + b', { a: [1], b: [2] })).toBeUndefined();
    expect(evaluate('a < b', { a: [1], b: [2] })).toBe(false);
    expect(evaluate('a == b', { a: [1], b: 1 })).toBe(false);
    const shared = { x: 1 };
    expect(evaluate('a === b && a == b', { a: shared, b: shared })).toBe(true);
    expect(evaluate('-a', { a: {} })).toBeUndefined();
  });
});

describe('compileExpression: errors', () => {
  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['a.b.', 'cannot parse "a.b."'],
    ['"unclosed', 'cannot parse'],
    ['~x', 'the operator "~" is not supported; unary operators are ! - + typeof'],
    ['a ** 2', 'the operator "**" is not supported'],
    ['a | 1', 'the operator "|" is not supported'],
    ['a b', 'only one expression is allowed'],
    ['(a, b)', 'the comma operator is not allowed'],
    ['[1, , 2]', 'empty slots'],
    ['a.push(1)', 'the method "push" is not allowed; allowed methods (on strings and lists): includes, startsWith'],
    ['a["includes"]("x")', 'only value.method(...)'],
    ['lower(a)', 'unknown function "lower"; no functions are configured'],
    ['delete a.b', 'the keyword "delete"'],
  ])('%p is refused: %s', (source, fragment) => {
    expect(compileError(source).message).toContain(fragment);
  });

  it('reports the parse position and the expression', () => {
    const error = compileError('order.total >');
    expect(error.index).toBe(13);
    expect(error.expression).toBe('order.total >');
    expect(error.message).toBe('cannot parse "order.total >": Expected expression after > at character 13');
    expect(error.toJSON()).toMatchObject({ code: 'WF_EXPRESSION_INVALID', details: { expression: 'order.total >', index: 13 } });
  });

  it('names the configured functions when an unknown one is called', () => {
    expect(compileError('upper(a)', { functions: { lower: String } }).message).toContain('available functions: lower');
  });

  it('refuses a non-string source', () => {
    expect(compileError(5 as unknown as string).message).toBe('an expression must be a string, got number');
  });
});

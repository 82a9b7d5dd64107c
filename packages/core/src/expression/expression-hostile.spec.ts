/** Hostile input: every case is refused at compile time or evaluates to something harmless. */
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { ExpressionError } from '../errors.js';
import { compileExpression } from './expression-compiler.js';

function compileError(source: string): ExpressionError {
  try {
    compileExpression(source);
  } catch (error) {
    if (error instanceof ExpressionError) return error;
    throw error;
  }
  throw new Error(`expected ${source.slice(0, 80)} not to compile`);
}

afterEach(() => {
  expect(Object.prototype).not.toHaveProperty('polluted');
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});

describe('hostile expressions refused at compile time', () => {
  it.each([
    ['__proto__', '"__proto__" is not allowed'],
    ['a.__proto__', '"__proto__" is not allowed'],
    ['a["__proto__"]', '"__proto__" is not allowed'],
    ['a.__proto__.polluted = 1', 'assignment "=" at character 21 is not allowed'],
    ['a["__proto__"]["polluted"] = 1', 'assignment "="'],
    ['constructor', '"constructor" is not allowed'],
    ['constructor.constructor("return process")()', '"constructor" is not allowed'],
    ['a.constructor.prototype', '"constructor" is not allowed'],
    ['a.b.prototype', '"prototype" is not allowed'],
    ['[].constructor', '"constructor" is not allowed'],
    ['"".constructor.name', '"constructor" is not allowed'],
    ['a["constructor"]', '"constructor" is not allowed'],
    ['name.constructor("x")', '"constructor" is not allowed'],
    ['this', '"this" is not allowed'],
    ['this.constructor', '"this" is not allowed'],
    ['new Foo()', '"new" is not allowed'],
    ['new Function("return process")()', '"new" is not allowed'],
    ['Function("return process")()', 'unknown function "Function"'],
    ['eval("1")', 'unknown function "eval"'],
    ['require("fs")', 'unknown function "require"'],
    ['toString()', 'unknown function "toString"'],
    ['process.exit()', 'the method "exit" is not allowed'],
    ['globalThis.process.mainModule.require("child_process")', 'the method "require" is not allowed'],
    ['a.toString()', 'the method "toString" is not allowed'],
    ['a.hasOwnProperty("b")', 'the method "hasOwnProperty" is not allowed'],
    ['x.__defineGetter__("y", 1)', 'the method "__defineGetter__" is not allowed'],
    ['tags.includes.call(null, "vip")', 'the method "call" is not allowed'],
    ['a[0]()', 'only value.method(...)'],
    ['(a)()', 'unknown function "a"'],
    ['a = 1', 'assignment "=" at character 2'],
    ['a += 1', 'compound assignment "+=" at character 2'],
    ['a ??= 1', 'compound assignment "??=" at character 2'],
    ['a.b **= 2', 'compound assignment "**=" at character 4'],
    ['= 1', 'assignment "=" at character 0'],
    ['a++', '"++" at character 1 is not allowed'],
    ['--a', '"--" at character 0 is not allowed'],
    ['(function () { return 1 })()', 'cannot parse'],
    ['a => a', 'cannot parse'],
    ['`${process}`', 'cannot parse'],
    ['/x/.test(a)', 'cannot parse'],
    ['import("fs")', 'the keyword "import"'],
    ['void 0', 'the keyword "void"'],
    ['a; process', 'only one expression is allowed'],
  ])('%s', (source, fragment) => {
    expect(compileError(source).message).toContain(fragment);
  });

  it('reports the position of a writing operator', () => {
    expect(compileError('x.y = 1').index).toBe(4);
    expect(compileError('"a = b" === s && s = 1').index).toBe(19);
  });
});

describe('hostile expressions harmless at run time', () => {
  const polluting = JSON.parse('{"__proto__": {"polluted": 1}, "x": 1}') as unknown;

  it.each([
    ['globalThis.process', {}, undefined],
    ['process', {}, undefined],
    ['require', {}, undefined],
    ['Function', {}, undefined],
    ['toString', {}, undefined],
    ['valueOf', {}, undefined],
    ['hasOwnProperty', {}, undefined],
    ['a.toString', { a: {} }, undefined],
    ['tags.includes', { tags: [] }, undefined],
    ['x["__pro" + "to__"]', { x: polluting }, undefined],
    ['x["__pro" + "to__"].polluted', { x: polluting }, undefined],
    ['x["constr" + "uctor"]', { x: {} }, undefined],
    ['a[k]', { a: {}, k: '__proto__' }, undefined],
    ['a[k]', { a: { constructor: 1 }, k: 'constructor' }, undefined],
    ['a[k]', { a: { b: 1 }, k: ['b'] }, undefined],
    ['fn', { fn: () => 1 }, undefined],
    ['o.fn', { o: { fn: () => 1 } }, undefined],
    ['date.getTime', { date: new Date() }, undefined],
    ['typeof fn', { fn: () => 1 }, 'undefined'],
  ])('%s is %p', (source, data, expected) => {
    expect(compileExpression(source).evaluate(data)).toBe(expected);
  });

  it('never runs getters, toString or valueOf found in the data', () => {
    const spy = jest.fn(() => 'x');
    const data = { name: 'abc', o: { toString: spy, valueOf: spy }, g: {} };
    Object.defineProperty(data.g, 'secret', { get: spy, enumerable: true });
    for (const source of ['g.secret', 'o + 1', 'o < 1', 'o == "x"', 'name.includes(o)', '-o', '[o][0] + ""']) {
      expect(compileExpression(source).evaluate(data)).not.toBe('x');
    }
    expect(spy).not.toHaveBeenCalled();
  });

  it('evaluates to undefined instead of throwing on exotic data', () => {
    const trap = (): never => {
      throw new Error('trap');
    };
    const proxy = new Proxy({}, { get: trap, getOwnPropertyDescriptor: trap, getPrototypeOf: trap, has: trap });
    const compiled = compileExpression('a.b === 1 || a.includes("x")');
    expect(compiled.evaluate({ a: proxy })).toBeUndefined();
    expect(compiled.evaluate(proxy)).toBeUndefined();
    expect(compiled.test(proxy)).toBe(false);
    expect(compileExpression('a + 1').evaluate({ a: Symbol('s') })).toBeUndefined();
    expect(compileExpression('a < 1').evaluate({ a: 10n })).toBe(false);
  });
});

describe('very long and deeply nested input', () => {
  it.each([
    ['10,000 nested parentheses', `${'('.repeat(10_000)}a${')'.repeat(10_000)}`, 'characters long'],
    ['4,000 nested parentheses (jsep overflows its stack)', `${'('.repeat(4_000)}a${')'.repeat(4_000)}`, 'nested too deeply'],
    ['4,000 nested lists', `${'['.repeat(4_000)}${']'.repeat(4_000)}`, 'nested too deeply'],
    ['5,000 negations', `${'!'.repeat(5_000)}a`, 'nested more than 500 levels deep'],
    ['a chain of 3,000 ||', Array.from({ length: 3_000 }, () => 'a').join('||'), 'nested more than 500 levels deep'],
    ['a member chain 3,000 long', `a${'.b'.repeat(3_000)}`, 'nested more than 500 levels deep'],
    ['100,000 characters', 'a'.repeat(100_000), 'at most 10000 are allowed'],
  ])('%s gives an ExpressionError', (_label, source, fragment) => {
    expect(compileError(source).message).toContain(fragment);
  });

  it('evaluates the deepest accepted nesting', () => {
    expect(compileExpression(`${'!'.repeat(400)}a`).evaluate({ a: 1 })).toBe(true);
    expect(compileExpression(`${'('.repeat(1_000)}a${')'.repeat(1_000)}`).evaluate({ a: 1 })).toBe(1);
  });
});

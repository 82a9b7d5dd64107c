/**
 * Helpers of the definition parser's specs: the issues an input yields, and small valid definitions
 * to break one thing at a time.
 */
import { expect } from '@jest/globals';
import { DefinitionError, ExpressionError, type DefinitionIssue } from '../../src/errors.js';
import { compileExpression } from '../../src/expression/expression-compiler.js';
import { parseDefinition, type ParseDefinitionOptions } from '../../src/definition/definition-parser.js';

/** The issues of the DefinitionError that parsing `input` throws. @throws Error when it throws none. */
export function issuesOf(input: unknown, options?: ParseDefinitionOptions): DefinitionIssue[] {
  try {
    parseDefinition(input, options);
  } catch (error) {
    if (error instanceof DefinitionError) return error.issues;
    throw error;
  }
  throw new Error('expected a DefinitionError');
}

/** Asserts that `input` yields exactly one issue, at `path`, whose message contains `fragment`. */
export function expectOnly(input: unknown, path: string, fragment: string, options?: ParseDefinitionOptions): void {
  expect(issuesOf(input, options)).toEqual([{ path, message: expect.stringContaining(fragment) }]);
}

/** The compiler's message for `source`, which must not compile. */
export function expressionMessage(source: string): string {
  try {
    compileExpression(source);
  } catch (error) {
    if (error instanceof ExpressionError) return error.message;
    throw error;
  }
  throw new Error(`expected ${source} not to compile`);
}

/** A minimal valid two-step definition; `patch` edits step `a`. */
export const simple = (patch: Record<string, unknown> = {}, top: Record<string, unknown> = {}): Record<string, unknown> => ({
  name: 'wf',
  steps: { a: { action: 'do_a', ...patch }, b: { action: 'do_b' } },
  transitions: [{ from: 'a', to: 'b' }],
  ...top,
});

/** A valid definition with a group `g` of x and y, between `start` and `end`. */
export const grouped = (transitions?: unknown[], groups?: unknown): Record<string, unknown> => ({
  name: 'wf',
  steps: { start: { action: 's' }, x: { action: 'x' }, y: { action: 'y' }, end: { action: 'e' } },
  parallel_groups: groups ?? { g: ['x', 'y'] },
  transitions: transitions ?? [
    { from: 'start', to: 'g' },
    { from: 'g', to: 'end' },
  ],
});

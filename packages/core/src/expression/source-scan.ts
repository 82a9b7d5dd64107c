/**
 * A pass over the raw text before jsep. jsep reads `--a` as `-(-a)` and `++a` as `+(+a)`, which
 * would silently mean something else than the author intended, and it reports `a = 1` only as
 * 'Unexpected "="'; this scan names those operators instead.
 */
import { ExpressionError } from '../errors.js';

/** Characters that, just before `=`, make it a comparison (`==`, `!=`, `<=`, `>=`). */
const COMPARISON_PREFIX = '=!<>';
/** Characters that, just before `=`, make it a compound assignment (`+=`, `&&=`, `??=`, ...). */
const COMPOUND_PREFIX = '+-*/%&|^?';

/** Index just past the string literal that starts at `start` (or the end of the text if unclosed). */
function skipString(source: string, start: number): number {
  const quote = source[start];
  let i = start + 1;
  while (i < source.length && source[i] !== quote) i += source[i] === '\\' ? 2 : 1;
  return i + 1;
}

/** Throws an {@link ExpressionError} for update (`++`, `--`) and assignment operators outside strings. */
export function rejectWritingOperators(source: string): void {
  let i = 0;
  while (i < source.length) {
    const ch = source[i]!;
    if (ch === '"' || ch === "'") {
      i = skipString(source, i);
      continue;
    }
    if ((ch === '+' || ch === '-') && source[i + 1] === ch) {
      throw new ExpressionError(
        `"${ch}${ch}" at character ${i} is not allowed: conditions only read data; to compute, write e.g. x ${ch} 1`,
        source,
        i,
      );
    }
    if (ch === '=') {
      let end = i;
      while (source[end] === '=') end++;
      const comparison = i > 0 && COMPARISON_PREFIX.includes(source[i - 1]!);
      if (end - i === 1 && !comparison && source[end] !== '>') {
        let at = i;
        while (at > 0 && COMPOUND_PREFIX.includes(source[at - 1]!)) at--;
        const operator = source.slice(at, i + 1);
        throw new ExpressionError(
          `${at < i ? 'compound assignment' : 'assignment'} "${operator}" at character ${at} is not allowed: ` +
            'conditions only read data; to compare, use === or !==',
          source,
          at,
        );
      }
      i = end;
      continue;
    }
    i++;
  }
}

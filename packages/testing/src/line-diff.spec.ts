import { describe, expect, it } from '@jest/globals';
import { lineDiff } from './line-diff.js';

describe('lineDiff', () => {
  it('aligns on common lines; expected-only lines come before actual-only ones', () => {
    expect(lineDiff(['a', 'b', 'c'], ['a', 'x', 'c'])).toBe('    a\n  - b\n  + x\n    c');
    expect(lineDiff(['a'], ['a', 'b'])).toBe('    a\n  + b');
    expect(lineDiff(['a', 'b'], [])).toBe('  - a\n  - b');
    expect(lineDiff([], [])).toBe('    (no steps)');
  });
});

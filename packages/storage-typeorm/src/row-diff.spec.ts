import { describe, expect, it } from '@jest/globals';
import { diffRows } from './row-diff.js';

interface Stored {
  k: string;
  v: number;
  lease: string;
}
interface Desired {
  k: string;
  v: number;
}

const diff = (stored: Stored[], desired: Desired[]) =>
  diffRows(stored, desired, (s) => s.k, (d) => d.k, (s, d) => s.v === d.v);

describe('diffRows', () => {
  it('keeps unchanged rows, replaces changed ones, deletes the rest, inserts the new', () => {
    const result = diff(
      [
        { k: 'same', v: 1, lease: 'A' },
        { k: 'changed', v: 1, lease: 'A' },
        { k: 'gone', v: 1, lease: 'A' },
      ],
      [
        { k: 'same', v: 1 },
        { k: 'changed', v: 2 },
        { k: 'new', v: 1 },
      ],
    );
    expect(result.deletes.map((r) => r.k).sort()).toEqual(['changed', 'gone']);
    expect(result.inserts.map((r) => r.k).sort()).toEqual(['changed', 'new']);
  });

  it('handles empty sides', () => {
    expect(diff([], [])).toEqual({ deletes: [], inserts: [] });
    expect(diff([{ k: 'a', v: 1, lease: 'x' }], [])).toEqual({ deletes: [{ k: 'a', v: 1, lease: 'x' }], inserts: [] });
    expect(diff([], [{ k: 'a', v: 1 }])).toEqual({ deletes: [], inserts: [{ k: 'a', v: 1 }] });
  });
});

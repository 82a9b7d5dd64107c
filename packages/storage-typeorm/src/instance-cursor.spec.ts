import { describe, expect, it } from '@jest/globals';
import { decodeCursor, encodeCursor } from './instance-cursor.js';

describe('instance cursors', () => {
  it('round-trip the (createdAt, id) key, ids with colons included', () => {
    const cursor = encodeCursor({ createdAt: 1_700_000_000_123, id: 'Order/42:Ä' });
    expect(cursor).toBe(Buffer.from('1700000000123:Order/42:Ä').toString('base64url')); // core's format
    expect(decodeCursor(cursor)).toEqual({ createdAt: 1_700_000_000_123, id: 'Order/42:Ä' });
  });

  it('refuse a cursor they did not make', () => {
    expect(() => decodeCursor('not-a-cursor')).toThrow(expect.objectContaining({ code: 'WF_INPUT_INVALID' }));
  });
});

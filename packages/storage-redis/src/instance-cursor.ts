/** The order Redis sorts index members in; the cursor format itself is core's. */
import type { CursorKey } from '@workflow-mastery/core/storage-kit';

export { decodeCursor, encodeCursor, type CursorKey } from '@workflow-mastery/core/storage-kit';

/**
 * Redis orders members of equal score by their bytes, so ids compare as UTF-8 bytes here (the
 * same as JavaScript's `<` except between astral characters and U+E000..U+FFFF).
 */
export function compareIds(a: string, b: string): number {
  return a === b ? 0 : Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/** Order of (createdAt, id). */
export function compareKeys(a: CursorKey, b: CursorKey): number {
  return a.createdAt - b.createdAt || compareIds(a.id, b.id);
}

/**
 * Page cursors of `listInstances`: the (createdAt, id) of the last item, in the same format as
 * core's in-memory storages, and the order Redis sorts index members in.
 */
import { ErrorCode, WorkflowError, type InstanceRecord } from '@workflow-mastery/core';

/** The sort key of an instance in the indexes. */
export interface CursorKey {
  createdAt: number;
  id: string;
}

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

/** A cursor is the key of the last item (not an offset), so pages stay stable under inserts. */
export function encodeCursor(record: InstanceRecord): string {
  return Buffer.from(`${record.createdAt}:${record.id}`).toString('base64url');
}

/** @throws WorkflowError (WF_INPUT_INVALID) when `cursor` was not made by {@link encodeCursor}. */
export function decodeCursor(cursor: string): CursorKey {
  const text = Buffer.from(cursor, 'base64url').toString();
  const colon = text.indexOf(':');
  const createdAt = colon > 0 ? Number(text.slice(0, colon)) : Number.NaN;
  if (!Number.isFinite(createdAt)) {
    throw new WorkflowError(ErrorCode.InputInvalid, `Invalid cursor "${cursor}": pass the nextCursor of a previous page unchanged.`, {
      cursor,
    });
  }
  return { createdAt, id: text.slice(colon + 1) };
}

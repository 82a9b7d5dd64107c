/**
 * Page cursors of `listInstances`: the (createdAt, id) key of the last item, base64url-encoded.
 * Every adapter uses this format, so a cursor means the same thing on all of them.
 */
import { ErrorCode, WorkflowError } from '../errors.js';
import type { InstanceRecord } from '../model/instance.types.js';

/** Position of an instance in (createdAt, id) order. */
export interface CursorKey {
  createdAt: number;
  id: string;
}

/** A cursor is the key of the last item (not an offset), so pages stay stable under inserts. */
export function encodeCursor(record: Pick<InstanceRecord, 'createdAt' | 'id'>): string {
  return Buffer.from(`${record.createdAt}:${record.id}`).toString('base64url');
}

/** @throws WorkflowError (WF_INPUT_INVALID) when `cursor` was not made by {@link encodeCursor}. */
export function decodeCursor(cursor: string): CursorKey {
  const text = Buffer.from(cursor, 'base64url').toString();
  const colon = text.indexOf(':');
  const createdAt = colon > 0 ? Number(text.slice(0, colon)) : Number.NaN;
  if (!Number.isFinite(createdAt)) {
    throw new WorkflowError(ErrorCode.InputInvalid, `Invalid cursor "${cursor}": pass the nextCursor of a previous page unchanged.`, { cursor });
  }
  return { createdAt, id: text.slice(colon + 1) };
}

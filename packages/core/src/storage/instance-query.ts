/**
 * Listing and timer scans over records held in memory; shared by the memory and file storages,
 * which both keep every record in a Map.
 */
import type { InstanceRecord } from '../model/instance.types.js';
import type { DueTimer, InstancePage, InstanceQuery } from './storage-adapter.js';
import { decodeCursor, encodeCursor, type CursorKey } from './instance-cursor.js';
import { matchesSearch } from './retention-checks.js';

function compareKeys(a: CursorKey, b: CursorKey): number {
  if (a.createdAt !== b.createdAt) return a.createdAt - b.createdAt;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** One page of `records` matching `query`, ordered by creation time then id. */
export function queryInstances(records: Iterable<InstanceRecord>, query: InstanceQuery = {}): InstancePage {
  const { definitionName, state, createdAfter, createdBefore } = query;
  const desc = query.order !== 'asc';
  const limit = query.limit === undefined ? 100 : Math.max(1, Math.floor(query.limit) || 1);
  const states = Array.isArray(state) ? new Set(state) : undefined;
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
  const matches: InstanceRecord[] = [];
  for (const r of records) {
    if (definitionName !== undefined && r.definitionName !== definitionName) continue;
    if (states ? !states.has(r.state) : state !== undefined && r.state !== state) continue;
    if (createdAfter !== undefined && r.createdAt < createdAfter) continue;
    if (createdBefore !== undefined && r.createdAt >= createdBefore) continue;
    if ((query.businessKey !== undefined || query.attributes !== undefined) && !matchesSearch(r, query)) continue;
    if (after !== undefined && (desc ? compareKeys(r, after) >= 0 : compareKeys(r, after) <= 0)) continue;
    matches.push(r);
  }
  matches.sort(desc ? (a, b) => compareKeys(b, a) : compareKeys);
  if (matches.length <= limit) return { items: matches };
  const items = matches.slice(0, limit);
  return { items, nextCursor: encodeCursor(items[items.length - 1]!) };
}

/**
 * Timers due at or before `before`, earliest first. Only the ids in `withTimers` are scanned:
 * adapters keep that set to the instances whose `timers` are non-empty.
 */
export function collectDueTimers(
  records: ReadonlyMap<string, InstanceRecord>,
  withTimers: Iterable<string>,
  before: number,
  limit?: number,
): DueTimer[] {
  const due: DueTimer[] = [];
  for (const instanceId of withTimers) {
    const record = records.get(instanceId);
    if (!record) continue;
    for (const timer of record.timers) if (timer.fireAt <= before) due.push({ instanceId, timer });
  }
  due.sort(
    (a, b) =>
      a.timer.fireAt - b.timer.fireAt ||
      (a.instanceId < b.instanceId ? -1 : a.instanceId > b.instanceId ? 1 : 0) ||
      (a.timer.id < b.timer.id ? -1 : a.timer.id > b.timer.id ? 1 : 0),
  );
  return limit === undefined ? due : due.slice(0, Math.max(0, limit));
}

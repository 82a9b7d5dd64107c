/**
 * `listInstances` over the createdAt-scored indexes: the narrowest index is scanned in order from
 * the cursor, records are loaded in batches and filtered, and a list of states merges one scan per
 * state; a business key or attribute filter scans that index instead. Same results as core's MemoryStorage (filters, order by createdAt then id, cursor).
 */
import type { InstancePage, InstanceQuery, InstanceRecord, InstanceState } from '@workflow-mastery/core';
import { matchesSearch } from '@workflow-mastery/core/storage-kit';
import type { Redis } from 'ioredis';
import { compareIds, compareKeys, decodeCursor, encodeCursor, type CursorKey } from './instance-cursor.js';
import { redisLostError } from './redis-connection.js';
import type { RedisKeys } from './redis-keys.js';
import { parseRecord } from './stored-values.js';

/** Loads records by id (undefined when gone). */
export type RecordLoader = (ids: string[]) => Promise<Array<InstanceRecord | undefined>>;

/**
 * A {@link RecordLoader} reading the records in one pipeline through `run` (which reports a lost
 * connection); a command that failed in the pipeline is reported as a lost connection to `where`.
 */
export function recordLoader(redis: Redis, keys: RedisKeys, run: <T>(work: () => Promise<T>) => Promise<T>, where: string): RecordLoader {
  return async (ids) => {
    if (ids.length === 0) return [];
    const pipeline = redis.pipeline();
    for (const id of ids) pipeline.hget(keys.instance(id), 'rec');
    const replies = (await run(() => pipeline.exec())) ?? [];
    return ids.map((id, i) => {
      const [error, raw] = replies[i] ?? [new Error('Redis returned no reply'), null];
      if (error) throw redisLostError(where, error);
      return raw === null || raw === undefined ? undefined : parseRecord(raw as string, keys.instance(id));
    });
  };
}

interface Scan {
  desc: boolean;
  /** Score bounds as ZRANGEBYSCORE takes them. */
  min: string;
  max: string;
  after?: CursorKey;
  /** Items wanted: the page size + 1 (to know whether more follow). */
  want: number;
  accept: (record: InstanceRecord) => boolean;
}

const BATCH_MIN = 50;

/** Up to `scan.want` accepted records of one index, in index order. */
async function scanIndex(redis: Redis, key: string, scan: Scan, load: RecordLoader): Promise<InstanceRecord[]> {
  const found: InstanceRecord[] = [];
  const batch = Math.max(BATCH_MIN, scan.want);
  let offset = 0;
  for (;;) {
    const reply = scan.desc
      ? await redis.zrevrangebyscore(key, scan.max, scan.min, 'WITHSCORES', 'LIMIT', offset, batch)
      : await redis.zrangebyscore(key, scan.min, scan.max, 'WITHSCORES', 'LIMIT', offset, batch);
    const ids: string[] = [];
    for (let i = 0; i < reply.length; i += 2) {
      const id = reply[i]!;
      const score = Number(reply[i + 1]);
      const { after } = scan;
      if (after !== undefined && score === after.createdAt) {
        const c = compareIds(id, after.id);
        if (scan.desc ? c >= 0 : c <= 0) continue;
      }
      ids.push(id);
    }
    const records = await load(ids);
    for (const record of records) {
      if (record !== undefined && scan.accept(record)) {
        found.push(record);
        if (found.length >= scan.want) return found;
      }
    }
    if (reply.length < batch * 2) return found;
    offset += batch;
  }
}

/** One page of instances matching `query`. */
export async function listInstances(redis: Redis, keys: RedisKeys, load: RecordLoader, query: InstanceQuery = {}): Promise<InstancePage> {
  const { definitionName, state, createdAfter, createdBefore } = query;
  const desc = query.order !== 'asc';
  const limit = query.limit === undefined ? 100 : Math.max(1, Math.floor(query.limit) || 1);
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
  const states: InstanceState[] | undefined = state === undefined ? undefined : Array.isArray(state) ? [...new Set(state)] : [state];
  if (states !== undefined && states.length === 0) return { items: [] };

  // Score range: [createdAfter, createdBefore), narrowed to the cursor's side (ties by id below).
  let min = createdAfter === undefined ? '-inf' : String(createdAfter);
  let max = createdBefore === undefined ? '+inf' : `(${createdBefore}`;
  if (after !== undefined) {
    if (!desc && (createdAfter === undefined || after.createdAt > createdAfter)) min = String(after.createdAt);
    if (desc && (createdBefore === undefined || after.createdAt < createdBefore)) max = String(after.createdAt);
  }

  const stateSet = states === undefined ? undefined : new Set<string>(states);
  const accept = (r: InstanceRecord): boolean =>
    (definitionName === undefined || r.definitionName === definitionName) &&
    (stateSet === undefined || stateSet.has(r.state)) &&
    (createdAfter === undefined || r.createdAt >= createdAfter) &&
    (createdBefore === undefined || r.createdAt < createdBefore) &&
    (after === undefined || (desc ? compareKeys(r, after) < 0 : compareKeys(r, after) > 0)) &&
    matchesSearch(r, query);
  const scan: Scan = { desc, min, max, want: limit + 1, accept, ...(after ? { after } : {}) };

  const indexes =
    (await searchIndex(redis, keys, query)) ??
    (definitionName !== undefined ? [keys.definition(definitionName)] : states !== undefined ? states.map((s) => keys.state(s)) : [keys.all]);
  const found = (await Promise.all(indexes.map((key) => scanIndex(redis, key, scan, load)))).flat();

  // Merge the scans (an instance that changed state between them may show twice).
  const seen = new Set<string>();
  const merged = found
    .sort(desc ? (a, b) => compareKeys(b, a) : compareKeys)
    .filter((r) => (seen.has(r.id) ? false : (seen.add(r.id), true)));
  if (merged.length <= limit) return { items: merged };
  const items = merged.slice(0, limit);
  return { items, nextCursor: encodeCursor(items[items.length - 1]!) };
}

/** The index of the query's business key, else of its attribute value with the fewest instances; undefined without either. */
async function searchIndex(redis: Redis, keys: RedisKeys, query: InstanceQuery): Promise<string[] | undefined> {
  if (query.businessKey !== undefined) return [keys.businessKey(query.businessKey)];
  const candidates = Object.entries(query.attributes ?? {}).map(([name, value]) => keys.attribute(name, String(value)));
  if (candidates.length <= 1) return candidates.length === 0 ? undefined : candidates;
  const sizes = await Promise.all(candidates.map((key) => redis.zcard(key)));
  return [candidates[sizes.indexOf(Math.min(...sizes))]!];
}

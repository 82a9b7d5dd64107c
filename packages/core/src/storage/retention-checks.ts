/**
 * What every storage decides the same way about retention, business keys and search attributes:
 * which records a purge may take, which unfinished instance holds a unique business key, and
 * whether a record matches a query's business key and attributes.
 */
import { BusinessKeyTakenError } from '../errors.js';
import { isTerminal, type InstanceRecord } from '../model/instance.types.js';
import type { InstanceQuery, PurgeCandidate } from './storage-adapter.js';

/** True when `record` is finished and its `purgeAfter` has passed at `now`. */
export function isPurgeable(record: InstanceRecord, now: number): boolean {
  return record.purgeAfter !== undefined && record.purgeAfter <= now && isTerminal(record.state);
}

/** The candidate entry of a purgeable record. */
export function purgeCandidate(record: InstanceRecord): PurgeCandidate {
  return { id: record.id, version: record.version, definitionName: record.definitionName, purgeAfter: record.purgeAfter! };
}

/** Earliest `purgeAfter` first, then id. */
export function comparePurgeCandidates(a: PurgeCandidate, b: PurgeCandidate): number {
  return a.purgeAfter - b.purgeAfter || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** The key under which a storage indexes a business key: definition name and key, unambiguous. */
export function businessKeyIndexKey(definitionName: string, businessKey: string): string {
  return JSON.stringify([definitionName, businessKey]);
}

/**
 * For a new record asking for a unique business key: throws {@link BusinessKeyTakenError} when one of
 * `holders` (records of the same definition and key) is unfinished.
 */
export function checkBusinessKeyFree(record: InstanceRecord, holders: Iterable<InstanceRecord | undefined>): void {
  if (!record.uniqueBusinessKey || record.businessKey === undefined) return;
  for (const holder of holders) {
    if (holder && holder.id !== record.id && !isTerminal(holder.state)) {
      throw new BusinessKeyTakenError(record.definitionName, record.businessKey, holder.id);
    }
  }
}

/** Whether `record` matches the query's `businessKey` and `attributes` (other filters aside). */
export function matchesSearch(record: InstanceRecord, query: Pick<InstanceQuery, 'businessKey' | 'attributes'>): boolean {
  if (query.businessKey !== undefined && record.businessKey !== query.businessKey) return false;
  if (query.attributes) {
    for (const [name, value] of Object.entries(query.attributes)) {
      if (record.attributes?.[name] !== String(value)) return false;
    }
  }
  return true;
}

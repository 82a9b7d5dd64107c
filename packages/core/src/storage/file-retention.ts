/**
 * What a {@link FileStorage} keeps in memory for retention and unique business keys: which
 * records hold a unique business key, which are finished (the purge's candidates), and the
 * idempotency key of each instance (so that a purge deletes its key file). Rebuilt from the
 * records at open; nothing of it is written apart from the records themselves.
 */
import { isTerminal, type InstanceRecord } from '../model/instance.types.js';
import { businessKeyIndexKey, checkBusinessKeyFree, comparePurgeCandidates, isPurgeable, purgeCandidate } from './retention-checks.js';
import type { PurgeCandidate } from './storage-adapter.js';

/** The retention and business key indexes of one open directory. */
export class RetentionIndex {
  /** Ids of records (stored, or being created) asking for a unique business key, by {@link businessKeyIndexKey}. */
  private readonly businessKeys = new Map<string, Set<string>>();
  /** Ids of finished records. */
  private readonly finished = new Set<string>();
  /** Instance id → its idempotency key. */
  private readonly keyOf = new Map<string, string>();

  constructor(
    /** The current record of an id: stored, or being created. */
    private readonly lookup: (id: string) => InstanceRecord | undefined,
  ) {}

  /** Indexes the records and idempotency keys (key → id) of a directory just loaded. */
  load(records: Iterable<InstanceRecord>, keys: ReadonlyMap<string, string>): void {
    for (const record of records) {
      this.committed(record);
      const keyIndex = this.keyIndexOf(record);
      if (keyIndex !== undefined) this.holders(keyIndex).add(record.id);
    }
    for (const [key, id] of keys) this.keyOf.set(id, key);
  }

  /**
   * For a create about to be written: takes its unique business key (synchronously, so that
   * concurrent creates of this process see it).
   * @throws BusinessKeyTakenError when an unfinished record (or one being created) holds it.
   */
  claimBusinessKey(record: InstanceRecord): void {
    const keyIndex = this.keyIndexOf(record);
    if (keyIndex === undefined) return;
    const holders = this.holders(keyIndex);
    for (const id of holders) {
      const holder = this.lookup(id);
      if (!holder || isTerminal(holder.state)) holders.delete(id);
    }
    checkBusinessKeyFree(record, [...holders].map(this.lookup));
    holders.add(record.id);
  }

  /** Undoes {@link claimBusinessKey} for a create that did not happen. */
  releaseBusinessKey(record: InstanceRecord): void {
    const keyIndex = this.keyIndexOf(record);
    if (keyIndex === undefined) return;
    const holders = this.businessKeys.get(keyIndex);
    holders?.delete(record.id);
    if (holders?.size === 0) this.businessKeys.delete(keyIndex);
  }

  /** Records a stored record (a create or a commit): whether it is finished, and its idempotency key. */
  committed(record: InstanceRecord, idempotencyKey?: string): void {
    if (isTerminal(record.state)) this.finished.add(record.id);
    else this.finished.delete(record.id);
    if (idempotencyKey !== undefined) this.keyOf.set(record.id, idempotencyKey);
  }

  /** The idempotency key an instance was created with, if any. */
  idempotencyKeyOf(id: string): string | undefined {
    return this.keyOf.get(id);
  }

  /** Forgets a deleted record. */
  removed(record: InstanceRecord): void {
    this.finished.delete(record.id);
    this.keyOf.delete(record.id);
    this.releaseBusinessKey(record);
  }

  /** See {@link StorageAdapter.findPurgeable}. */
  findPurgeable(now: number, limit: number): PurgeCandidate[] {
    const candidates: PurgeCandidate[] = [];
    for (const id of this.finished) {
      const record = this.lookup(id);
      if (record && isPurgeable(record, now)) candidates.push(purgeCandidate(record));
    }
    return candidates.sort(comparePurgeCandidates).slice(0, Math.max(0, limit));
  }

  private keyIndexOf(record: InstanceRecord): string | undefined {
    return record.uniqueBusinessKey && record.businessKey !== undefined ? businessKeyIndexKey(record.definitionName, record.businessKey) : undefined;
  }

  private holders(keyIndex: string): Set<string> {
    let holders = this.businessKeys.get(keyIndex);
    if (!holders) this.businessKeys.set(keyIndex, (holders = new Set()));
    return holders;
  }
}

/**
 * In-process storage: the default for tests and the hot path of the benchmark, so it copies
 * nothing. Records are kept by reference, as the {@link StorageAdapter} contract allows.
 */
import { isTerminal, type HistoryEvent, type InstanceRecord } from '../model/instance.types.js';
import { ErrorCode, WorkflowError } from '../errors.js';
import { checkCommit, checkNewInstance, duplicateIdError } from './commit-checks.js';
import { checkStoredDefinition, DefinitionMap } from './definition-store.js';
import { checkMaxPayloadBytes, checkPayloadSize } from './payload-checks.js';
import { collectDueTimers, queryInstances } from './instance-query.js';
import { businessKeyIndexKey, checkBusinessKeyFree, comparePurgeCandidates, isPurgeable, purgeCandidate } from './retention-checks.js';
import type {
  Commit,
  CreateResult,
  DueTimer,
  InstancePage,
  InstanceQuery,
  HistoryRewrite,
  PurgeCandidate,
  StorageAdapter,
  StoredDefinition,
  StoredDefinitionSummary,
} from './storage-adapter.js';

/** Options of {@link MemoryStorage}. */
export interface MemoryStorageOptions {
  /**
   * Largest JSON (UTF-8 bytes) of an instance record or an event's data: larger is refused with
   * `WF_PAYLOAD_TOO_LARGE` (and the engine checks data where it enters against it).
   * @defaultValue none: memory storage keeps values by reference and sets no limit
   */
  maxPayloadBytes?: number;
  /**
   * Most finished (COMPLETED, FAILED, CANCELLED) instances kept: when one more finishes, the one
   * that finished first is dropped with its history, whatever its retention. Unfinished instances
   * are never dropped. @defaultValue none: finished instances stay until purged
   */
  maxFinishedInstances?: number;
}

/**
 * Non-durable {@link StorageAdapter}. `close()` keeps the data, so tests can simulate a process
 * restart by handing the same MemoryStorage to a new engine.
 */
export class MemoryStorage implements StorageAdapter {
  private readonly records = new Map<string, InstanceRecord>();
  private readonly histories = new Map<string, HistoryEvent[]>();
  private readonly keys = new Map<string, string>();
  /** Instance id → its idempotency key, so that a purge frees the key. */
  private readonly keyOf = new Map<string, string>();
  /** Ids whose record has timers: keeps {@link dueTimers} from scanning every instance. */
  private readonly withTimers = new Set<string>();
  private readonly definitions = new DefinitionMap();
  /** Ids of records with a unique business key, by {@link businessKeyIndexKey}. */
  private readonly businessKeys = new Map<string, Set<string>>();
  /** Finished ids, in the order they finished: the purge's and the size cap's candidates. */
  private readonly finished = new Set<string>();
  private readonly maxFinished?: number;
  /** Largest JSON (UTF-8 bytes) of a record or an event's data; undefined: no limit (the default). */
  readonly maxPayloadBytes?: number;

  constructor(options: MemoryStorageOptions = {}) {
    const limit = checkMaxPayloadBytes(options.maxPayloadBytes, 'MemoryStorage');
    if (limit !== undefined) this.maxPayloadBytes = limit;
    const cap = options.maxFinishedInstances;
    if (cap !== undefined) {
      if (!Number.isInteger(cap) || cap < 0) {
        throw new WorkflowError(
          ErrorCode.InputInvalid,
          `new MemoryStorage({ maxFinishedInstances }): maxFinishedInstances must be a whole number >= 0; got ${String(cap)}. Leave it out to keep every finished instance.`,
          { maxFinishedInstances: cap },
        );
      }
      this.maxFinished = cap;
    }
  }

  async init(): Promise<void> {}

  async createInstance(instance: InstanceRecord, events: HistoryEvent[], idempotencyKey?: string): Promise<CreateResult> {
    if (idempotencyKey !== undefined) {
      const existingId = this.keys.get(idempotencyKey);
      if (existingId !== undefined) return { created: false, instance: this.records.get(existingId)! };
    }
    checkNewInstance(instance, events);
    checkPayloadSize(instance, events, this.maxPayloadBytes);
    const existing = this.records.get(instance.id);
    if (existing) throw duplicateIdError(existing);
    const keyIndex = instance.uniqueBusinessKey ? businessKeyIndexKey(instance.definitionName, instance.businessKey!) : undefined;
    if (keyIndex !== undefined) {
      const holders = this.businessKeys.get(keyIndex);
      if (holders) {
        for (const id of holders) if (!this.records.has(id) || isTerminal(this.records.get(id)!.state)) holders.delete(id);
        checkBusinessKeyFree(instance, [...holders].map((id) => this.records.get(id)));
      }
      if (holders) holders.add(instance.id);
      else this.businessKeys.set(keyIndex, new Set([instance.id]));
    }
    this.records.set(instance.id, instance);
    this.histories.set(instance.id, events.slice());
    if (idempotencyKey !== undefined) {
      this.keys.set(idempotencyKey, instance.id);
      this.keyOf.set(instance.id, idempotencyKey);
    }
    if (instance.timers.length > 0) this.withTimers.add(instance.id);
    if (isTerminal(instance.state)) this.markFinished(instance.id);
    return { created: true, instance };
  }

  async commit(commit: Commit): Promise<void> {
    this.apply(commit);
  }

  async commitMany(commits: Commit[]): Promise<Array<Error | undefined>> {
    return commits.map((commit) => {
      try {
        this.apply(commit);
        return undefined;
      } catch (error) {
        return error instanceof Error ? error : new Error(String(error));
      }
    });
  }

  private apply(commit: Commit): void {
    const { instance, events } = commit;
    const id = instance.id;
    checkCommit(this.records.get(id), commit);
    checkPayloadSize(commit.instance, commit.events, this.maxPayloadBytes);
    this.records.set(id, instance);
    if (events.length > 0) {
      const history = this.histories.get(id)!;
      for (const event of events) history.push(event);
    }
    if (instance.timers.length > 0) this.withTimers.add(id);
    else this.withTimers.delete(id);
    if (isTerminal(instance.state)) this.markFinished(id);
    else this.finished.delete(id);
  }

  private markFinished(id: string): void {
    if (this.finished.has(id)) return;
    this.finished.add(id);
    if (this.maxFinished !== undefined && this.finished.size > this.maxFinished) this.evictOldestFinished();
  }

  /** Drops finished records beyond `maxFinishedInstances`, those that finished first first. */
  private evictOldestFinished(): void {
    for (const id of this.finished) {
      if (this.finished.size <= this.maxFinished!) return;
      this.remove(id);
    }
  }

  /** Deletes a record and everything kept for it. */
  private remove(id: string): void {
    const record = this.records.get(id);
    if (!record) return;
    this.records.delete(id);
    this.histories.delete(id);
    this.withTimers.delete(id);
    this.finished.delete(id);
    const key = this.keyOf.get(id);
    if (key !== undefined) {
      this.keyOf.delete(id);
      this.keys.delete(key);
    }
    if (record.uniqueBusinessKey) {
      const keyIndex = businessKeyIndexKey(record.definitionName, record.businessKey!);
      const holders = this.businessKeys.get(keyIndex);
      holders?.delete(id);
      if (holders?.size === 0) this.businessKeys.delete(keyIndex);
    }
  }

  async findPurgeable(now: number, limit: number): Promise<PurgeCandidate[]> {
    const candidates: PurgeCandidate[] = [];
    for (const id of this.finished) {
      const record = this.records.get(id);
      if (record && isPurgeable(record, now)) candidates.push(purgeCandidate(record));
    }
    return candidates.sort(comparePurgeCandidates).slice(0, Math.max(0, limit));
  }

  async purgeInstances(candidates: ReadonlyArray<Pick<PurgeCandidate, 'id' | 'version'>>): Promise<string[]> {
    const purged: string[] = [];
    for (const { id, version } of candidates) {
      const record = this.records.get(id);
      if (!record || record.version !== version || !isTerminal(record.state)) continue;
      this.remove(id);
      purged.push(id);
    }
    return purged;
  }

  async getInstance(id: string): Promise<InstanceRecord | undefined> {
    return this.records.get(id);
  }

  async findByIdempotencyKey(key: string): Promise<InstanceRecord | undefined> {
    const id = this.keys.get(key);
    return id === undefined ? undefined : this.records.get(id);
  }

  async listInstances(query?: InstanceQuery): Promise<InstancePage> {
    return queryInstances(this.records.values(), query);
  }

  /** Seq is gap-free from 1, so event `seq` sits at index `seq - 1`. */
  async getHistory(id: string, afterSeq = 0): Promise<HistoryEvent[]> {
    return this.histories.get(id)?.slice(Math.max(0, afterSeq)) ?? [];
  }

  /** Replaces the events (new objects: ones handed out earlier stay as they were). */
  async rewriteHistory(instanceId: string, rewrites: HistoryRewrite[]): Promise<void> {
    const history = this.histories.get(instanceId);
    if (!history) return;
    for (const { seq, data } of rewrites) {
      const event = history[seq - 1];
      if (event?.seq === seq) history[seq - 1] = { ...event, data };
    }
  }

  async dueTimers(before: number, limit?: number): Promise<DueTimer[]> {
    return collectDueTimers(this.records, this.withTimers, before, limit);
  }

  async saveDefinition(definition: StoredDefinition): Promise<StoredDefinition> {
    checkStoredDefinition(definition);
    return this.definitions.putIfAbsent(definition);
  }

  async getDefinition(name: string, version: string): Promise<StoredDefinition | undefined> {
    return this.definitions.get(name, version);
  }

  async listDefinitions(name?: string): Promise<StoredDefinitionSummary[]> {
    return this.definitions.list(name);
  }

  /** Keeps the data (see the class comment). */
  async close(): Promise<void> {}
}

/**
 * In-process storage: the default for tests and the hot path of the benchmark, so it copies
 * nothing. Records are kept by reference, as the {@link StorageAdapter} contract allows.
 */
import type { HistoryEvent, InstanceRecord } from '../model/instance.types.js';
import { checkCommit, checkNewInstance, duplicateIdError } from './commit-checks.js';
import { checkStoredDefinition, DefinitionMap } from './definition-store.js';
import { checkMaxPayloadBytes, checkPayloadSize } from './payload-checks.js';
import { collectDueTimers, queryInstances } from './instance-query.js';
import type {
  Commit,
  CreateResult,
  DueTimer,
  InstancePage,
  InstanceQuery,
  HistoryRewrite,
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
}

/**
 * Non-durable {@link StorageAdapter}. `close()` keeps the data, so tests can simulate a process
 * restart by handing the same MemoryStorage to a new engine.
 */
export class MemoryStorage implements StorageAdapter {
  private readonly records = new Map<string, InstanceRecord>();
  private readonly histories = new Map<string, HistoryEvent[]>();
  private readonly keys = new Map<string, string>();
  /** Ids whose record has timers: keeps {@link dueTimers} from scanning every instance. */
  private readonly withTimers = new Set<string>();
  private readonly definitions = new DefinitionMap();
  /** Largest JSON (UTF-8 bytes) of a record or an event's data; undefined: no limit (the default). */
  readonly maxPayloadBytes?: number;

  constructor(options: MemoryStorageOptions = {}) {
    const limit = checkMaxPayloadBytes(options.maxPayloadBytes, 'MemoryStorage');
    if (limit !== undefined) this.maxPayloadBytes = limit;
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
    this.records.set(instance.id, instance);
    this.histories.set(instance.id, events.slice());
    if (idempotencyKey !== undefined) this.keys.set(idempotencyKey, instance.id);
    if (instance.timers.length > 0) this.withTimers.add(instance.id);
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

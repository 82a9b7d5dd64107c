/**
 * The shape every value-changing storage wrapper shares ({@link EncryptedStorage},
 * {@link PayloadStoreStorage}): a {@link StorageAdapter} over another that changes the values of
 * records and events on their way in (`encode*`) and back on their way out (`decode*`), and passes
 * everything else through: leasing, timers, definitions, group-commit settings.
 */
import type { HistoryEvent, InstanceRecord } from '../model/instance.types.js';
import type {
  ClaimedWork,
  Commit,
  CreateResult,
  DueTimer,
  InstancePage,
  InstanceQuery,
  Lease,
  PurgeCandidate,
  StorageAdapter,
  StoredDefinition,
  StoredDefinitionSummary,
} from './storage-adapter.js';

type Maybe<T> = T | Promise<T>;

/** A storage wrapper that encodes what it stores and decodes what it reads; the rest passes through. */
export abstract class CodecStorage implements StorageAdapter {
  declare readonly commitMany?: (commits: Commit[]) => Promise<Array<Error | undefined>>;
  declare readonly claimWork?: (lease: Lease, now: number, limit: number) => Promise<ClaimedWork[]>;
  declare readonly renewLeases?: (lease: Lease, items: ClaimedWork[]) => Promise<void>;
  declare readonly findPurgeable?: (now: number, limit: number) => Promise<PurgeCandidate[]>;
  declare readonly purgeInstances?: (candidates: ReadonlyArray<Pick<PurgeCandidate, 'id' | 'version'>>) => Promise<string[]>;
  declare readonly acquireLease?: (name: string, lease: Lease, now: number) => Promise<boolean>;
  declare readonly prefersGroupCommit?: boolean;
  declare readonly groupCommitWriters?: number;
  declare readonly maxPayloadBytes?: number;

  /** `wrapper` names the subclass in the message when `inner` is not a storage. */
  constructor(
    /** The adapter that stores the encoded records. */
    readonly inner: StorageAdapter,
    wrapper: string,
  ) {
    if (typeof inner !== 'object' || inner === null || typeof inner.createInstance !== 'function') {
      throw new TypeError(`new ${wrapper}(inner, options): inner must be a StorageAdapter, e.g. new MemoryStorage().`);
    }
    const self = this as { -readonly [K in keyof CodecStorage]: CodecStorage[K] };
    if (inner.commitMany) self.commitMany = (commits) => this.encodedCommitMany(commits);
    if (inner.claimWork) self.claimWork = (lease, now, limit) => inner.claimWork!(lease, now, limit);
    if (inner.renewLeases) self.renewLeases = (lease, items) => inner.renewLeases!(lease, items);
    // Retention works on what is stored in clear (state, purgeAfter): passed through.
    if (inner.findPurgeable && inner.purgeInstances) {
      self.findPurgeable = (now, limit) => inner.findPurgeable!(now, limit);
      self.purgeInstances = (candidates) => inner.purgeInstances!(candidates);
    }
    if (inner.acquireLease) self.acquireLease = (name, lease, now) => inner.acquireLease!(name, lease, now);
    if (inner.prefersGroupCommit !== undefined) self.prefersGroupCommit = inner.prefersGroupCommit;
    if (inner.groupCommitWriters !== undefined) self.groupCommitWriters = inner.groupCommitWriters;
  }

  /** A record as it is stored. */
  protected abstract encodeRecord(record: InstanceRecord): Maybe<InstanceRecord>;
  /** A stored record as callers see it (a copy they may keep). */
  protected abstract decodeRecord(stored: InstanceRecord): Maybe<InstanceRecord>;
  protected abstract encodeEvent(event: HistoryEvent): Maybe<HistoryEvent>;
  protected abstract decodeEvent(stored: HistoryEvent): Maybe<HistoryEvent>;

  private async encodeCommit(commit: Commit): Promise<Commit> {
    const [instance, events] = await Promise.all([this.encodeRecord(commit.instance), Promise.all(commit.events.map((e) => this.encodeEvent(e)))]);
    return { ...commit, instance, events };
  }

  /** Commits that cannot be encoded fail on their own; the others go to the inner `commitMany`. */
  private async encodedCommitMany(commits: Commit[]): Promise<Array<Error | undefined>> {
    const prepared = await Promise.all(commits.map((c) => this.encodeCommit(c).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))))));
    const sent = prepared.flatMap((p, i) => (p instanceof Error ? [] : [i]));
    const results: Array<Error | undefined> = prepared.map((p) => (p instanceof Error ? p : undefined));
    if (sent.length > 0) {
      const innerResults = await this.inner.commitMany!(sent.map((i) => prepared[i] as Commit));
      sent.forEach((index, k) => (results[index] = innerResults[k]));
    }
    return results;
  }

  async init(): Promise<void> {
    await this.inner.init?.();
  }

  async createInstance(instance: InstanceRecord, events: HistoryEvent[], idempotencyKey?: string, lease?: Lease): Promise<CreateResult> {
    const [stored, storedEvents] = await Promise.all([this.encodeRecord(instance), Promise.all(events.map((e) => this.encodeEvent(e)))]);
    const result = await this.inner.createInstance(stored, storedEvents, idempotencyKey, lease);
    return result.created ? { created: true, instance } : { created: false, instance: await this.decodeRecord(result.instance) };
  }

  async commit(commit: Commit): Promise<void> {
    await this.inner.commit(await this.encodeCommit(commit));
  }

  async getInstance(id: string): Promise<InstanceRecord | undefined> {
    const stored = await this.inner.getInstance(id);
    return stored && this.decodeRecord(stored);
  }

  async findByIdempotencyKey(key: string): Promise<InstanceRecord | undefined> {
    const stored = await this.inner.findByIdempotencyKey(key);
    return stored && this.decodeRecord(stored);
  }

  async listInstances(query?: InstanceQuery): Promise<InstancePage> {
    const page = await this.inner.listInstances(query);
    const items = await Promise.all(page.items.map((r) => this.decodeRecord(r)));
    return page.nextCursor === undefined ? { items } : { items, nextCursor: page.nextCursor };
  }

  async getHistory(id: string, afterSeq?: number): Promise<HistoryEvent[]> {
    return Promise.all((await this.inner.getHistory(id, afterSeq)).map((e) => this.decodeEvent(e)));
  }

  /** Timers are stored as they are. */
  dueTimers(before: number, limit?: number): Promise<DueTimer[]> {
    return this.inner.dueTimers(before, limit);
  }

  /** Definitions are code, not instance data: stored as they are, so operators can read and compare them. */
  saveDefinition(definition: StoredDefinition): Promise<StoredDefinition> {
    return this.inner.saveDefinition(definition);
  }

  getDefinition(name: string, version: string): Promise<StoredDefinition | undefined> {
    return this.inner.getDefinition(name, version);
  }

  listDefinitions(name?: string): Promise<StoredDefinitionSummary[]> {
    return this.inner.listDefinitions(name);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

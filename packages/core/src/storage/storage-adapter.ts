/**
 * The one seam between the engine and durable state. Every adapter (memory, file, TypeORM,
 * Redis...) implements it and passes the conformance suite in `@workflow-mastery/core/testing`.
 */
import type { HistoryEvent, InstanceRecord, InstanceState, TimerRecord } from '../model/instance.types.js';

/** Filters of {@link StorageAdapter.listInstances}. */
export interface InstanceQuery {
  definitionName?: string;
  state?: InstanceState | InstanceState[];
  /** Epoch ms, inclusive. */
  createdAfter?: number;
  /** Epoch ms, exclusive. */
  createdBefore?: number;
  /** @defaultValue 100 */
  limit?: number;
  /** Opaque cursor from a previous page's `nextCursor`. */
  cursor?: string;
  /** By creation time (then id). @defaultValue `desc` */
  order?: 'asc' | 'desc';
  /** Instances started with this business key (exact match). */
  businessKey?: string;
  /** Instances whose search attributes have all these values (compared as text, exact match). */
  attributes?: Record<string, string>;
}

/** A finished instance whose `purgeAfter` has passed, as {@link StorageAdapter.findPurgeable} lists it. */
export interface PurgeCandidate {
  id: string;
  /** The version read: {@link StorageAdapter.purgeInstances} deletes the instance only if it is still at it. */
  version: number;
  definitionName: string;
  purgeAfter: number;
}

/** One page of instances. */
export interface InstancePage {
  items: InstanceRecord[];
  /** Present when more items follow. */
  nextCursor?: string;
}

/** A timer with the instance it belongs to. */
export interface DueTimer {
  instanceId: string;
  timer: TimerRecord;
}

/** Result of {@link StorageAdapter.createInstance}. */
export interface CreateResult {
  /** False when the idempotency key already named an instance; `instance` is then that one. */
  created: boolean;
  instance: InstanceRecord;
}

/** Who runs a piece of work, and until when (epoch ms) nobody else may claim it. */
export interface Lease {
  owner: string;
  until: number;
}

/**
 * A unit of claimable work, derived from instance records: a runnable attempt (a `SCHEDULED` step
 * of a RUNNING/WAITING instance, or a `SCHEDULED` compensation of a COMPENSATING one), or a due timer.
 */
export type ClaimedWork =
  | { kind: 'step' | 'compensation'; instanceId: string; stepId: string; attempt: number }
  | { kind: 'timer'; instanceId: string; timerId: string; fireAt: number };

/**
 * One version of a workflow definition as stored: immutable once stored. The engine stores a
 * version the first time an instance uses it (registered, deployed or given inline), so any engine
 * sharing the storage can continue its instances.
 */
export interface StoredDefinition {
  name: string;
  version: string;
  /** Hex SHA-256 of `source`. */
  hash: string;
  /** The definition's storable source as canonical JSON (keys sorted, no whitespace). */
  source: string;
  /** Epoch ms of the first store. */
  storedAt: number;
}

/** A stored definition version without its source, as {@link StorageAdapter.listDefinitions} lists it. */
export type StoredDefinitionSummary = Omit<StoredDefinition, 'source'>;

/** One compare-and-swap commit. */
export interface Commit {
  /** The new record; its `version` is `expectedVersion + 1`. */
  instance: InstanceRecord;
  expectedVersion: number;
  /** Appended to the history, in order, with `seq` continuing the stored history. */
  events: HistoryEvent[];
  /**
   * Work this commit makes runnable (attempts that were not runnable before it) is leased to this
   * owner: the committing engine runs it itself. Work that stays runnable keeps its lease.
   */
  lease?: Lease;
}

/** The arguments of one {@link StorageAdapter.createInstance}, as an item of a {@link WriteBatch}. */
export interface NewInstance {
  instance: InstanceRecord;
  events: HistoryEvent[];
  idempotencyKey?: string;
  lease?: Lease;
}

/** The new `data` of one stored history event, for {@link StorageAdapter.rewriteHistory}. */
export interface HistoryRewrite {
  /** The event's `seq`. */
  seq: number;
  /** Replaces the stored `data` (an object: the same value, stored differently, e.g. re-encrypted). */
  data: NonNullable<HistoryEvent['data']>;
}

/** Creates and commits of different instances, written together by {@link StorageAdapter.writeBatch}. */
export interface WriteBatch {
  creates: NewInstance[];
  commits: Commit[];
}

/** One entry per item of a {@link WriteBatch}, in order: the outcome, or the error of that item alone. */
export interface WriteBatchResult {
  creates: Array<CreateResult | Error>;
  commits: Array<Error | undefined>;
}

/**
 * Durable state of instances. Records handed in are owned by the storage afterwards (callers do
 * not mutate them); records handed out may be shared, and callers must not mutate them either.
 */
export interface StorageAdapter {
  /** Open files/connections, run what must run first. Idempotent. */
  init?(): Promise<void>;
  /**
   * Store a new instance (version 1) and its first events in one atomic write. With an
   * `idempotencyKey` already taken, stores nothing and returns the existing instance. `lease`, on
   * storages with {@link StorageAdapter.claimWork}, leases the instance's first work to the creator.
   */
  createInstance(instance: InstanceRecord, events: HistoryEvent[], idempotencyKey?: string, lease?: Lease): Promise<CreateResult>;
  /**
   * Replace an instance and append events atomically, only if the stored version equals
   * `expectedVersion`.
   * @throws ConcurrencyError when it does not (or the instance does not exist).
   */
  commit(commit: Commit): Promise<void>;
  /**
   * Several commits of different instances at once (group commit). Each succeeds or fails on its
   * own; the result has one entry per commit: `undefined` or the error.
   */
  commitMany?(commits: Commit[]): Promise<Array<Error | undefined>>;
  /**
   * Group commit with creates: every create behaves as {@link StorageAdapter.createInstance} (a taken
   * idempotency key yields the existing instance, `created: false`; a taken id a ConcurrencyError)
   * and every commit as in `commitMany`, each on its own, written together (one transaction on a
   * database). Rejects only when nothing could be decided (e.g. the database is gone).
   */
  writeBatch?(batch: WriteBatch): Promise<WriteBatchResult>;
  getInstance(id: string): Promise<InstanceRecord | undefined>;
  findByIdempotencyKey(key: string): Promise<InstanceRecord | undefined>;
  listInstances(query?: InstanceQuery): Promise<InstancePage>;
  /** History in `seq` order, optionally after a given `seq`. */
  getHistory(id: string, afterSeq?: number): Promise<HistoryEvent[]>;
  /**
   * Replace the `data` of events already in the history of `instanceId`, by `seq`, in one atomic
   * write; every other field of each event stays as stored, and events committed meanwhile are kept.
   * Seqs not stored (an instance deleted meanwhile) are skipped. History is otherwise append-only:
   * this exists for maintenance that stores the same values differently, such as
   * `EncryptedStorage.reencrypt()` moving old events to the current key.
   */
  rewriteHistory?(instanceId: string, rewrites: HistoryRewrite[]): Promise<void>;
  /**
   * Finished instances (COMPLETED, FAILED, CANCELLED) with `purgeAfter <= now`, earliest
   * `purgeAfter` first, at most `limit`. Never an unfinished one.
   */
  findPurgeable?(now: number, limit: number): Promise<PurgeCandidate[]>;
  /**
   * Delete each instance still at the given version and still finished, with everything stored for
   * it (history, tasks, timers, idempotency key, business key, search attributes), each instance in
   * one atomic write: a commit racing the purge either lands first (the instance stays, whole) or
   * finds the instance gone (ConcurrencyError), never half of one. Returns the ids deleted.
   */
  purgeInstances?(candidates: ReadonlyArray<Pick<PurgeCandidate, 'id' | 'version'>>): Promise<string[]>;
  /**
   * A named lease for maintenance one engine of many should do (the purge): true when `lease.owner`
   * holds `name` until `lease.until` after the call (it was free, expired at `now`, or already its
   * own). Without it the storage is single-engine and every engine does the work.
   */
  acquireLease?(name: string, lease: Lease, now: number): Promise<boolean>;
  /** Timers due at or before `before` (epoch ms), earliest first, across instances. */
  dueTimers(before: number, limit?: number): Promise<DueTimer[]>;
  close(): Promise<void>;

  /**
   * Store a definition version unless that name and version is already stored, atomically against
   * concurrent callers (two engines racing store one). Never replaces: returns what is stored after
   * the call, this definition or the earlier one (whose `hash` then tells whether they differ).
   */
  saveDefinition(definition: StoredDefinition): Promise<StoredDefinition>;
  getDefinition(name: string, version: string): Promise<StoredDefinition | undefined>;
  /** Stored versions (of one name, or all), by name, then by `storedAt`. */
  listDefinitions(name?: string): Promise<StoredDefinitionSummary[]>;

  /**
   * For storages shared by several engines (processes, machines). Claim up to `limit` items that are
   * runnable or due (timers with `fireAt <= now`) and not leased (no lease, or its `until` < now),
   * leasing them to `lease`. Two concurrent claimers never receive the same item. Without it the
   * storage is single-engine: an engine recovers every unfinished instance at start.
   */
  claimWork?(lease: Lease, now: number, limit: number): Promise<ClaimedWork[]>;
  /** Extend the leases `lease.owner` holds on `items` to `lease.until` (items it no longer holds are skipped). */
  renewLeases?(lease: Lease, items: ClaimedWork[]): Promise<void>;
  /** True when batching commits of many instances into `commitMany` pays (a database round trip per commit). */
  readonly prefersGroupCommit?: boolean;
  /**
   * The largest JSON (UTF-8 bytes) this storage stores in one value (an instance's data, a step
   * result, a signal payload, task data): the default of the engine's `maxPayloadBytes`, checked
   * where data enters the engine, before anything is written. Undefined: no limit.
   */
  readonly maxPayloadBytes?: number;
  /**
   * With group commit: how many batches pay to be written at once (each on its own connection, so
   * the database works on one while the engine prepares the next); the waiting writes are shared
   * evenly among them. 1 for a single-writer database. @defaultValue 1
   */
  readonly groupCommitWriters?: number;
}

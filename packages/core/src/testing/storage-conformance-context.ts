/** What the modules of the storage conformance suite share: the store under test and small helpers. */
import { describe, expect, it } from '@jest/globals';
import { ConcurrencyError } from '../errors.js';
import type { InstanceRecord } from '../model/instance.types.js';
import type { Commit, InstancePage, StorageAdapter } from '../storage/storage-adapter.js';
import { makeCreate, nextCommit } from './fixtures.js';

/**
 * The optional {@link StorageAdapter} methods a storage declares to the conformance suite. Each one
 * declared `true` runs its tests; `false` registers them as skipped. A test that always runs fails
 * when a declaration does not match the methods the storage has.
 */
export interface StorageCapabilities {
  /** {@link StorageAdapter.commitMany} */
  commitMany: boolean;
  /** {@link StorageAdapter.writeBatch} */
  writeBatch: boolean;
  /** {@link StorageAdapter.claimWork}: the storage leases work to several engines. */
  claimWork: boolean;
  /** {@link StorageAdapter.renewLeases} (needs `claimWork`). */
  renewLeases: boolean;
  /** {@link StorageAdapter.rewriteHistory}: maintenance such as re-encryption can rewrite stored events. */
  rewriteHistory: boolean;
  /** {@link StorageAdapter.findPurgeable} and {@link StorageAdapter.purgeInstances}: retention can purge finished instances. */
  purge: boolean;
  /** {@link StorageAdapter.acquireLease}: one engine of several does maintenance such as the purge. */
  acquireLease: boolean;
}

/** Options of {@link runStorageConformance}. */
export interface StorageConformanceOptions {
  /** The optional methods the storage has (checked against it by a test that always runs). */
  capabilities: StorageCapabilities;
  /** Closes `old` and opens the same store again; enables the durability tests. */
  reopen?: (old: StorageAdapter) => Promise<StorageAdapter>;
  /** The storage's limit on a record's JSON, in bytes, if it has one; enables the payload-limit tests. */
  maxPayloadBytes?: number;
  /**
   * Opens a second adapter on the same store as `first` (another engine's connection); enables the
   * tests of two adapters racing. The suite closes it.
   */
  openSecond?: (first: StorageAdapter) => Promise<StorageAdapter>;
}

/** A deep copy through JSON: what a storage hands back for a record it stored. */
export const json = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
/** A fixed epoch for timestamps in records. */
export const T0 = 1_700_000_000_000;

/** The store of the running test (replaced before each test and by `reopen`) and helpers on it. */
export interface StorageTestContext {
  storage: StorageAdapter;
  readonly options: StorageConformanceOptions;
  /** Creates an instance with `eventCount` events (and `key`), expecting it to be new. */
  create(overrides?: Partial<InstanceRecord>, eventCount?: number, key?: string): Promise<InstanceRecord>;
  /** Commits the next version of `previous` with `changes` and `eventCount` events. */
  advance(previous: InstanceRecord, changes?: Partial<InstanceRecord>, eventCount?: number): Promise<InstanceRecord>;
  /** Expects `commit` to fail with a ConcurrencyError. */
  expectConflict(commit: Commit): Promise<void>;
  /** The seqs of an instance's history (after `afterSeq`). */
  seqs(id: string, afterSeq?: number): Promise<number[]>;
  /** The ids on a page. */
  ids(page: InstancePage): string[];
}

/** A context whose `storage` the suite sets before each test. */
export function createStorageTestContext(options: StorageConformanceOptions): StorageTestContext {
  const t: StorageTestContext = {
    storage: undefined as unknown as StorageAdapter,
    options,
    async create(overrides = {}, eventCount = 1, key) {
      const { instance, events } = makeCreate(overrides, eventCount);
      const result = await t.storage.createInstance(instance, events, key);
      expect(result.created).toBe(true);
      return instance;
    },
    async advance(previous, changes = {}, eventCount = 1) {
      const commit = nextCommit(previous, changes, eventCount);
      await t.storage.commit(commit);
      return commit.instance;
    },
    async expectConflict(commit) {
      const error = await t.storage.commit(commit).then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(ConcurrencyError);
      expect(error).toMatchObject({ code: 'WF_CONCURRENCY' });
    },
    async seqs(id, afterSeq) {
      return (await t.storage.getHistory(id, afterSeq)).map((e) => e.seq);
    },
    ids: (page) => page.items.map((r) => r.id),
  };
  return t;
}

/** `describe` when `enabled`, else `describe.skip`: a capability a storage lacks is reported as skipped. */
export function describeIf(enabled: boolean): typeof describe {
  return enabled ? describe : (describe.skip as typeof describe);
}

/** `it` when `enabled`, else `it.skip`: a test needing an option the run does not give is reported as skipped, not passed. */
export function itIf(enabled: boolean): typeof it {
  return enabled ? it : (it.skip as typeof it);
}

/** The title of a capability's block, saying whether the subject declared it (skipped when not). */
export function capability(name: string, declared: boolean): string {
  return declared ? `${name} (declared capability)` : `${name} (capability not declared: skipped)`;
}

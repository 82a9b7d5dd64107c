/**
 * The behaviour every {@link StorageAdapter} must show, as a Jest suite any adapter package runs
 * against its own factory:
 * `runStorageConformance('typeorm sqlite', () => new TypeOrmStorage(...), { capabilities: { ... } })`.
 * The tests of an optional method run when the caller declares it in `capabilities` and are
 * registered as skipped otherwise; one test that always runs checks the declaration against the storage.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { StorageAdapter } from '../storage/storage-adapter.js';
import { describeCommits } from './storage-conformance-commits.js';
import {
  createStorageTestContext,
  type StorageCapabilities,
  type StorageConformanceOptions,
} from './storage-conformance-context.js';
import { describeDefinitions } from './storage-conformance-definitions.js';
import { describeDurability } from './storage-conformance-durability.js';
import { describeLeases } from './storage-conformance-leases.js';
import { describeListing } from './storage-conformance-listing.js';
import { describeRecords } from './storage-conformance-records.js';
import { describePurge } from './storage-conformance-purge.js';
import { describeRewriteHistory } from './storage-conformance-rewrite.js';
import { describeSearch } from './storage-conformance-search.js';

export type { StorageCapabilities, StorageConformanceOptions } from './storage-conformance-context.js';

/** Each capability and the optional methods it stands for. */
const CAPABILITIES: ReadonlyArray<[keyof StorageCapabilities, ...Array<keyof StorageAdapter>]> = [
  ['commitMany', 'commitMany'],
  ['writeBatch', 'writeBatch'],
  ['claimWork', 'claimWork'],
  ['renewLeases', 'renewLeases'],
  ['rewriteHistory', 'rewriteHistory'],
  ['purge', 'findPurgeable', 'purgeInstances'],
  ['acquireLease', 'acquireLease'],
];

/**
 * The mismatches between a storage's optional methods and a declaration of them: empty when they
 * agree; otherwise one line per capability declared but missing, or present but undeclared.
 */
export function capabilityMismatches(storage: StorageAdapter, declared: StorageCapabilities): string[] {
  const problems: string[] = [];
  for (const [name, ...methods] of CAPABILITIES) {
    const missing = methods.filter((m) => typeof storage[m] !== 'function');
    const present = missing.length === 0;
    const which = methods.map((m) => `${m}()`).join(' and ');
    if (declared[name] === undefined) problems.push(`${name}: not declared (the storage ${present ? 'has' : 'lacks'} ${which})`);
    else if (declared[name] && !present) problems.push(`${name}: declared, but the storage has no ${missing.map((m) => `${m}()`).join(' or ')}`);
    else if (!declared[name] && missing.length < methods.length) problems.push(`${name}: the storage has ${which}, but it is declared false (its tests would be skipped)`);
  }
  if (declared.renewLeases && !declared.claimWork) problems.push('renewLeases: declared without claimWork');
  return problems;
}

/**
 * Registers `describe("storage conformance: <name>")`. `factory` is called before each test for a
 * fresh, empty store; it is `init()`ed and `close()`d by the suite.
 */
export function runStorageConformance(
  name: string,
  factory: () => Promise<StorageAdapter> | StorageAdapter,
  options: StorageConformanceOptions,
): void {
  describe(`storage conformance: ${name}`, () => {
    const t = createStorageTestContext(options);

    beforeEach(async () => {
      t.storage = await factory();
      await t.storage.init?.();
    });
    afterEach(async () => {
      await t.storage.close();
    });

    it('has exactly the optional methods it declares in `capabilities`', () => {
      expect(options.capabilities).toBeDefined();
      expect(capabilityMismatches(t.storage, options.capabilities ?? ({} as StorageCapabilities))).toEqual([]);
    });

    describeRecords(t);
    describeCommits(t);
    describeListing(t);
    describeLeases(t);
    describeDurability(t);
    describeDefinitions(t);
    describeRewriteHistory(t);
    describeSearch(t);
    describePurge(t);
  });
}

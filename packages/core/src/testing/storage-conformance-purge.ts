/** Conformance: purging finished instances (`findPurgeable`, `purgeInstances`) and the maintenance lease, when declared. */
import { expect, it } from '@jest/globals';
import { isWorkflowError } from '../errors.js';
import type { InstanceRecord, InstanceState } from '../model/instance.types.js';
import type { StorageAdapter } from '../storage/storage-adapter.js';
import { makeStep, nextCommit } from './fixtures.js';
import { capability, describeIf, itIf, json, T0, type StorageTestContext } from './storage-conformance-context.js';

const NOW = T0 + 1_000_000;

/** Registers the purge and maintenance lease tests (skipped when their capability is not declared). */
export function describePurge(t: StorageTestContext): void {
  const { create, advance } = t;
  const declared = t.options.capabilities.purge;

  /** An instance created, then committed to `state` with `purgeAfter` (the engine sets it only on finished ones; a storage checks). */
  async function finished(state: InstanceState, purgeAfter: number | undefined, extra: Partial<InstanceRecord> = {}, key?: string): Promise<InstanceRecord> {
    const created = await create({ state: 'RUNNING', steps: { a: makeStep() }, ...extra }, 2, key);
    return advance(created, { state, ...(purgeAfter === undefined ? {} : { purgeAfter }), completedAt: NOW - 10 }, 2);
  }
  const gone = async (storage: StorageAdapter, id: string): Promise<void> => {
    expect(await storage.getInstance(id)).toBeUndefined();
    expect(await storage.getHistory(id)).toEqual([]);
  };

  describeIf(declared)(capability('purge', declared), () => {
    it('lists only finished instances whose purgeAfter has passed, earliest first, up to the limit', async () => {
      const c = await finished('COMPLETED', NOW - 300);
      const f = await finished('FAILED', NOW - 200);
      const x = await finished('CANCELLED', NOW);
      await finished('COMPLETED', NOW + 1);
      await finished('COMPLETED', undefined);
      // Never unfinished, even with purgeAfter on the record.
      await finished('RUNNING', NOW - 1000);
      await finished('WAITING', NOW - 1000);
      await finished('PAUSED', NOW - 1000);
      await finished('COMPENSATING', NOW - 1000);

      // Created finished (an import, a child that failed to start): listed too.
      const born = await create({ state: 'COMPLETED', purgeAfter: NOW - 250, completedAt: NOW - 10 });

      const all = await t.storage.findPurgeable!(NOW, 100);
      expect(all.map((p) => p.id)).toEqual([c.id, born.id, f.id, x.id]);
      expect(all[0]).toEqual({ id: c.id, version: 2, definitionName: c.definitionName, purgeAfter: NOW - 300 });
      expect((await t.storage.findPurgeable!(NOW, 2)).map((p) => p.id)).toEqual([c.id, born.id]);
      expect(await t.storage.findPurgeable!(NOW - 301, 100)).toEqual([]);
    });

    it('deletes each instance with everything stored for it, and nothing else', async () => {
      const doomed = await finished('COMPLETED', NOW - 5, { businessKey: 'P-1', uniqueBusinessKey: true, attributes: { customer: 'C-1' } }, 'idem-P-1');
      const kept = await finished('COMPLETED', NOW + 5, { businessKey: 'P-2', attributes: { customer: 'C-1' } }, 'idem-P-2');
      const keptHistory = json(await t.storage.getHistory(kept.id));

      expect(await t.storage.purgeInstances!([{ id: doomed.id, version: doomed.version }])).toEqual([doomed.id]);
      await gone(t.storage, doomed.id);
      expect(await t.storage.findByIdempotencyKey('idem-P-1')).toBeUndefined();
      expect(t.ids(await t.storage.listInstances({ businessKey: 'P-1' }))).toEqual([]);
      expect(t.ids(await t.storage.listInstances({ attributes: { customer: 'C-1' } }))).toEqual([kept.id]);
      expect(await t.storage.findPurgeable!(NOW + 100, 10)).toEqual([expect.objectContaining({ id: kept.id })]);
      expect(await t.storage.getInstance(kept.id)).toEqual(json(kept));
      expect(await t.storage.getHistory(kept.id)).toEqual(keptHistory);
      expect((await t.storage.findByIdempotencyKey('idem-P-2'))?.id).toBe(kept.id);

      // The idempotency key and the unique business key are free again.
      const again = await create({ definitionName: doomed.definitionName, businessKey: 'P-1', uniqueBusinessKey: true }, 1, 'idem-P-1');
      expect((await t.storage.findByIdempotencyKey('idem-P-1'))?.id).toBe(again.id);
    });

    it('skips an instance committed since it was listed, an unfinished one, and ids not stored', async () => {
      const moved = await finished('FAILED', NOW - 5);
      const running = await create({ state: 'RUNNING' });
      const [candidate] = await t.storage.findPurgeable!(NOW, 10);
      expect(candidate?.id).toBe(moved.id);
      // An operator retries the failed instance before the purge deletes it.
      const retried = await advance(moved, { state: 'RUNNING', purgeAfter: undefined, error: undefined });
      expect(
        await t.storage.purgeInstances!([
          { id: moved.id, version: candidate!.version },
          { id: running.id, version: running.version },
          { id: 'no-such-instance', version: 1 },
        ]),
      ).toEqual([]);
      expect(await t.storage.getInstance(moved.id)).toEqual(json(retried));
      expect(await t.storage.getHistory(moved.id)).toHaveLength(5);
      expect(await t.storage.getInstance(running.id)).toBeDefined();
      expect(await t.storage.purgeInstances!([])).toEqual([]);
    });

    it('a purge racing a late commit loses nothing: the commit lands and the instance stays whole, or the instance is gone whole', async () => {
      for (let round = 0; round < 10; round++) {
        const doomed = await finished('COMPLETED', NOW - 5);
        const late = nextCommit(json(doomed), { state: 'RUNNING', purgeAfter: undefined }, 1);
        const [purged, committed] = await Promise.all([
          t.storage.purgeInstances!([{ id: doomed.id, version: doomed.version }]),
          t.storage.commit(late).then(
            () => true,
            (error: unknown) => {
              expect(isWorkflowError(error) && error.code === 'WF_CONCURRENCY').toBe(true);
              return false;
            },
          ),
        ]);
        if (committed) {
          expect(purged).toEqual([]);
          expect(await t.storage.getInstance(doomed.id)).toEqual(json(late.instance));
          expect((await t.storage.getHistory(doomed.id)).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
        } else {
          expect(purged).toEqual([doomed.id]);
          await gone(t.storage, doomed.id);
        }
      }
    });

    itIf(t.options.reopen !== undefined)('survives close + reopen (with reopen)', async () => {
      const doomed = await finished('CANCELLED', NOW - 5);
      const kept = await finished('COMPLETED', NOW - 5);
      await t.storage.purgeInstances!([{ id: doomed.id, version: doomed.version }]);
      t.storage = await t.options.reopen!(t.storage);
      await gone(t.storage, doomed.id);
      expect((await t.storage.findPurgeable!(NOW, 10)).map((p) => p.id)).toEqual([kept.id]);
    });

    itIf(t.options.openSecond !== undefined)('two adapters purging the same candidates delete each instance once (with openSecond)', async () => {
      const second = await t.options.openSecond!(t.storage);
      try {
        const records = await Promise.all(Array.from({ length: 6 }, () => finished('COMPLETED', NOW - 5)));
        const candidates = await t.storage.findPurgeable!(NOW, 100);
        expect(candidates).toHaveLength(6);
        const [x, y] = await Promise.all([t.storage.purgeInstances!(candidates), second.purgeInstances!(candidates)]);
        expect([...x, ...y].sort()).toEqual(records.map((r) => r.id).sort());
        for (const r of records) await gone(second, r.id);
      } finally {
        await second.close();
      }
    });
  });

  const leases = t.options.capabilities.acquireLease;
  describeIf(leases)(capability('acquireLease', leases), () => {
    it('gives a named lease to one owner until it expires, and lets the holder renew it', async () => {
      expect(await t.storage.acquireLease!('purge', { owner: 'e1', until: NOW + 100 }, NOW)).toBe(true);
      expect(await t.storage.acquireLease!('purge', { owner: 'e2', until: NOW + 200 }, NOW + 50)).toBe(false);
      expect(await t.storage.acquireLease!('other', { owner: 'e2', until: NOW + 200 }, NOW + 50)).toBe(true);
      expect(await t.storage.acquireLease!('purge', { owner: 'e1', until: NOW + 300 }, NOW + 60)).toBe(true);
      expect(await t.storage.acquireLease!('purge', { owner: 'e2', until: NOW + 400 }, NOW + 250)).toBe(false);
      expect(await t.storage.acquireLease!('purge', { owner: 'e2', until: NOW + 400 }, NOW + 301)).toBe(true);
      expect(await t.storage.acquireLease!('purge', { owner: 'e1', until: NOW + 500 }, NOW + 302)).toBe(false);
    });

    it('lets exactly one of racing owners take a free lease', async () => {
      const owners = Array.from({ length: 6 }, (_, i) => `engine-${i}`);
      const results = await Promise.all(owners.map((owner) => t.storage.acquireLease!('race', { owner, until: NOW + 100 }, NOW)));
      expect(results.filter(Boolean)).toHaveLength(1);
      if (t.options.openSecond) {
        const second = await t.options.openSecond(t.storage);
        try {
          const both = await Promise.all([
            t.storage.acquireLease!('race-2', { owner: 'a', until: NOW + 100 }, NOW),
            second.acquireLease!('race-2', { owner: 'b', until: NOW + 100 }, NOW),
          ]);
          expect(both.filter(Boolean)).toHaveLength(1);
        } finally {
          await second.close();
        }
      }
    });
  });
}

/** Conformance: leasing work to several engines (`claimWork`, `renewLeases`), for storages that declare it. */
import { expect, it } from '@jest/globals';
import type { InstanceRecord, TimerRecord } from '../model/instance.types.js';
import type { ClaimedWork, Lease } from '../storage/storage-adapter.js';
import { makeCreate, makeStep, nextCommit } from './fixtures.js';
import { capability, describeIf, T0, type StorageTestContext } from './storage-conformance-context.js';

/** Registers the leasing tests (skipped unless `claimWork` / `renewLeases` are declared). */
export function describeLeases(t: StorageTestContext): void {
  const { create, advance } = t;
  const caps = t.options.capabilities;

  describeIf(caps.claimWork)(capability('claimWork: leasing', caps.claimWork), () => {
    const NOW = T0 + 10_000_000;
    const timer = (id: string, fireAt: number): TimerRecord => ({ id, kind: 'retry', fireAt, stepId: 'a' });
    const lease = (owner: string, until: number): Lease => ({ owner, until });
    /** A stable name per item, for comparing sets of claims. */
    const key = (item: ClaimedWork): string =>
      item.kind === 'timer' ? `timer ${item.instanceId}/${item.timerId}@${item.fireAt}` : `${item.kind} ${item.instanceId}/${item.stepId}#${item.attempt}`;
    const keys = (items: ClaimedWork[]): string[] => items.map(key).sort();
    const claim = async (owner: string, now: number, limit = 100, until = now + 1_000): Promise<ClaimedWork[]> =>
      t.storage.claimWork!(lease(owner, until), now, limit);

    async function createLeased(overrides: Partial<InstanceRecord>, by?: Lease): Promise<InstanceRecord> {
      const { instance, events } = makeCreate(overrides);
      expect((await t.storage.createInstance(instance, events, undefined, by)).created).toBe(true);
      return instance;
    }

    async function commitLeased(previous: InstanceRecord, changes: Partial<InstanceRecord>, by?: Lease): Promise<InstanceRecord> {
      const commit = nextCommit(previous, changes);
      if (by) commit.lease = by;
      await t.storage.commit(commit);
      return commit.instance;
    }

    it('claims runnable attempts and due timers only', async () => {
      const run = await create({
        state: 'RUNNING',
        steps: {
          a: makeStep(),
          b: makeStep({ status: 'COMPLETED' }),
          c: makeStep({ status: 'RETRY_WAIT', attempt: 2 }),
          w: makeStep({ status: 'WAITING' }),
        },
        timers: [timer('past', NOW - 1), timer('now', NOW), timer('future', NOW + 1)],
      });
      const wait = await create({ state: 'WAITING', steps: { a: makeStep({ attempt: 3 }) } });
      const comp = await create({
        state: 'COMPENSATING',
        steps: {
          a: makeStep({ status: 'COMPLETED', compensation: { status: 'SCHEDULED', action: 'undo', attempt: 2 } }),
          b: makeStep(),
          c: makeStep({ status: 'COMPLETED', compensation: { status: 'PENDING', action: 'undo', attempt: 0 } }),
        },
      });
      // Paused: nothing new starts, but timers still fire (a retry becomes due and waits for resume).
      const paused = await create({ state: 'PAUSED', pausedFrom: 'RUNNING', steps: { a: makeStep() }, timers: [timer('p', NOW - 5)] });
      await create({ state: 'PENDING', steps: { a: makeStep() } });
      await create({ state: 'COMPLETED', steps: { a: makeStep() }, timers: [timer('done', NOW - 5)] });
      await create({ state: 'FAILED', steps: { a: makeStep() } });
      await create({ state: 'CANCELLED', steps: { a: makeStep() } });
      await createLeased({ state: 'RUNNING', steps: { a: makeStep() } }, lease('other', NOW + 60_000));

      const items = await claim('A', NOW);
      expect(keys(items)).toEqual(
        [
          `step ${run.id}/a#1`,
          `timer ${run.id}/past@${NOW - 1}`,
          `timer ${run.id}/now@${NOW}`,
          `step ${wait.id}/a#3`,
          `compensation ${comp.id}/a#2`,
          `timer ${paused.id}/p@${NOW - 5}`,
        ].sort(),
      );
      expect(items).toContainEqual({ kind: 'step', instanceId: run.id, stepId: 'a', attempt: 1 });
      expect(items).toContainEqual({ kind: 'compensation', instanceId: comp.id, stepId: 'a', attempt: 2 });
      expect(items).toContainEqual({ kind: 'timer', instanceId: run.id, timerId: 'past', fireAt: NOW - 1 });
      // Everything claimable is leased to A now.
      expect(await claim('B', NOW)).toEqual([]);
    });

    it('honours the limit and hands out each item once', async () => {
      for (let i = 0; i < 5; i++) await create({ state: 'RUNNING', steps: { a: makeStep() } });
      const sizes: number[] = [];
      const seen: string[] = [];
      for (let round = 0; round < 4; round++) {
        const items = await claim(`owner-${round}`, NOW, 2);
        sizes.push(items.length);
        seen.push(...keys(items));
      }
      expect(sizes).toEqual([2, 2, 1, 0]);
      expect(new Set(seen).size).toBe(5);
    });

    it('never gives the same item to two concurrent claimers', async () => {
      const all = new Set<string>();
      await Promise.all(
        Array.from({ length: 12 }, async (_, i) => {
          const inst = await create({
            state: 'RUNNING',
            steps: { a: makeStep(), b: makeStep({ attempt: 2 }) },
            timers: [timer(`t${i}`, NOW - i)],
          });
          all.add(`step ${inst.id}/a#1`).add(`step ${inst.id}/b#2`).add(`timer ${inst.id}/t${i}@${NOW - i}`);
        }),
      );
      const claimed: string[] = [];
      for (let round = 0; round < 20; round++) {
        const [a, b] = await Promise.all([claim('A', NOW, 5), claim('B', NOW, 5)]);
        claimed.push(...keys(a!), ...keys(b!));
        if (a!.length === 0 && b!.length === 0) break;
      }
      expect(claimed).toHaveLength(new Set(claimed).size);
      expect(new Set(claimed)).toEqual(all);
    });

    it('lets another owner claim an item once its lease has expired', async () => {
      const inst = await create({ state: 'RUNNING', steps: { a: makeStep() } });
      expect(keys(await claim('A', NOW, 10, NOW + 1_000))).toEqual([`step ${inst.id}/a#1`]);
      expect(await claim('B', NOW + 500)).toEqual([]);
      expect(await claim('B', NOW + 1_000)).toEqual([]); // leased until `until` inclusive
      expect(keys(await claim('B', NOW + 1_001, 10, NOW + 2_001))).toEqual([`step ${inst.id}/a#1`]);
      expect(await claim('A', NOW + 1_002)).toEqual([]);
    });

    it('removes work and timers a commit makes no longer runnable, and restores them on resume', async () => {
      const v1 = await create({ state: 'RUNNING', steps: { a: makeStep(), b: makeStep() }, timers: [timer('t', NOW - 1)] });
      const v2 = await advance(v1, { steps: { a: makeStep({ status: 'COMPLETED' }), b: makeStep() }, timers: [] });
      expect(keys(await claim('A', NOW, 10, NOW))).toEqual([`step ${v1.id}/b#1`]);
      const v3 = await advance(v2, { state: 'PAUSED', pausedFrom: 'RUNNING' });
      expect(await claim('A', NOW + 1)).toEqual([]);
      const v4 = await advance(v3, { state: 'RUNNING', pausedFrom: undefined });
      expect(keys(await claim('A', NOW + 2, 10, NOW + 2))).toEqual([`step ${v1.id}/b#1`]);
      await advance(v4, { state: 'COMPLETED', completedAt: NOW, steps: { a: makeStep({ status: 'COMPLETED' }), b: makeStep({ status: 'CANCELLED' }) } });
      expect(await claim('A', NOW + 3)).toEqual([]);
    });

    it('leases the work a commit makes runnable to the committer; unchanged work keeps its lease', async () => {
      const v1 = await createLeased({ state: 'RUNNING', steps: { a: makeStep() } }, lease('A', NOW + 1_000));
      expect(await claim('B', NOW)).toEqual([]);
      // a stays runnable (same attempt): A's lease is kept; b is new: leased to C.
      const v2 = await commitLeased(v1, { steps: { a: makeStep(), b: makeStep() } }, lease('C', NOW + 5_000));
      expect(keys(await claim('B', NOW + 1_001, 10, NOW + 2_000))).toEqual([`step ${v1.id}/a#1`]);
      // a's next attempt is new work: leased to D, whoever held attempt 1.
      await commitLeased(v2, { steps: { a: makeStep({ attempt: 2 }), b: makeStep() } }, lease('D', NOW + 9_000));
      expect(keys(await claim('E', NOW + 5_001, 10, NOW + 60_000))).toEqual([`step ${v1.id}/b#1`]);
      expect(keys(await claim('E', NOW + 9_001))).toEqual([`step ${v1.id}/a#2`]);
    });

    describeIf(caps.renewLeases)(capability('renewLeases', caps.renewLeases), () => {
      it('extends only the leases the owner holds', async () => {
        const x = await create({ state: 'RUNNING', steps: { a: makeStep() } });
        const [xItem] = await claim('A', NOW, 10, NOW + 1_000);
        const y = await create({ state: 'RUNNING', steps: { a: makeStep() } });
        const [yItem] = await claim('B', NOW, 10, NOW + 1_000);
        expect(xItem).toMatchObject({ instanceId: x.id });
        expect(yItem).toMatchObject({ instanceId: y.id });

        await t.storage.renewLeases!(lease('A', NOW + 5_000), [xItem!, yItem!]);
        // A's lease on x was extended; B's on y was not (A does not hold it).
        expect(keys(await claim('C', NOW + 1_500, 10, NOW + 2_500))).toEqual([`step ${y.id}/a#1`]);
        await t.storage.renewLeases!(lease('A', NOW + 9_000), [yItem!]);
        expect(keys(await claim('D', NOW + 2_501, 10, NOW + 60_000))).toEqual([`step ${y.id}/a#1`]);
        expect(keys(await claim('D', NOW + 5_001))).toEqual([`step ${x.id}/a#1`]);
      });
    });
  });
}

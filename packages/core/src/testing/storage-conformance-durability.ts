/** Conformance: what survives close + reopen (with the `reopen` option). */
import { expect, it } from '@jest/globals';
import { makeCreate, nextCommit } from './fixtures.js';
import { describeIf, json, T0, type StorageTestContext } from './storage-conformance-context.js';

/** Registers the what survives close + reopen (with the `reopen` option) tests. */
export function describeDurability(t: StorageTestContext): void {
  const { create, advance, expectConflict, seqs } = t;
  const { reopen } = t.options;

  describeIf(reopen !== undefined)('durability (with reopen)', () => {
    it('keeps records, history, idempotency keys and timers across close + reopen', async () => {
      const now = T0 + 5_000;
      const a1 = await create({ timers: [{ id: 'x', kind: 'deadline', fireAt: now }] }, 2, 'key-a');
      const a2 = await advance(a1, { state: 'RUNNING', data: { x: 1 } }, 3);
      const b = await create({ id: 'Weird/Id:1', state: 'WAITING', timers: [{ id: 'y', kind: 'retry', fireAt: now - 1 }] });
      const c = await create({}, 0);
      const historyA = json(await t.storage.getHistory(a1.id));
      const timersBefore = json(await t.storage.dueTimers(now));
      const listBefore = json(await t.storage.listInstances({ order: 'asc' }));

      t.storage = await reopen!(t.storage);
      expect(await t.storage.getInstance(a1.id)).toEqual(json(a2));
      expect(await t.storage.getInstance(b.id)).toEqual(json(b));
      expect(await t.storage.getInstance(c.id)).toEqual(json(c));
      expect(await t.storage.getHistory(a1.id)).toEqual(historyA);
      expect(await t.storage.getHistory(a1.id, 3)).toEqual(historyA.slice(3));
      expect(await t.storage.findByIdempotencyKey('key-a')).toEqual(json(a2));
      const { instance, events } = makeCreate();
      const again = await t.storage.createInstance(instance, events, 'key-a');
      expect(again).toEqual({ created: false, instance: json(a2) });
      expect(await t.storage.dueTimers(now)).toEqual(timersBefore);
      expect(await t.storage.listInstances({ order: 'asc' })).toEqual(listBefore);

      // Writing goes on where it stopped.
      await expectConflict(nextCommit(a1));
      const a3 = await advance(json(a2), { state: 'COMPLETED', timers: [] }, 1);
      await advance(json(c), {}, 2);
      t.storage = await reopen!(t.storage);
      expect(await t.storage.getInstance(a1.id)).toEqual(json(a3));
      expect(await seqs(a1.id)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(await seqs(c.id)).toEqual([1, 2]);
      expect(await t.storage.dueTimers(now)).toEqual([timersBefore[0]]);
      expect(await t.storage.getInstance(instance.id)).toBeUndefined();
    });
  });
}

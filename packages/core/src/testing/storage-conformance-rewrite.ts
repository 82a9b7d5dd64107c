/** Conformance: {@link StorageAdapter.rewriteHistory}, when declared. */
import { expect, it } from '@jest/globals';
import type { HistoryEvent } from '../model/instance.types.js';
import { nextCommit } from './fixtures.js';
import { capability, describeIf, itIf, json, type StorageTestContext } from './storage-conformance-context.js';

/** Registers the tests of `rewriteHistory` (skipped when the capability is not declared). */
export function describeRewriteHistory(t: StorageTestContext): void {
  const { create, advance } = t;
  const declared = t.options.capabilities.rewriteHistory;

  describeIf(declared)(capability('rewriteHistory', declared), () => {
    it('replaces the data of the events named by seq and nothing else', async () => {
      const a1 = await create({}, 3);
      await advance(a1, {}, 2);
      const other = await create({}, 2);
      const before = json(await t.storage.getHistory(a1.id));
      const otherBefore = json(await t.storage.getHistory(other.id));

      await t.storage.rewriteHistory!(a1.id, [
        { seq: 2, data: { rewritten: 2 } },
        { seq: 5, data: { rewritten: 5, nested: { list: [1, 'two'] } } },
      ]);

      const expected: HistoryEvent[] = before.map((e) =>
        e.seq === 2 ? { ...e, data: { rewritten: 2 } } : e.seq === 5 ? { ...e, data: { rewritten: 5, nested: { list: [1, 'two'] } } } : e,
      );
      expect(await t.storage.getHistory(a1.id)).toEqual(expected);
      expect(await t.storage.getHistory(a1.id, 3)).toEqual(expected.slice(3));
      expect(await t.storage.getHistory(other.id)).toEqual(otherBefore);
    });

    it('keeps the history appendable, and skips seqs and instances that are not stored', async () => {
      const a1 = await create({}, 2);
      await t.storage.rewriteHistory!(a1.id, [{ seq: 1, data: { once: true } }, { seq: 9, data: { never: true } }]);
      await t.storage.rewriteHistory!('no-such-instance', [{ seq: 1, data: { never: true } }]);
      const a2 = await advance(a1, { data: { step: 2 } }, 2);
      await t.storage.rewriteHistory!(a1.id, [{ seq: 4, data: { again: true } }]);
      const history = await t.storage.getHistory(a1.id);
      expect(history.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
      expect(history.map((e) => e.data)).toEqual([{ once: true }, undefined, undefined, { again: true }]);
      expect(await t.storage.getInstance(a1.id)).toEqual(json(a2));
      expect(await t.storage.getHistory('no-such-instance')).toEqual([]);
      // The record's CAS is untouched: the next commit continues from version 2, seq 4.
      await t.storage.commit(nextCommit(json(a2), {}, 1));
      expect((await t.storage.getHistory(a1.id)).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    });

    itIf(t.options.reopen !== undefined)('survives close + reopen (with reopen)', async () => {
      const a1 = await create({}, 2);
      await t.storage.rewriteHistory!(a1.id, [{ seq: 2, data: { kept: 'after reopen' } }]);
      const history = json(await t.storage.getHistory(a1.id));
      t.storage = await t.options.reopen!(t.storage);
      expect(await t.storage.getHistory(a1.id)).toEqual(history);
      expect(history[1]!.data).toEqual({ kept: 'after reopen' });
    });
  });
}

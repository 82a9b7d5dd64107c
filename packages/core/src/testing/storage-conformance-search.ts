/** Conformance: business keys (search and uniqueness) and search attributes. Every storage has them. */
import { describe, expect, it } from '@jest/globals';
import type { InstanceRecord } from '../model/instance.types.js';
import type { InstanceQuery, StorageAdapter } from '../storage/storage-adapter.js';
import { makeCreate } from './fixtures.js';
import { describeIf, json, T0, type StorageTestContext } from './storage-conformance-context.js';

/** Registers the business key and search attribute tests. */
export function describeSearch(t: StorageTestContext): void {
  const { create, advance, ids } = t;
  const list = async (query: InstanceQuery): Promise<string[]> => ids(await t.storage.listInstances({ order: 'asc', ...query }));
  /** Creates through `storage`, resolving to the error when it is refused. */
  const tryCreate = async (storage: StorageAdapter, overrides: Partial<InstanceRecord>, key?: string) => {
    const { instance, events } = makeCreate(overrides);
    return storage.createInstance(instance, events, key).then(
      (result) => ({ result, error: undefined }),
      (error: unknown) => ({ result: undefined, error: error as Error & { code?: string; details?: Record<string, unknown> } }),
    );
  };

  describe('business keys and search attributes', () => {
    it('lists by business key, alone and with the other filters, page by page', async () => {
      const a = await create({ definitionName: 'order', businessKey: 'A-1003', state: 'RUNNING', createdAt: T0 + 1 });
      const b = await create({ definitionName: 'order', businessKey: 'A-1003', state: 'COMPLETED', createdAt: T0 + 2 });
      const c = await create({ definitionName: 'refund', businessKey: 'A-1003', state: 'RUNNING', createdAt: T0 + 3 });
      await create({ definitionName: 'order', businessKey: 'A-1004', state: 'RUNNING', createdAt: T0 + 4 });
      await create({ definitionName: 'order', state: 'RUNNING', createdAt: T0 + 5 });

      expect(await list({ businessKey: 'A-1003' })).toEqual([a.id, b.id, c.id]);
      expect(await list({ businessKey: 'A-1003', definitionName: 'order' })).toEqual([a.id, b.id]);
      expect(await list({ businessKey: 'A-1003', state: 'RUNNING' })).toEqual([a.id, c.id]);
      expect(await list({ businessKey: 'a-1003' })).toEqual([]);
      expect(await list({ businessKey: 'nope' })).toEqual([]);
      const first = await t.storage.listInstances({ businessKey: 'A-1003', limit: 2 });
      expect(ids(first)).toEqual([c.id, b.id]);
      expect(ids(await t.storage.listInstances({ businessKey: 'A-1003', limit: 2, cursor: first.nextCursor! }))).toEqual([a.id]);
      expect((await t.storage.getInstance(a.id))?.businessKey).toBe('A-1003');
    });

    it('lists by search attributes (all must match, as text) and follows their changes at each commit', async () => {
      const a = await create({ attributes: { customer: 'C-7', total: '120' }, createdAt: T0 + 1 });
      const b = await create({ attributes: { customer: 'C-7', total: '80' }, createdAt: T0 + 2 });
      await create({ attributes: { customer: 'C-8' }, createdAt: T0 + 3 });
      await create({ createdAt: T0 + 4 });

      expect(await list({ attributes: { customer: 'C-7' } })).toEqual([a.id, b.id]);
      expect(await list({ attributes: { customer: 'C-7', total: '80' } })).toEqual([b.id]);
      expect(await list({ attributes: { total: 120 as unknown as string } })).toEqual([a.id]);
      expect(await list({ attributes: { customer: 'C-7', missing: 'x' } })).toEqual([]);
      expect(await list({ attributes: {} })).toHaveLength(4);

      const a2 = await advance(a, { attributes: { customer: 'C-9', total: '120' } });
      expect(await list({ attributes: { customer: 'C-7' } })).toEqual([b.id]);
      expect(await list({ attributes: { customer: 'C-9' } })).toEqual([a.id]);
      await advance(a2, { attributes: undefined });
      expect(await list({ attributes: { customer: 'C-9' } })).toEqual([]);
      expect(await list({ attributes: { total: '120' } })).toEqual([]);
    });

    it('refuses a second unfinished instance with a unique business key of the same definition, naming the first', async () => {
      const first = await create({ definitionName: 'order', businessKey: 'A-1', uniqueBusinessKey: true, state: 'RUNNING' });
      const again = await tryCreate(t.storage, { definitionName: 'order', businessKey: 'A-1', uniqueBusinessKey: true });
      expect(again.error).toMatchObject({ code: 'WF_BUSINESS_KEY_TAKEN', details: { definitionName: 'order', businessKey: 'A-1', instanceId: first.id } });
      expect(await list({ businessKey: 'A-1' })).toEqual([first.id]);

      // Another definition, another key, or a start that does not ask for uniqueness: all allowed.
      expect((await tryCreate(t.storage, { definitionName: 'refund', businessKey: 'A-1', uniqueBusinessKey: true })).error).toBeUndefined();
      expect((await tryCreate(t.storage, { definitionName: 'order', businessKey: 'A-2', uniqueBusinessKey: true })).error).toBeUndefined();
      expect((await tryCreate(t.storage, { definitionName: 'order', businessKey: 'A-1' })).error).toBeUndefined();
    });

    it('frees a unique business key when its instance finishes', async () => {
      const first = await create({ definitionName: 'order', businessKey: 'A-5', uniqueBusinessKey: true, state: 'RUNNING' });
      await advance(first, { state: 'COMPLETED', completedAt: Date.now() });
      const second = await tryCreate(t.storage, { definitionName: 'order', businessKey: 'A-5', uniqueBusinessKey: true });
      expect(second.error).toBeUndefined();
      const third = await tryCreate(t.storage, { definitionName: 'order', businessKey: 'A-5', uniqueBusinessKey: true });
      expect(third.error).toMatchObject({ code: 'WF_BUSINESS_KEY_TAKEN', details: { instanceId: second.result!.instance.id } });
    });

    it('answers a taken idempotency key with the existing instance before checking the business key', async () => {
      const first = await create({ definitionName: 'order', businessKey: 'A-6', uniqueBusinessKey: true }, 1, 'idem-A-6');
      const again = await tryCreate(t.storage, { definitionName: 'order', businessKey: 'A-6', uniqueBusinessKey: true }, 'idem-A-6');
      expect(again.error).toBeUndefined();
      expect(again.result).toMatchObject({ created: false, instance: { id: first.id } });
    });

    it('lets exactly one of racing creates with the same unique business key in', async () => {
      const attempts = await Promise.all(
        Array.from({ length: 8 }, () => tryCreate(t.storage, { definitionName: 'order', businessKey: 'race', uniqueBusinessKey: true })),
      );
      expect(attempts.filter((a) => a.error === undefined)).toHaveLength(1);
      for (const a of attempts) if (a.error) expect(a.error).toMatchObject({ code: 'WF_BUSINESS_KEY_TAKEN' });
      expect(await list({ businessKey: 'race' })).toHaveLength(1);
    });

    describeIf(t.options.capabilities.writeBatch)('in a writeBatch (writeBatch declared)', () => {
      it('refuses the create of a taken unique business key on its own', async () => {
        const first = await create({ definitionName: 'order', businessKey: 'B-1', uniqueBusinessKey: true });
        const taken = makeCreate({ definitionName: 'order', businessKey: 'B-1', uniqueBusinessKey: true });
        const free = makeCreate({ definitionName: 'order', businessKey: 'B-2', uniqueBusinessKey: true });
        const result = await t.storage.writeBatch!({ creates: [taken, free], commits: [] });
        expect(result.creates[0]).toMatchObject({ code: 'WF_BUSINESS_KEY_TAKEN', details: { instanceId: first.id } });
        expect(result.creates[1]).toMatchObject({ created: true });
        expect(await list({ definitionName: 'order' })).toEqual([first.id, free.instance.id]);
      });
    });

    describeIf(t.options.reopen !== undefined)('after close + reopen (with reopen)', () => {
      it('keeps business keys, their uniqueness and search attributes', async () => {
        const a = await create({ definitionName: 'order', businessKey: 'K-1', uniqueBusinessKey: true, attributes: { customer: 'C-1' } });
        t.storage = await t.options.reopen!(t.storage);
        expect(await t.storage.getInstance(a.id)).toEqual(json(a));
        expect(await list({ businessKey: 'K-1' })).toEqual([a.id]);
        expect(await list({ attributes: { customer: 'C-1' } })).toEqual([a.id]);
        expect((await tryCreate(t.storage, { definitionName: 'order', businessKey: 'K-1', uniqueBusinessKey: true })).error).toMatchObject({
          code: 'WF_BUSINESS_KEY_TAKEN',
        });
      });
    });

    describeIf(t.options.openSecond !== undefined)('two adapters on one store (with openSecond)', () => {
      it('lets exactly one of two adapters racing with the same unique business key in', async () => {
        const second = await t.options.openSecond!(t.storage);
        try {
          for (let round = 0; round < 5; round++) {
            const key = `shared-${round}`;
            const [x, y] = await Promise.all([
              tryCreate(t.storage, { definitionName: 'order', businessKey: key, uniqueBusinessKey: true }),
              tryCreate(second, { definitionName: 'order', businessKey: key, uniqueBusinessKey: true }),
            ]);
            expect([x.error, y.error].filter((e) => e === undefined)).toHaveLength(1);
            expect([x.error, y.error].find((e) => e !== undefined)).toMatchObject({ code: 'WF_BUSINESS_KEY_TAKEN' });
          }
        } finally {
          await second.close();
        }
      });
    });
  });
}

/** Conformance: listing instances and due timers. */
import { describe, expect, it } from '@jest/globals';
import type { InstanceRecord, InstanceState, TimerRecord } from '../model/instance.types.js';
import type { InstanceQuery } from '../storage/storage-adapter.js';
import { T0, type StorageTestContext } from './storage-conformance-context.js';

/** Registers the listing instances and due timers tests. */
export function describeListing(t: StorageTestContext): void {
  const { create, advance, ids } = t;

  describe('listInstances', () => {
    async function seed(): Promise<InstanceRecord[]> {
      const specs: Array<[string, InstanceState, number]> = [
        ['a', 'RUNNING', 1],
        ['a', 'COMPLETED', 2],
        ['b', 'FAILED', 3],
        ['b', 'RUNNING', 4],
        ['c', 'WAITING', 5],
      ];
      const records: InstanceRecord[] = [];
      for (const [definitionName, state, at] of specs) records.push(await create({ definitionName, state, createdAt: T0 + at }));
      return records;
    }
    const pick = (records: InstanceRecord[], ...indexes: number[]): string[] => indexes.map((i) => records[i]!.id);
    const list = async (query: InstanceQuery): Promise<string[]> => ids(await t.storage.listInstances(query));

    it('filters by definition, state, state list and creation time', async () => {
      const r = await seed();
      expect(await list({ definitionName: 'a', order: 'asc' })).toEqual(pick(r, 0, 1));
      expect(await list({ state: 'RUNNING', order: 'asc' })).toEqual(pick(r, 0, 3));
      expect(await list({ state: ['FAILED', 'WAITING'], order: 'asc' })).toEqual(pick(r, 2, 4));
      expect(await list({ createdAfter: T0 + 2, order: 'asc' })).toEqual(pick(r, 1, 2, 3, 4));
      expect(await list({ createdBefore: T0 + 4, order: 'asc' })).toEqual(pick(r, 0, 1, 2));
      expect(await list({ createdAfter: T0 + 2, createdBefore: T0 + 4, order: 'asc' })).toEqual(pick(r, 1, 2));
      expect(await list({ definitionName: 'b', state: 'RUNNING' })).toEqual(pick(r, 3));
      expect(await list({ definitionName: 'zzz' })).toEqual([]);
    });

    it('orders by creation time then id, newest first by default', async () => {
      const r = await seed();
      expect(await list({})).toEqual(pick(r, 4, 3, 2, 1, 0));
      expect(await list({ order: 'desc' })).toEqual(pick(r, 4, 3, 2, 1, 0));
      expect(await list({ order: 'asc' })).toEqual(pick(r, 0, 1, 2, 3, 4));
      await create({ id: 'tie-b', createdAt: T0 });
      await create({ id: 'tie-a', createdAt: T0 });
      expect((await list({ order: 'asc' })).slice(0, 2)).toEqual(['tie-a', 'tie-b']);
      expect((await list({ order: 'desc' })).slice(-2)).toEqual(['tie-b', 'tie-a']);
    });

    it('pages with limit + cursor over every item exactly once', async () => {
      const records = await Promise.all(
        Array.from({ length: 25 }, (_, i) => create({ createdAt: T0 + (i % 7), definitionName: i % 5 === 0 ? 'five' : 'other' })),
      );
      const sorted = [...records].sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1)).map((x) => x.id);
      for (const [order, limit, definitionName] of [
        ['asc', 7, undefined],
        ['desc', 7, undefined],
        ['asc', 5, undefined],
        ['desc', 1, 'five'],
      ] as const) {
        const seen: string[] = [];
        let cursor: string | undefined;
        let pages = 0;
        do {
          const page = await t.storage.listInstances({ order, limit, cursor, definitionName });
          expect(page.items.length).toBeLessThanOrEqual(limit);
          seen.push(...ids(page));
          cursor = page.nextCursor;
          pages++;
        } while (cursor !== undefined && pages < 100);
        const expected = sorted.filter((id) => !definitionName || records.find((x) => x.id === id)!.definitionName === definitionName);
        expect(seen).toEqual(order === 'asc' ? expected : [...expected].reverse());
        expect(pages).toBe(Math.ceil(expected.length / limit));
      }
    });

    it('returns 100 items by default', async () => {
      await Promise.all(Array.from({ length: 101 }, (_, i) => create({ createdAt: T0 + i })));
      const page = await t.storage.listInstances();
      expect(page.items).toHaveLength(100);
      expect(page.nextCursor).toBeDefined();
      const rest = await t.storage.listInstances({ cursor: page.nextCursor });
      expect(rest.items).toHaveLength(1);
      expect(rest.nextCursor).toBeUndefined();
    });
  });

  describe('dueTimers', () => {
    const timer = (id: string, fireAt: number): TimerRecord => ({ id, kind: 'retry', fireAt, stepId: 's' });

    it('returns due timers across instances, earliest first, honouring limit and removal', async () => {
      const now = T0 + 1_000_000;
      const a = await create({ timers: [timer('t1', now - 100), timer('t2', now + 60_000)] });
      const b = await create({ timers: [timer('t3', now - 300)] });
      const c = await create({ timers: [timer('t4', now - 200)] });
      await create();
      const due = async (before: number, limit?: number): Promise<string[]> =>
        (await t.storage.dueTimers(before, limit)).map((d) => `${d.instanceId}/${d.timer.id}`);

      expect(await t.storage.dueTimers(now)).toEqual([
        { instanceId: b.id, timer: timer('t3', now - 300) },
        { instanceId: c.id, timer: timer('t4', now - 200) },
        { instanceId: a.id, timer: timer('t1', now - 100) },
      ]);
      expect(await due(now, 2)).toEqual([`${b.id}/t3`, `${c.id}/t4`]);
      expect(await due(now - 250)).toEqual([`${b.id}/t3`]);
      expect(await due(now - 100)).toEqual([`${b.id}/t3`, `${c.id}/t4`, `${a.id}/t1`]);
      expect(await due(now - 1000)).toEqual([]);
      expect(await due(now + 60_000)).toEqual([`${b.id}/t3`, `${c.id}/t4`, `${a.id}/t1`, `${a.id}/t2`]);

      await advance(c, { timers: [] });
      const b2 = await advance(b, { timers: [timer('t5', now - 50)] });
      expect(await due(now)).toEqual([`${a.id}/t1`, `${b.id}/t5`]);
      await advance(b2, { timers: [] });
      expect(await due(now)).toEqual([`${a.id}/t1`]);
    });
  });
}

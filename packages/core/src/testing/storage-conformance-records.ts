/** Conformance: create and read, history and idempotency keys. */
import { describe, expect, it } from '@jest/globals';
import { makeCreate, makeInstance } from './fixtures.js';
import { json, T0, type StorageTestContext } from './storage-conformance-context.js';

/** Registers the create and read, history and idempotency keys tests. */
export function describeRecords(t: StorageTestContext): void {
  const { create, advance, seqs } = t;

  describe('create and read', () => {
    it('round-trips a record and its events (deep equal, as JSON)', async () => {
      const { instance, events } = makeCreate(
        {
          state: 'RUNNING',
          data: { order: { id: 'o-1', total: 12.5, items: [1, 'two', null, true] }, note: 'é ✓ "q"\n' },
          steps: {
            validate: { status: 'COMPLETED', attempt: 1, run: 1, scheduledAt: 1, completedAt: 2, output: { ok: true }, completedSeq: 1 },
            pay: { status: 'RETRY_WAIT', attempt: 2, run: 1, scheduledAt: 3, error: { message: 'boom', code: 'E1', retryable: true, details: { a: [1] } } },
          },
          timers: [{ id: 'retry/pay/2', kind: 'retry', fireAt: T0, stepId: 'pay' }],
          signals: [{ name: 'approve', payload: { by: 'ann' }, receivedAt: 4 }],
          completions: 1,
          startedBy: 'tester',
        },
        2,
      );
      events[1]!.data = { nested: { list: [1, 2] } };
      events[1]!.stepId = 'validate';
      events[1]!.attempt = 1;
      const result = await t.storage.createInstance(instance, events);
      expect(result.created).toBe(true);
      expect(result.instance).toEqual(json(instance));
      expect(await t.storage.getInstance(instance.id)).toEqual(json(instance));
      expect(await t.storage.getHistory(instance.id)).toEqual(json(events));
    });

    it('returns undefined / empty for unknown ids', async () => {
      expect(await t.storage.getInstance('missing')).toBeUndefined();
      expect(await t.storage.getHistory('missing')).toEqual([]);
      expect(await t.storage.findByIdempotencyKey('missing')).toBeUndefined();
    });

    it('accepts ids with any characters', async () => {
      const id = 'Order/42:Ä ..\\x';
      const created = await create({ id }, 1);
      const next = await advance(created, { state: 'RUNNING' }, 2);
      expect(await t.storage.getInstance(id)).toEqual(json(next));
      expect(await seqs(id)).toEqual([1, 2, 3]);
    });

    it('requires version 1 on create and stores nothing otherwise', async () => {
      const instance = makeInstance({ version: 2 });
      await expect(t.storage.createInstance(instance, [])).rejects.toThrow();
      expect(await t.storage.getInstance(instance.id)).toBeUndefined();
    });

    it('rejects a second create with the same id', async () => {
      const first = await create({ data: { first: true } });
      const again = makeInstance({ id: first.id, data: { first: false } });
      await expect(t.storage.createInstance(again, [])).rejects.toThrow();
      expect(await t.storage.getInstance(first.id)).toEqual(json(first));
      expect(await seqs(first.id)).toEqual([1]);
    });
  });

  describe('history', () => {
    it('appends in order with gap-free seq; afterSeq returns the tail', async () => {
      const v1 = await create({}, 2);
      const v2 = await advance(v1, {}, 3);
      const v3 = await advance(v2, {}, 0);
      await advance(v3, {}, 1);
      const history = await t.storage.getHistory(v1.id);
      expect(history.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(history[0]!.type).toBe('workflow.started');
      expect(history.every((e) => e.instanceId === v1.id)).toBe(true);
      expect(await seqs(v1.id, 4)).toEqual([5, 6]);
      expect(await seqs(v1.id, 0)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(await seqs(v1.id, 6)).toEqual([]);
    });

    it('supports instances created without events', async () => {
      const v1 = await create({}, 0);
      expect(await seqs(v1.id)).toEqual([]);
      await advance(v1, {}, 2);
      expect(await seqs(v1.id)).toEqual([1, 2]);
    });
  });

  describe('idempotency keys', () => {
    it('returns the existing instance and stores nothing', async () => {
      const first = await create({}, 1, 'order-42');
      const { instance, events } = makeCreate();
      const again = await t.storage.createInstance(instance, events, 'order-42');
      expect(again.created).toBe(false);
      expect(again.instance).toEqual(json(first));
      expect(await t.storage.getInstance(instance.id)).toBeUndefined();
      expect(await t.storage.getHistory(instance.id)).toEqual([]);
      expect((await t.storage.listInstances()).items).toHaveLength(1);
    });

    it('gives one instance to concurrent creates with the same key', async () => {
      const attempts = Array.from({ length: 5 }, () => makeCreate());
      const results = await Promise.all(attempts.map(({ instance, events }) => t.storage.createInstance(instance, events, 'k')));
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(new Set(results.map((r) => r.instance.id)).size).toBe(1);
      expect((await t.storage.listInstances()).items).toHaveLength(1);
    });

    it('findByIdempotencyKey returns the current record', async () => {
      const v1 = await create({}, 1, 'invoice-7');
      await create({}, 1, 'invoice-8');
      expect(await t.storage.findByIdempotencyKey('invoice-7')).toEqual(json(v1));
      const v2 = await advance(v1, { state: 'RUNNING' });
      expect(await t.storage.findByIdempotencyKey('invoice-7')).toEqual(json(v2));
      expect(await t.storage.findByIdempotencyKey('invoice-9')).toBeUndefined();
    });
  });
}

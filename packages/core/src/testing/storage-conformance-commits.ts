/** Conformance: compare-and-swap commits, and the group writes `commitMany` and `writeBatch`. */
import { describe, expect, it } from '@jest/globals';
import { ConcurrencyError } from '../errors.js';
import { makeCreate, makeInstance, makeStep, nextCommit } from './fixtures.js';
import { capability, describeIf, json, T0, type StorageTestContext } from './storage-conformance-context.js';

/** Registers the commit tests (commitMany and writeBatch skipped unless declared). */
export function describeCommits(t: StorageTestContext): void {
  const { create, advance, expectConflict, seqs } = t;
  const caps = t.options.capabilities;
  const limit = t.options.maxPayloadBytes;

  describe('compare-and-swap commits', () => {
    it('increments the version on success', async () => {
      const v1 = await create();
      const v2 = await advance(v1, { state: 'RUNNING', data: { a: 1 } });
      expect(await t.storage.getInstance(v1.id)).toEqual(json(v2));
      const v3 = await advance(v2, { state: 'COMPLETED', completedAt: T0 }, 0);
      expect((await t.storage.getInstance(v1.id))?.version).toBe(3);
      expect(await t.storage.getInstance(v1.id)).toEqual(json(v3));
    });

    it('throws ConcurrencyError on a version mismatch and changes nothing', async () => {
      const v1 = await create({}, 2);
      const v2 = await advance(v1, { state: 'RUNNING' });
      const before = json(await t.storage.getInstance(v1.id));
      const history = json(await t.storage.getHistory(v1.id));
      await expectConflict(nextCommit(v1, { state: 'FAILED' })); // stale read
      await expectConflict({ ...nextCommit(v2), expectedVersion: 7 });
      const wrongNewVersion = nextCommit(v2);
      wrongNewVersion.instance = { ...wrongNewVersion.instance, version: v2.version + 2 };
      await expectConflict(wrongNewVersion);
      expect(await t.storage.getInstance(v1.id)).toEqual(before);
      expect(await t.storage.getHistory(v1.id)).toEqual(history);
    });

    it('throws ConcurrencyError when the instance does not exist', async () => {
      await expectConflict(nextCommit(makeInstance()));
      expect(await t.storage.listInstances()).toEqual({ items: [] });
    });

    it('lets exactly one of 10 racing commits with the same expected version win', async () => {
      const v1 = await create();
      const commits = Array.from({ length: 10 }, (_, i) => nextCommit(v1, { data: { winner: i } }, 2));
      const results = await Promise.allSettled(commits.map((c) => t.storage.commit(c)));
      const winners = results.flatMap((r, i) => (r.status === 'fulfilled' ? [i] : []));
      expect(winners).toHaveLength(1);
      for (const r of results) {
        if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(ConcurrencyError);
      }
      const winner = commits[winners[0]!]!;
      expect(await t.storage.getInstance(v1.id)).toEqual(json(winner.instance));
      expect(await seqs(v1.id)).toEqual([1, 2, 3]);
      expect(await t.storage.getHistory(v1.id, 1)).toEqual(json(winner.events));
    });

    it('persists many instances committed concurrently', async () => {
      const created = await Promise.all(
        Array.from({ length: 30 }, async (_, i) => {
          const { instance, events } = makeCreate({ data: { i } });
          await t.storage.createInstance(instance, events);
          return instance;
        }),
      );
      const finals = await Promise.all(
        created.map(async (record) => {
          let current = record;
          for (let n = 0; n < 3; n++) current = await advance(current, { data: { ...current.data, n } });
          return current;
        }),
      );
      for (const record of finals) {
        expect(await t.storage.getInstance(record.id)).toEqual(json(record));
        expect(await seqs(record.id)).toEqual([1, 2, 3, 4]);
      }
      expect((await t.storage.listInstances()).items).toHaveLength(30);
    });
  });

  describeIf(limit !== undefined)('with a payload limit (maxPayloadBytes)', () => {
    it('declares it, and refuses a create or commit over it with WF_PAYLOAD_TOO_LARGE, writing nothing', async () => {
      expect(t.storage.maxPayloadBytes).toBe(limit);
      const blob = 'x'.repeat(limit! + 1);
      const big = makeCreate({ data: { blob } });
      await expect(t.storage.createInstance(big.instance, big.events, 'big-key')).rejects.toMatchObject({ code: 'WF_PAYLOAD_TOO_LARGE', message: expect.stringContaining(`${limit} bytes`) });
      expect(await t.storage.getInstance(big.instance.id)).toBeUndefined();
      expect(await t.storage.findByIdempotencyKey('big-key')).toBeUndefined();
      const v1 = await create();
      const before = json(await t.storage.getHistory(v1.id));
      await expect(t.storage.commit(nextCommit(v1, { data: { blob } }))).rejects.toMatchObject({ code: 'WF_PAYLOAD_TOO_LARGE' });
      expect(await t.storage.getInstance(v1.id)).toEqual(json(v1));
      expect(await t.storage.getHistory(v1.id)).toEqual(before);
    });
  });

  describeIf(caps.commitMany)(capability('commitMany', caps.commitMany), () => {
    it('each commit succeeds or fails on its own', async () => {
      const [a, b, c] = [await create(), await create(), await create()];
      const results = await t.storage.commitMany!([
        nextCommit(a!, { state: 'RUNNING' }),
        { ...nextCommit(b!), expectedVersion: 5 },
        nextCommit(c!, { state: 'WAITING' }, 2),
        nextCommit(makeInstance()),
      ]);
      expect(results).toHaveLength(4);
      expect(results[0]).toBeUndefined();
      expect(results[1]).toBeInstanceOf(ConcurrencyError);
      expect(results[2]).toBeUndefined();
      expect(results[3]).toBeInstanceOf(ConcurrencyError);
      expect((await t.storage.getInstance(a!.id))?.version).toBe(2);
      expect(await t.storage.getInstance(b!.id)).toEqual(json(b));
      expect(await seqs(c!.id)).toEqual([1, 2, 3]);
    });
  });

  describeIf(caps.writeBatch)(capability('writeBatch', caps.writeBatch), () => {
    it('each create and each commit succeeds or fails on its own', async () => {
      const [x, y] = [await create(), await create()];
      const fresh = makeCreate({ state: 'RUNNING', steps: { a: makeStep() } }, 2);
      const plain = makeCreate();
      const takenId = makeCreate({ id: x.id });
      const results = await t.storage.writeBatch!({
        creates: [
          { ...fresh, idempotencyKey: 'batch-fresh' },
          plain,
          takenId,
        ],
        commits: [nextCommit(x, { state: 'RUNNING' }), { ...nextCommit(y), expectedVersion: 5 }, nextCommit(makeInstance())],
      });
      expect(results.creates).toHaveLength(3);
      expect(results.commits).toHaveLength(3);
      expect(results.creates[0]).toEqual({ created: true, instance: fresh.instance });
      expect(results.creates[1]).toEqual({ created: true, instance: plain.instance });
      expect(results.creates[2]).toBeInstanceOf(ConcurrencyError);
      expect(results.commits[0]).toBeUndefined();
      expect(results.commits[1]).toBeInstanceOf(ConcurrencyError);
      expect(results.commits[2]).toBeInstanceOf(ConcurrencyError);
      expect(await t.storage.getInstance(fresh.instance.id)).toEqual(json(fresh.instance));
      expect(await seqs(fresh.instance.id)).toEqual([1, 2]);
      expect(await t.storage.findByIdempotencyKey('batch-fresh')).toEqual(json(fresh.instance));
      expect(await t.storage.getInstance(plain.instance.id)).toEqual(json(plain.instance));
      expect((await t.storage.getInstance(x.id))?.version).toBe(2);
      expect((await t.storage.getInstance(x.id))?.state).toBe('RUNNING');
      expect(await t.storage.getInstance(y.id)).toEqual(json(y));
      expect(await seqs(y.id)).toEqual([1]);
      expect((await t.storage.listInstances()).items).toHaveLength(4);
    });

    it('a taken idempotency key, stored or earlier in the batch, yields the first instance', async () => {
      const first = await create({}, 1, 'dup-stored');
      const [a, b, c] = [makeCreate(), makeCreate(), makeCreate()];
      const results = await t.storage.writeBatch!({
        creates: [
          { ...a, idempotencyKey: 'dup-stored' },
          { ...b, idempotencyKey: 'dup-new' },
          { ...c, idempotencyKey: 'dup-new' },
        ],
        commits: [],
      });
      expect(results.creates[0]).toEqual({ created: false, instance: json(first) });
      expect(results.creates[1]).toEqual({ created: true, instance: b.instance });
      expect(results.creates[2]).toEqual({ created: false, instance: json(b.instance) });
      expect(await t.storage.getInstance(a.instance.id)).toBeUndefined();
      expect(await t.storage.getInstance(c.instance.id)).toBeUndefined();
      expect(await t.storage.getHistory(c.instance.id)).toEqual([]);
      expect(await t.storage.findByIdempotencyKey('dup-new')).toEqual(json(b.instance));
      expect((await t.storage.listInstances()).items).toHaveLength(2);
    });

    describeIf(limit !== undefined)('with a payload limit (maxPayloadBytes)', () => {
      it('a record over the size limit fails only its own create or commit', async () => {
        const blob = 'x'.repeat(limit! + 1);
        const [x, y] = [await create(), await create()];
        const big = makeCreate({ data: { blob } });
        const small = makeCreate();
        const results = await t.storage.writeBatch!({
          creates: [{ ...big, idempotencyKey: 'big' }, small],
          commits: [nextCommit(x, { data: { blob } }), nextCommit(y, { state: 'RUNNING' })],
        });
        expect(results.creates[0]).toMatchObject({ code: 'WF_PAYLOAD_TOO_LARGE' });
        expect(results.creates[1]).toEqual({ created: true, instance: small.instance });
        expect(results.commits[0]).toMatchObject({ code: 'WF_PAYLOAD_TOO_LARGE' });
        expect(results.commits[1]).toBeUndefined();
        expect(await t.storage.getInstance(big.instance.id)).toBeUndefined();
        expect(await t.storage.findByIdempotencyKey('big')).toBeUndefined();
        expect(await t.storage.getInstance(x.id)).toEqual(json(x));
        expect((await t.storage.getInstance(y.id))?.version).toBe(2);
      });
    });
  });
}

/**
 * The behaviour every {@link StorageAdapter} must show, as a Jest suite any adapter package runs
 * against its own factory: `runStorageConformance('typeorm sqlite', () => new TypeOrmStorage(...))`.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { ConcurrencyError } from '../errors.js';
import type { InstanceRecord, InstanceState, TimerRecord } from '../model/instance.types.js';
import type { ClaimedWork, Commit, InstancePage, InstanceQuery, Lease, StorageAdapter } from '../storage/storage-adapter.js';
import { makeCreate, makeInstance, makeStep, nextCommit } from './fixtures.js';

/** Options of {@link runStorageConformance}. */
export interface StorageConformanceOptions {
  /** Closes `old` and opens the same store again; enables the durability tests. */
  reopen?: (old: StorageAdapter) => Promise<StorageAdapter>;
  /** The storage's limit on a record's JSON, in bytes, if it has one; enables the payload-limit tests. */
  maxPayloadBytes?: number;
}

const json = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
const T0 = 1_700_000_000_000;

/**
 * Registers `describe("storage conformance: <name>")`. `factory` is called before each test for a
 * fresh, empty store; it is `init()`ed and `close()`d by the suite.
 */
export function runStorageConformance(
  name: string,
  factory: () => Promise<StorageAdapter> | StorageAdapter,
  options: StorageConformanceOptions = {},
): void {
  describe(`storage conformance: ${name}`, () => {
    let storage: StorageAdapter;

    beforeEach(async () => {
      storage = await factory();
      await storage.init?.();
    });
    afterEach(async () => {
      await storage.close();
    });

    async function create(overrides: Partial<InstanceRecord> = {}, eventCount = 1, key?: string): Promise<InstanceRecord> {
      const { instance, events } = makeCreate(overrides, eventCount);
      const result = await storage.createInstance(instance, events, key);
      expect(result.created).toBe(true);
      return instance;
    }

    async function advance(previous: InstanceRecord, changes: Partial<InstanceRecord> = {}, eventCount = 1): Promise<InstanceRecord> {
      const commit = nextCommit(previous, changes, eventCount);
      await storage.commit(commit);
      return commit.instance;
    }

    async function expectConflict(commit: Commit): Promise<void> {
      const error = await storage.commit(commit).then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(ConcurrencyError);
      expect(error).toMatchObject({ code: 'WF_CONCURRENCY' });
    }

    async function seqs(id: string, afterSeq?: number): Promise<number[]> {
      return (await storage.getHistory(id, afterSeq)).map((e) => e.seq);
    }

    const ids = (page: InstancePage): string[] => page.items.map((r) => r.id);

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
        const result = await storage.createInstance(instance, events);
        expect(result.created).toBe(true);
        expect(result.instance).toEqual(json(instance));
        expect(await storage.getInstance(instance.id)).toEqual(json(instance));
        expect(await storage.getHistory(instance.id)).toEqual(json(events));
      });

      it('returns undefined / empty for unknown ids', async () => {
        expect(await storage.getInstance('missing')).toBeUndefined();
        expect(await storage.getHistory('missing')).toEqual([]);
        expect(await storage.findByIdempotencyKey('missing')).toBeUndefined();
      });

      it('accepts ids with any characters', async () => {
        const id = 'Order/42:Ä ..\\x';
        const created = await create({ id }, 1);
        const next = await advance(created, { state: 'RUNNING' }, 2);
        expect(await storage.getInstance(id)).toEqual(json(next));
        expect(await seqs(id)).toEqual([1, 2, 3]);
      });

      it('requires version 1 on create and stores nothing otherwise', async () => {
        const instance = makeInstance({ version: 2 });
        await expect(storage.createInstance(instance, [])).rejects.toThrow();
        expect(await storage.getInstance(instance.id)).toBeUndefined();
      });

      it('rejects a second create with the same id', async () => {
        const first = await create({ data: { first: true } });
        const again = makeInstance({ id: first.id, data: { first: false } });
        await expect(storage.createInstance(again, [])).rejects.toThrow();
        expect(await storage.getInstance(first.id)).toEqual(json(first));
        expect(await seqs(first.id)).toEqual([1]);
      });
    });

    describe('compare-and-swap commits', () => {
      it('increments the version on success', async () => {
        const v1 = await create();
        const v2 = await advance(v1, { state: 'RUNNING', data: { a: 1 } });
        expect(await storage.getInstance(v1.id)).toEqual(json(v2));
        const v3 = await advance(v2, { state: 'COMPLETED', completedAt: T0 }, 0);
        expect((await storage.getInstance(v1.id))?.version).toBe(3);
        expect(await storage.getInstance(v1.id)).toEqual(json(v3));
      });

      it('throws ConcurrencyError on a version mismatch and changes nothing', async () => {
        const v1 = await create({}, 2);
        const v2 = await advance(v1, { state: 'RUNNING' });
        const before = json(await storage.getInstance(v1.id));
        const history = json(await storage.getHistory(v1.id));
        await expectConflict(nextCommit(v1, { state: 'FAILED' })); // stale read
        await expectConflict({ ...nextCommit(v2), expectedVersion: 7 });
        const wrongNewVersion = nextCommit(v2);
        wrongNewVersion.instance = { ...wrongNewVersion.instance, version: v2.version + 2 };
        await expectConflict(wrongNewVersion);
        expect(await storage.getInstance(v1.id)).toEqual(before);
        expect(await storage.getHistory(v1.id)).toEqual(history);
      });

      it('throws ConcurrencyError when the instance does not exist', async () => {
        await expectConflict(nextCommit(makeInstance()));
        expect(await storage.listInstances()).toEqual({ items: [] });
      });

      it('lets exactly one of 10 racing commits with the same expected version win', async () => {
        const v1 = await create();
        const commits = Array.from({ length: 10 }, (_, i) => nextCommit(v1, { data: { winner: i } }, 2));
        const results = await Promise.allSettled(commits.map((c) => storage.commit(c)));
        const winners = results.flatMap((r, i) => (r.status === 'fulfilled' ? [i] : []));
        expect(winners).toHaveLength(1);
        for (const r of results) {
          if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(ConcurrencyError);
        }
        const winner = commits[winners[0]!]!;
        expect(await storage.getInstance(v1.id)).toEqual(json(winner.instance));
        expect(await seqs(v1.id)).toEqual([1, 2, 3]);
        expect(await storage.getHistory(v1.id, 1)).toEqual(json(winner.events));
      });

      it('persists many instances committed concurrently', async () => {
        const created = await Promise.all(
          Array.from({ length: 30 }, async (_, i) => {
            const { instance, events } = makeCreate({ data: { i } });
            await storage.createInstance(instance, events);
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
          expect(await storage.getInstance(record.id)).toEqual(json(record));
          expect(await seqs(record.id)).toEqual([1, 2, 3, 4]);
        }
        expect((await storage.listInstances()).items).toHaveLength(30);
      });

      it('commitMany: each commit succeeds or fails on its own', async () => {
        if (!storage.commitMany) return;
        const [a, b, c] = [await create(), await create(), await create()];
        const results = await storage.commitMany([
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
        expect((await storage.getInstance(a!.id))?.version).toBe(2);
        expect(await storage.getInstance(b!.id)).toEqual(json(b));
        expect(await seqs(c!.id)).toEqual([1, 2, 3]);
      });
    });

    describe('write batches (storages with writeBatch)', () => {
      it('writeBatch: each create and each commit succeeds or fails on its own', async () => {
        if (!storage.writeBatch) return;
        const [x, y] = [await create(), await create()];
        const fresh = makeCreate({ state: 'RUNNING', steps: { a: makeStep() } }, 2);
        const plain = makeCreate();
        const takenId = makeCreate({ id: x.id });
        const results = await storage.writeBatch({
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
        expect(await storage.getInstance(fresh.instance.id)).toEqual(json(fresh.instance));
        expect(await seqs(fresh.instance.id)).toEqual([1, 2]);
        expect(await storage.findByIdempotencyKey('batch-fresh')).toEqual(json(fresh.instance));
        expect(await storage.getInstance(plain.instance.id)).toEqual(json(plain.instance));
        expect((await storage.getInstance(x.id))?.version).toBe(2);
        expect((await storage.getInstance(x.id))?.state).toBe('RUNNING');
        expect(await storage.getInstance(y.id)).toEqual(json(y));
        expect(await seqs(y.id)).toEqual([1]);
        expect((await storage.listInstances()).items).toHaveLength(4);
      });

      it('writeBatch: a taken idempotency key, stored or earlier in the batch, yields the first instance', async () => {
        if (!storage.writeBatch) return;
        const first = await create({}, 1, 'dup-stored');
        const [a, b, c] = [makeCreate(), makeCreate(), makeCreate()];
        const results = await storage.writeBatch({
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
        expect(await storage.getInstance(a.instance.id)).toBeUndefined();
        expect(await storage.getInstance(c.instance.id)).toBeUndefined();
        expect(await storage.getHistory(c.instance.id)).toEqual([]);
        expect(await storage.findByIdempotencyKey('dup-new')).toEqual(json(b.instance));
        expect((await storage.listInstances()).items).toHaveLength(2);
      });

      it('writeBatch: a record over the size limit fails only its own create or commit', async () => {
        const limit = options.maxPayloadBytes;
        if (!storage.writeBatch || limit === undefined) return;
        const blob = 'x'.repeat(limit + 1);
        const [x, y] = [await create(), await create()];
        const big = makeCreate({ data: { blob } });
        const small = makeCreate();
        const results = await storage.writeBatch({
          creates: [{ ...big, idempotencyKey: 'big' }, small],
          commits: [nextCommit(x, { data: { blob } }), nextCommit(y, { state: 'RUNNING' })],
        });
        expect(results.creates[0]).toMatchObject({ code: 'WF_PAYLOAD_TOO_LARGE' });
        expect(results.creates[1]).toEqual({ created: true, instance: small.instance });
        expect(results.commits[0]).toMatchObject({ code: 'WF_PAYLOAD_TOO_LARGE' });
        expect(results.commits[1]).toBeUndefined();
        expect(await storage.getInstance(big.instance.id)).toBeUndefined();
        expect(await storage.findByIdempotencyKey('big')).toBeUndefined();
        expect(await storage.getInstance(x.id)).toEqual(json(x));
        expect((await storage.getInstance(y.id))?.version).toBe(2);
      });
    });

    describe('history', () => {
      it('appends in order with gap-free seq; afterSeq returns the tail', async () => {
        const v1 = await create({}, 2);
        const v2 = await advance(v1, {}, 3);
        const v3 = await advance(v2, {}, 0);
        await advance(v3, {}, 1);
        const history = await storage.getHistory(v1.id);
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
        const again = await storage.createInstance(instance, events, 'order-42');
        expect(again.created).toBe(false);
        expect(again.instance).toEqual(json(first));
        expect(await storage.getInstance(instance.id)).toBeUndefined();
        expect(await storage.getHistory(instance.id)).toEqual([]);
        expect((await storage.listInstances()).items).toHaveLength(1);
      });

      it('gives one instance to concurrent creates with the same key', async () => {
        const attempts = Array.from({ length: 5 }, () => makeCreate());
        const results = await Promise.all(attempts.map(({ instance, events }) => storage.createInstance(instance, events, 'k')));
        expect(results.filter((r) => r.created)).toHaveLength(1);
        expect(new Set(results.map((r) => r.instance.id)).size).toBe(1);
        expect((await storage.listInstances()).items).toHaveLength(1);
      });

      it('findByIdempotencyKey returns the current record', async () => {
        const v1 = await create({}, 1, 'invoice-7');
        await create({}, 1, 'invoice-8');
        expect(await storage.findByIdempotencyKey('invoice-7')).toEqual(json(v1));
        const v2 = await advance(v1, { state: 'RUNNING' });
        expect(await storage.findByIdempotencyKey('invoice-7')).toEqual(json(v2));
        expect(await storage.findByIdempotencyKey('invoice-9')).toBeUndefined();
      });
    });

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
      const list = async (query: InstanceQuery): Promise<string[]> => ids(await storage.listInstances(query));

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
            const page = await storage.listInstances({ order, limit, cursor, definitionName });
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
        const page = await storage.listInstances();
        expect(page.items).toHaveLength(100);
        expect(page.nextCursor).toBeDefined();
        const rest = await storage.listInstances({ cursor: page.nextCursor });
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
          (await storage.dueTimers(before, limit)).map((d) => `${d.instanceId}/${d.timer.id}`);

        expect(await storage.dueTimers(now)).toEqual([
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

    describe('leasing (storages with claimWork)', () => {
      const NOW = T0 + 10_000_000;
      const timer = (id: string, fireAt: number): TimerRecord => ({ id, kind: 'retry', fireAt, stepId: 'a' });
      const lease = (owner: string, until: number): Lease => ({ owner, until });
      /** A stable name per item, for comparing sets of claims. */
      const key = (item: ClaimedWork): string =>
        item.kind === 'timer' ? `timer ${item.instanceId}/${item.timerId}@${item.fireAt}` : `${item.kind} ${item.instanceId}/${item.stepId}#${item.attempt}`;
      const keys = (items: ClaimedWork[]): string[] => items.map(key).sort();
      const claim = async (owner: string, now: number, limit = 100, until = now + 1_000): Promise<ClaimedWork[]> =>
        storage.claimWork!(lease(owner, until), now, limit);
      const leased = (): boolean => typeof storage.claimWork === 'function';
      const renewable = (): boolean => leased() && typeof storage.renewLeases === 'function';

      async function createLeased(overrides: Partial<InstanceRecord>, by?: Lease): Promise<InstanceRecord> {
        const { instance, events } = makeCreate(overrides);
        expect((await storage.createInstance(instance, events, undefined, by)).created).toBe(true);
        return instance;
      }

      async function commitLeased(previous: InstanceRecord, changes: Partial<InstanceRecord>, by?: Lease): Promise<InstanceRecord> {
        const commit = nextCommit(previous, changes);
        if (by) commit.lease = by;
        await storage.commit(commit);
        return commit.instance;
      }

      it('claims runnable attempts and due timers only', async () => {
        if (!leased()) return;
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
        if (!leased()) return;
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
        if (!leased()) return;
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
        if (!leased()) return;
        const inst = await create({ state: 'RUNNING', steps: { a: makeStep() } });
        expect(keys(await claim('A', NOW, 10, NOW + 1_000))).toEqual([`step ${inst.id}/a#1`]);
        expect(await claim('B', NOW + 500)).toEqual([]);
        expect(await claim('B', NOW + 1_000)).toEqual([]); // leased until `until` inclusive
        expect(keys(await claim('B', NOW + 1_001, 10, NOW + 2_001))).toEqual([`step ${inst.id}/a#1`]);
        expect(await claim('A', NOW + 1_002)).toEqual([]);
      });

      it('renewLeases extends only the leases the owner holds', async () => {
        if (!renewable()) return;
        const x = await create({ state: 'RUNNING', steps: { a: makeStep() } });
        const [xItem] = await claim('A', NOW, 10, NOW + 1_000);
        const y = await create({ state: 'RUNNING', steps: { a: makeStep() } });
        const [yItem] = await claim('B', NOW, 10, NOW + 1_000);
        expect(xItem).toMatchObject({ instanceId: x.id });
        expect(yItem).toMatchObject({ instanceId: y.id });

        await storage.renewLeases!(lease('A', NOW + 5_000), [xItem!, yItem!]);
        // A's lease on x was extended; B's on y was not (A does not hold it).
        expect(keys(await claim('C', NOW + 1_500, 10, NOW + 2_500))).toEqual([`step ${y.id}/a#1`]);
        await storage.renewLeases!(lease('A', NOW + 9_000), [yItem!]);
        expect(keys(await claim('D', NOW + 2_501, 10, NOW + 60_000))).toEqual([`step ${y.id}/a#1`]);
        expect(keys(await claim('D', NOW + 5_001))).toEqual([`step ${x.id}/a#1`]);
      });

      it('removes work and timers a commit makes no longer runnable, and restores them on resume', async () => {
        if (!leased()) return;
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
        if (!leased()) return;
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
    });

    const { reopen } = options;
    if (reopen) {
      describe('durability', () => {
        it('keeps records, history, idempotency keys and timers across close + reopen', async () => {
          const now = T0 + 5_000;
          const a1 = await create({ timers: [{ id: 'x', kind: 'deadline', fireAt: now }] }, 2, 'key-a');
          const a2 = await advance(a1, { state: 'RUNNING', data: { x: 1 } }, 3);
          const b = await create({ id: 'Weird/Id:1', state: 'WAITING', timers: [{ id: 'y', kind: 'retry', fireAt: now - 1 }] });
          const c = await create({}, 0);
          const historyA = json(await storage.getHistory(a1.id));
          const timersBefore = json(await storage.dueTimers(now));
          const listBefore = json(await storage.listInstances({ order: 'asc' }));

          storage = await reopen(storage);
          expect(await storage.getInstance(a1.id)).toEqual(json(a2));
          expect(await storage.getInstance(b.id)).toEqual(json(b));
          expect(await storage.getInstance(c.id)).toEqual(json(c));
          expect(await storage.getHistory(a1.id)).toEqual(historyA);
          expect(await storage.getHistory(a1.id, 3)).toEqual(historyA.slice(3));
          expect(await storage.findByIdempotencyKey('key-a')).toEqual(json(a2));
          const { instance, events } = makeCreate();
          const again = await storage.createInstance(instance, events, 'key-a');
          expect(again).toEqual({ created: false, instance: json(a2) });
          expect(await storage.dueTimers(now)).toEqual(timersBefore);
          expect(await storage.listInstances({ order: 'asc' })).toEqual(listBefore);

          // Writing goes on where it stopped.
          await expectConflict(nextCommit(a1));
          const a3 = await advance(json(a2), { state: 'COMPLETED', timers: [] }, 1);
          await advance(json(c), {}, 2);
          storage = await reopen(storage);
          expect(await storage.getInstance(a1.id)).toEqual(json(a3));
          expect(await seqs(a1.id)).toEqual([1, 2, 3, 4, 5, 6]);
          expect(await seqs(c.id)).toEqual([1, 2]);
          expect(await storage.dueTimers(now)).toEqual([timersBefore[0]]);
          expect(await storage.getInstance(instance.id)).toBeUndefined();
        });
      });
    }
  });
}

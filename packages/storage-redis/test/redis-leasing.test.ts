import { afterEach, beforeEach, expect, it } from '@jest/globals';
import type { ClaimedWork, InstanceRecord, StepRecord } from '@workflow-mastery/core';
import { makeCreate, nextCommit } from '@workflow-mastery/core/testing';
import { RedisStorage } from '../src/index.js';
import { cleanUpAfterAll, describeWithRedis, REDIS_URL, redisReachable, testPrefixes } from './redis-test-env.js';

const reachable = await redisReachable();
const prefixes = testPrefixes();
cleanUpAfterAll(prefixes.suite, reachable);

const NOW = 1_700_000_000_000;
const scheduled = (attempt = 1): StepRecord => ({ status: 'SCHEDULED', attempt, run: 1, scheduledAt: NOW - 10 });
const A = { owner: 'engine-a', until: NOW + 30_000 };
const B = { owner: 'engine-b', until: NOW + 30_000 };
const key = (w: ClaimedWork): string => (w.kind === 'timer' ? `${w.instanceId}/timer/${w.timerId}` : `${w.instanceId}/${w.kind}/${w.stepId}#${w.attempt}`);
const keys = (work: ClaimedWork[]): string[] => work.map(key).sort();

describeWithRedis('RedisStorage leasing', reachable, () => {
  let storage: RedisStorage;
  let other: RedisStorage;

  beforeEach(async () => {
    const keyPrefix = prefixes.next();
    storage = new RedisStorage({ url: REDIS_URL, keyPrefix });
    other = new RedisStorage({ url: REDIS_URL, keyPrefix });
    await Promise.all([storage.init(), other.init()]);
  });
  afterEach(async () => {
    await Promise.all([storage.close(), other.close()]);
  });

  async function create(overrides: Partial<InstanceRecord>, lease?: { owner: string; until: number }): Promise<InstanceRecord> {
    const { instance, events } = makeCreate(overrides);
    await storage.createInstance(instance, events, undefined, lease);
    return instance;
  }

  it('offers SCHEDULED steps of RUNNING/WAITING instances, compensations of COMPENSATING ones, and due timers', async () => {
    const running = await create({ state: 'RUNNING', steps: { a: scheduled(), b: { ...scheduled(), status: 'COMPLETED' } } });
    const waiting = await create({ state: 'WAITING', steps: { w: scheduled(2) } });
    const paused = await create({ state: 'PAUSED', steps: { p: scheduled() } });
    const done = await create({ state: 'COMPLETED', steps: { d: scheduled() } });
    const compensating = await create({
      state: 'COMPENSATING',
      steps: {
        pay: { ...scheduled(), status: 'COMPLETED', compensation: { status: 'SCHEDULED', action: 'refund', attempt: 3 } },
        ship: scheduled(),
      },
    });
    const timed = await create({
      state: 'WAITING',
      timers: [
        { id: 'due', kind: 'retry', fireAt: NOW - 1, stepId: 'x' },
        { id: 'now', kind: 'deadline', fireAt: NOW },
        { id: 'later', kind: 'retry', fireAt: NOW + 1 },
      ],
    });
    const work = await storage.claimWork(A, NOW, 100);
    expect(keys(work)).toEqual(
      [
        `${running.id}/step/a#1`,
        `${waiting.id}/step/w#2`,
        `${compensating.id}/compensation/pay#3`,
        `${timed.id}/timer/due`,
        `${timed.id}/timer/now`,
      ].sort(),
    );
    expect(work).toContainEqual({ kind: 'timer', instanceId: timed.id, timerId: 'due', fireAt: NOW - 1 });
    expect(work).toContainEqual({ kind: 'compensation', instanceId: compensating.id, stepId: 'pay', attempt: 3 });
    expect(work.some((w) => w.instanceId === paused.id || w.instanceId === done.id)).toBe(false);
    expect(await other.claimWork(B, NOW + 1, 100)).toEqual([{ kind: 'timer', instanceId: timed.id, timerId: 'later', fireAt: NOW + 1 }]);
  });

  it('offers timers of PAUSED instances but not of finished ones', async () => {
    const timers = [{ id: 't', kind: 'retry' as const, fireAt: NOW - 1 }];
    const paused = await create({ state: 'PAUSED', timers });
    await create({ state: 'COMPLETED', timers });
    await create({ state: 'FAILED', timers });
    await create({ state: 'CANCELLED', timers });
    expect(keys(await storage.claimWork(A, NOW, 10))).toEqual([`${paused.id}/timer/t`]);
    expect(await storage.dueTimers(NOW)).toHaveLength(4);
  });

  it('takes attempts and due timers in turn, so neither starves the other', async () => {
    for (let i = 0; i < 4; i++) {
      await create({ state: 'RUNNING', steps: { s: scheduled() }, timers: [{ id: `t${i}`, kind: 'retry', fireAt: NOW - 100 + i }] });
    }
    const first = await storage.claimWork(A, NOW, 4);
    expect(first.map((w) => w.kind)).toEqual(['step', 'timer', 'step', 'timer']);
    expect(first.filter((w) => w.kind === 'timer').map((w) => (w as { timerId: string }).timerId)).toEqual(['t0', 't1']);
    const rest = await storage.claimWork(A, NOW, 10);
    expect(rest.map((w) => w.kind).sort()).toEqual(['step', 'step', 'timer', 'timer']);
  });

  it('leases until `until`: others get the items only once it has passed', async () => {
    const inst = await create({ state: 'RUNNING', steps: { a: scheduled() } });
    expect(keys(await storage.claimWork(A, NOW, 10))).toEqual([`${inst.id}/step/a#1`]);
    expect(await storage.claimWork(A, NOW, 10)).toEqual([]);
    expect(await other.claimWork(B, NOW + 1000, 10)).toEqual([]);
    expect(await other.claimWork(B, A.until, 10)).toEqual([]);
    const late = { owner: 'engine-b', until: A.until + 30_000 };
    expect(keys(await other.claimWork(late, A.until + 1, 10))).toEqual([`${inst.id}/step/a#1`]);
    expect(await storage.claimWork(A, A.until + 2, 10)).toEqual([]);
  });

  it('honours limit and never hands an item out twice', async () => {
    await Promise.all(Array.from({ length: 12 }, (_, i) => create({ state: 'RUNNING', steps: { s: scheduled() }, createdAt: NOW + i })));
    expect(await storage.claimWork(A, NOW, 0)).toEqual([]);
    const first = await storage.claimWork(A, NOW, 5);
    const second = await other.claimWork(B, NOW, 5);
    const third = await storage.claimWork(A, NOW, 5);
    expect([first.length, second.length, third.length]).toEqual([5, 5, 2]);
    expect(new Set(keys([...first, ...second, ...third])).size).toBe(12);
  });

  it('renewLeases extends only the leases the owner holds', async () => {
    const inst = await create({ state: 'RUNNING', steps: { a: scheduled(), b: scheduled() } });
    const mine = await storage.claimWork({ owner: 'engine-a', until: NOW + 100 }, NOW, 1);
    const theirs = await other.claimWork({ owner: 'engine-b', until: NOW + 100 }, NOW, 1);
    expect(keys([...mine, ...theirs])).toEqual([`${inst.id}/step/a#1`, `${inst.id}/step/b#1`]);
    await storage.renewLeases({ owner: 'engine-a', until: NOW + 10_000 }, [...mine, ...theirs]);
    // Only engine-b's item is free after the first leases end.
    expect(await other.claimWork({ owner: 'engine-c', until: NOW + 20_000 }, NOW + 500, 10)).toEqual(theirs);
    expect(await other.claimWork({ owner: 'engine-c', until: NOW + 20_000 }, NOW + 10_001, 10)).toEqual(mine);
    await storage.renewLeases(A, []);
  });

  it('leases a new instance and a commit\'s new work to the committer; work that stays runnable keeps its lease', async () => {
    const v1 = await create({ state: 'RUNNING', steps: { a: scheduled() } }, A);
    expect(await other.claimWork(B, NOW, 10)).toEqual([]);

    // b is new (leased to the committer, B); a stays runnable and stays with A.
    const c2 = { ...nextCommit(v1, { steps: { a: scheduled(), b: scheduled() } }), lease: B };
    await other.commit(c2);
    expect(await storage.claimWork({ owner: 'x', until: NOW + 60_000 }, NOW + 1, 10)).toEqual([]);
    expect(keys(await storage.claimWork({ owner: 'x', until: NOW + 90_000 }, A.until + 1, 10))).toEqual([`${v1.id}/step/a#1`, `${v1.id}/step/b#1`]);

    // Without a lease, new work is free at once; gone work loses its lease.
    const v3 = nextCommit(c2.instance, { steps: { a: { ...scheduled(), status: 'COMPLETED' }, b: scheduled(), c: scheduled() } });
    await storage.commit(v3);
    expect(keys(await other.claimWork(B, NOW, 10))).toEqual([`${v1.id}/step/c#1`]);
    // A retry is a new attempt: new work.
    const v4 = nextCommit(v3.instance, { steps: { ...v3.instance.steps, b: scheduled(2) } });
    await storage.commit(v4);
    expect(keys(await other.claimWork(B, NOW, 10))).toEqual([`${v1.id}/step/b#2`]);
    // Pausing removes the work; resuming makes it new again.
    const v5 = nextCommit(v4.instance, { state: 'PAUSED' });
    await storage.commit(v5);
    expect(await other.claimWork(B, NOW + 100_000, 10)).toEqual([]);
    await storage.commit({ ...nextCommit(v5.instance, { state: 'RUNNING' }), lease: A });
    expect(await other.claimWork(B, NOW, 10)).toEqual([]);
    expect(keys(await other.claimWork(B, A.until + 1, 10))).toEqual([`${v1.id}/step/b#2`, `${v1.id}/step/c#1`]);
  });

  it('never gives the same item to two concurrent claimers (two clients, 200 runnable items)', async () => {
    const instances = Array.from({ length: 50 }, () =>
      makeCreate({ state: 'RUNNING', steps: { a: scheduled(), b: scheduled(), c: scheduled(), d: scheduled() } }),
    );
    await Promise.all(instances.map(({ instance, events }) => storage.createInstance(instance, events)));
    const claimed: Record<string, string[]> = { a: [], b: [] };
    const loop = async (who: 'a' | 'b', store: RedisStorage): Promise<void> => {
      for (;;) {
        const work = await store.claimWork({ owner: who, until: NOW + 60_000 }, NOW, 7);
        if (work.length === 0) return;
        claimed[who]!.push(...work.map(key));
      }
    };
    await Promise.all([loop('a', storage), loop('b', other), loop('a', storage), loop('b', other)]);
    const all = [...claimed.a!, ...claimed.b!];
    expect(all).toHaveLength(200);
    expect(new Set(all).size).toBe(200);
    expect(claimed.a!.length).toBeGreaterThan(0);
    expect(claimed.b!.length).toBeGreaterThan(0);
  });
});

import { afterEach, beforeEach, expect, it } from '@jest/globals';
import type { InstanceRecord } from '@workflow-mastery/core';
import { makeCreate, makeStep, nextCommit } from '@workflow-mastery/core/testing';
import { Redis } from 'ioredis';
import { RedisStorage } from '../src/index.js';
import { cleanUpAfterAll, describeWithRedis, REDIS_URL, redisReachable, testPrefixes } from './redis-test-env.js';

const reachable = await redisReachable();
const prefixes = testPrefixes();
cleanUpAfterAll(prefixes.suite, reachable);

const NOW = 1_700_000_000_000;

describeWithRedis('RedisStorage retention', reachable, () => {
  let storage: RedisStorage;
  let client: Redis;

  beforeEach(async () => {
    storage = new RedisStorage({ url: REDIS_URL, keyPrefix: prefixes.next() });
    client = new Redis(REDIS_URL);
    await storage.init();
  });
  afterEach(async () => {
    await storage.close();
    client.disconnect();
  });

  /** Every key under the storage's prefix with its content, as text. */
  async function dump(): Promise<Map<string, string>> {
    const keys = await client.keys(`${storage.keyPrefix.replace(/[*?[\]\\]/g, '\\$&')}*`);
    const out = new Map<string, string>();
    for (const key of keys) {
      const type = await client.type(key);
      const content =
        type === 'hash' ? await client.hgetall(key) : type === 'zset' ? await client.zrange(key, 0, -1) : type === 'list' ? await client.lrange(key, 0, -1) : await client.get(key);
      out.set(key, JSON.stringify(content));
    }
    return out;
  }

  /** Created running with a scheduled step (claimed: leased work), then finished with purgeAfter and a timer left on the record. */
  async function finished(businessKey: string, idempotencyKey: string): Promise<InstanceRecord> {
    const overrides = { state: 'RUNNING' as const, businessKey, uniqueBusinessKey: true as const, attributes: { customer: 'C-1', region: 'eu' } };
    const { instance, events } = makeCreate({ ...overrides, steps: { a: makeStep({ scheduledAt: NOW - 10 }) } }, 1);
    await storage.createInstance(instance, events, idempotencyKey);
    expect(await storage.claimWork({ owner: 'e1', until: NOW + 1000 }, NOW, 10)).toHaveLength(1);
    const commit = nextCommit(instance, {
      state: 'COMPLETED',
      purgeAfter: NOW - 1,
      steps: { a: makeStep({ status: 'COMPLETED' }) },
      timers: [{ id: 't1', fireAt: NOW + 5000, kind: 'deadline' }],
    });
    await storage.commit(commit);
    return commit.instance;
  }

  it('a purge leaves no key, field or member naming the instance, and keeps every entry of the others', async () => {
    const doomed = await finished('B-1', 'idem-doomed');
    const kept = await finished('B-2', 'idem-kept');
    const before = await dump();
    expect([...before.values()].some((content) => content.includes(doomed.id))).toBe(true);

    expect(await storage.purgeInstances([{ id: doomed.id, version: doomed.version }])).toEqual([doomed.id]);
    const after = await dump();
    for (const [key, content] of after) {
      expect(key).not.toContain(doomed.id);
      expect(content).not.toContain(doomed.id);
      expect(content).not.toContain('idem-doomed');
      expect(content).not.toContain('B-1');
    }
    // What named the kept instance before names it still.
    for (const [key, content] of before) if (!content.includes(doomed.id) && content.includes(kept.id)) expect(after.get(key)).toBe(content);
    expect([...after.values()].filter((content) => content.includes(kept.id)).length).toBeGreaterThanOrEqual(8);
    expect(await storage.findPurgeable(NOW, 10)).toEqual([expect.objectContaining({ id: kept.id })]);
  });

  it('writes the attribute indexes only when a commit changes the attributes', async () => {
    const { instance, events } = makeCreate({ attributes: { customer: 'C-1' }, createdAt: NOW });
    await storage.createInstance(instance, events);
    const index = `${storage.keyPrefix}attr:${JSON.stringify(['customer', 'C-1'])}`;
    expect(await client.zrange(index, 0, -1, 'WITHSCORES')).toEqual([instance.id, String(NOW)]);
    // A marker score: a commit that rewrote the index would put createdAt back.
    await client.zadd(index, 42, instance.id);
    const same = nextCommit(instance, { data: { more: 1 } });
    await storage.commit(same);
    expect(await client.zrange(index, 0, -1, 'WITHSCORES')).toEqual([instance.id, '42']);
    await storage.commit(nextCommit(same.instance, { attributes: { customer: 'C-2' } }));
    expect(await client.exists(index)).toBe(0);
    expect(await client.zrange(`${storage.keyPrefix}attr:${JSON.stringify(['customer', 'C-2'])}`, 0, -1, 'WITHSCORES')).toEqual([instance.id, String(NOW)]);
  });

  it('frees an idempotency key whose instance is gone (stores written before purge kept no `ik`)', async () => {
    const first = makeCreate({});
    await storage.createInstance(first.instance, first.events, 'old-key');
    await client.del(`${storage.keyPrefix}i:${first.instance.id}`, `${storage.keyPrefix}h:${first.instance.id}`);
    const second = makeCreate({});
    expect(await storage.createInstance(second.instance, second.events, 'old-key')).toEqual({ created: true, instance: second.instance });
    expect((await storage.findByIdempotencyKey('old-key'))?.id).toBe(second.instance.id);
  });
});

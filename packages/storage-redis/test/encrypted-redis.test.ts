import { randomBytes } from 'node:crypto';
import { expect, it } from '@jest/globals';
import { EncryptedStorage, type StorageAdapter } from '@workflow-mastery/core';
import { makeCreate } from '@workflow-mastery/core/testing';
import { runStorageConformance } from '@workflow-mastery/core/testing';
import { Redis } from 'ioredis';
import { RedisStorage } from '../src/index.js';
import { cleanUpAfterAll, describeWithRedis, REDIS_URL, redisReachable, testPrefixes } from './redis-test-env.js';

const reachable = await redisReachable();
const prefixes = testPrefixes();
cleanUpAfterAll(prefixes.suite, reachable);

const keys = { k1: randomBytes(32) };
const encrypted = (keyPrefix: string): EncryptedStorage =>
  new EncryptedStorage(new RedisStorage({ url: REDIS_URL, keyPrefix }), { keys, currentKeyId: 'k1' });

describeWithRedis('EncryptedStorage over RedisStorage', reachable, () => {
  runStorageConformance('encrypted redis', () => encrypted(prefixes.next()), {
    capabilities: { commitMany: true, writeBatch: false, claimWork: true, renewLeases: true, rewriteHistory: true, purge: true, acquireLease: true },
    reopen: async (old: StorageAdapter) => {
      const { keyPrefix } = (old as EncryptedStorage).inner as RedisStorage;
      await old.close();
      return encrypted(keyPrefix);
    },
    openSecond: (first: StorageAdapter) => Promise.resolve(encrypted(((first as EncryptedStorage).inner as RedisStorage).keyPrefix)),
  });

  it('passes leasing through and stores no plaintext in Redis', async () => {
    const storage = encrypted(prefixes.next());
    const client = new Redis(REDIS_URL);
    try {
      expect(storage.prefersGroupCommit).toBe(true);
      const { instance, events } = makeCreate({
        state: 'RUNNING',
        data: { secret: 'top-secret-value' },
        steps: { a: { status: 'SCHEDULED', attempt: 1, run: 1, scheduledAt: 1 } },
      });
      await storage.createInstance(instance, events);
      expect(await storage.claimWork!({ owner: 'me', until: 2e12 }, 1e12, 10)).toEqual([
        { kind: 'step', instanceId: instance.id, stepId: 'a', attempt: 1 },
      ]);
      const { keyPrefix } = storage.inner as RedisStorage;
      const raw = await client.hget(`${keyPrefix}i:${instance.id}`, 'rec');
      expect(raw).toContain('"$enc":"aes-256-gcm"');
      expect(raw).not.toContain('top-secret-value');
      expect((await storage.getInstance(instance.id))?.data).toEqual({ secret: 'top-secret-value' });
    } finally {
      await storage.close();
      client.disconnect();
    }
  });
  it('re-encrypts everything from key A to key B, after which a storage with only B reads it', async () => {
    const keyPrefix = prefixes.next();
    const [A, B] = [randomBytes(32), randomBytes(32)];
    const withKeys = (k: Record<string, Buffer>, currentKeyId: string) => new EncryptedStorage(new RedisStorage({ url: REDIS_URL, keyPrefix }), { keys: k, currentKeyId });
    const old = withKeys({ A }, 'A');
    const ids: string[] = [];
    for (let n = 0; n < 5; n++) {
      const { instance, events } = makeCreate({ createdAt: 1_700_000_000_000 + n, data: { secret: `s-${n}` } }, 2);
      events[1]!.data = { note: `e-${n}` };
      await old.createInstance(instance, events);
      ids.push(instance.id);
    }
    await old.close();
    const rotated = withKeys({ A, B }, 'B');
    const first = await rotated.reencrypt({ batchSize: 2, maxInstances: 3 });
    expect(first).toMatchObject({ instances: 3, records: 3, events: 3, done: false });
    expect(await rotated.reencrypt({ batchSize: 2, cursor: first.nextCursor! })).toMatchObject({ instances: 2, records: 2, events: 2, done: true });
    expect(await rotated.keyUsage()).toMatchObject({ instances: 5, keys: { B: 10 }, unencrypted: 0 });
    await rotated.close();
    const onlyB = withKeys({ B }, 'B');
    try {
      for (const [n, id] of ids.entries()) {
        expect((await onlyB.getInstance(id))?.data).toEqual({ secret: `s-${n}` });
        expect((await onlyB.getHistory(id)).map((e) => e.data)).toEqual([undefined, { note: `e-${n}` }]);
      }
    } finally {
      await onlyB.close();
    }
  });
});

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
    capabilities: { commitMany: true, writeBatch: false, claimWork: true, renewLeases: true, rewriteHistory: true },
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
});

import type { StorageAdapter } from '@workflow-mastery/core';
import { runStorageConformance } from '@workflow-mastery/core/testing';
import { RedisStorage } from '../src/index.js';
import { cleanUpAfterAll, describeWithRedis, REDIS_URL, redisReachable, testPrefixes } from './redis-test-env.js';

const reachable = await redisReachable();
const prefixes = testPrefixes();
cleanUpAfterAll(prefixes.suite, reachable);

describeWithRedis('RedisStorage', reachable, () => {
  // Each test gets an empty store under its own prefix; reopen and openSecond are new clients on the same prefix.
  runStorageConformance('redis', () => new RedisStorage({ url: REDIS_URL, keyPrefix: prefixes.next(), maxPayloadBytes: 1_048_576 }), {
    maxPayloadBytes: 1_048_576,
    capabilities: { commitMany: true, writeBatch: false, claimWork: true, renewLeases: true, rewriteHistory: true, purge: true, acquireLease: true },
    reopen: async (old: StorageAdapter) => {
      const { keyPrefix } = old as RedisStorage;
      await old.close();
      const reopened = new RedisStorage({ url: REDIS_URL, keyPrefix });
      await reopened.init();
      return reopened;
    },
    // Another engine's client on the same prefix.
    openSecond: (first: StorageAdapter) => Promise.resolve(new RedisStorage({ url: REDIS_URL, keyPrefix: (first as RedisStorage).keyPrefix })),
  });
});

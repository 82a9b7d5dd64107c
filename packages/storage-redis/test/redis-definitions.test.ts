/** Where RedisStorage keeps stored definitions, and what it reports when they were tampered with. */
import { expect, it } from '@jest/globals';
import { StorageCorruptError } from '@workflow-mastery/core';
import { makeStoredDefinition } from '@workflow-mastery/core/testing';
import { Redis } from 'ioredis';
import { RedisStorage } from '../src/index.js';
import { cleanUpAfterAll, describeWithRedis, REDIS_URL, redisReachable, testPrefixes } from './redis-test-env.js';

const reachable = await redisReachable();
const prefixes = testPrefixes();
cleanUpAfterAll(prefixes.suite, reachable);

describeWithRedis('RedisStorage definitions', reachable, () => {
  it('keeps each version in its own hash under the prefix, and its summary in the index', async () => {
    const keyPrefix = prefixes.next();
    const storage = new RedisStorage({ url: REDIS_URL, keyPrefix });
    const client = new Redis(REDIS_URL);
    try {
      const def = makeStoredDefinition('order:eu', '1', ['a']);
      await storage.saveDefinition(def);
      await storage.saveDefinition(makeStoredDefinition('order:eu', '1', ['b']));
      const field = JSON.stringify(['order:eu', '1']);
      expect(await client.hgetall(`${keyPrefix}dv:${field}`)).toEqual({
        name: 'order:eu',
        ver: '1',
        hash: def.hash,
        src: def.source,
        at: String(def.storedAt),
      });
      expect(JSON.parse((await client.hget(`${keyPrefix}dvs`, field))!)).toEqual({ name: 'order:eu', version: '1', hash: def.hash, storedAt: def.storedAt });
      expect((await client.keys(`${keyPrefix}*`)).sort()).toEqual([`${keyPrefix}dv:${field}`, `${keyPrefix}dvs`]);
    } finally {
      await storage.close();
      client.disconnect();
    }
  });

  it('reports a version hash or an index entry that was tampered with, naming the key', async () => {
    const keyPrefix = prefixes.next();
    const storage = new RedisStorage({ url: REDIS_URL, keyPrefix });
    const client = new Redis(REDIS_URL);
    try {
      await storage.saveDefinition(makeStoredDefinition('order', '2'));
      const field = JSON.stringify(['order', '2']);
      await client.hset(`${keyPrefix}dv:${field}`, 'hash', 'nope');
      const error = await storage.getDefinition('order', '2').then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(StorageCorruptError);
      expect((error as Error).message).toContain(`Redis key "${keyPrefix}dv:${field}"`);
      // A second save of the version reads the tampered one back: reported too.
      await expect(storage.saveDefinition(makeStoredDefinition('order', '2'))).rejects.toThrow(StorageCorruptError);
      await client.hset(`${keyPrefix}dvs`, field, '{"name":');
      await expect(storage.listDefinitions()).rejects.toThrow(`Redis key "${keyPrefix}dvs"`);
    } finally {
      await storage.close();
      client.disconnect();
    }
  });
});

/** The payload-limit contract (an outcome over the limit fails its attempt once) on Redis. */
import { runPayloadLimitContract } from '@workflow-mastery/core/testing';
import { RedisStorage } from '../src/index.js';
import { cleanUpAfterAll, describeWithRedis, REDIS_URL, redisReachable, testPrefixes } from './redis-test-env.js';

const reachable = await redisReachable();
const prefixes = testPrefixes();
cleanUpAfterAll(prefixes.suite, reachable);

describeWithRedis('RedisStorage', reachable, () => {
  runPayloadLimitContract('redis', (limit) => new RedisStorage({ url: REDIS_URL, keyPrefix: prefixes.next(), maxPayloadBytes: limit }));
});

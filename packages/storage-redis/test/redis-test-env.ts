/**
 * What the Redis suites share: the test Redis (REDIS_URL, default 127.0.0.1:6379), whether it is
 * reachable, a random key prefix per suite with a fresh sub-prefix per test, and the clean-up.
 * Without Redis the suites are skipped with a warning, except on CI (CI set), where they fail.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, describe, it } from '@jest/globals';
import { Redis } from 'ioredis';

/** The Redis the tests use. */
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

const HOW_TO_START =
  `Redis is not reachable at ${REDIS_URL}: start it (\`redis-server --daemonize yes\`, ` +
  '`docker run -d -p 6379:6379 redis:7`, or `sudo service redis-server start`) or set REDIS_URL.';

/** A client that fails fast instead of retrying. */
export function quickClient(): Redis {
  return new Redis(REDIS_URL, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0, connectTimeout: 1000 });
}

/** True when the test Redis answers PING. */
export async function redisReachable(): Promise<boolean> {
  const client = quickClient();
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
    return true;
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

/**
 * `describe(name, body)` when Redis is reachable; otherwise a failing test on CI and a skipped
 * suite with a warning elsewhere.
 */
export function describeWithRedis(name: string, reachable: boolean, body: () => void): void {
  if (reachable) {
    describe(name, body);
  } else if (process.env.CI) {
    describe(name, () => {
      it('needs Redis', () => {
        throw new Error(`${HOW_TO_START} (CI is set, so the Redis suites fail instead of being skipped.)`);
      });
    });
  } else {
    console.warn(`Skipping "${name}": ${HOW_TO_START}`);
    describe.skip(name, body);
  }
}

/** Escapes glob characters for SCAN MATCH. */
function globEscape(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}

/**
 * A random prefix for this suite; `next()` gives each test its own (empty) sub-prefix. Register
 * `cleanUp` in afterAll to delete every key under the suite's prefix.
 */
export function testPrefixes(): { suite: string; next: () => string } {
  const suite = `wmtest:${randomUUID().slice(0, 8)}:`;
  let n = 0;
  return { suite, next: () => `${suite}${++n}:` };
}

/** Deletes every key under `prefix`. */
export async function deleteKeys(prefix: string): Promise<void> {
  const client = quickClient();
  client.on('error', () => undefined);
  try {
    await client.connect();
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${globEscape(prefix)}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await client.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    client.disconnect();
  }
}

/** afterAll that deletes the suite's keys (when Redis is reachable). */
export function cleanUpAfterAll(prefix: string, reachable: boolean): void {
  if (reachable) afterAll(() => deleteKeys(prefix));
}

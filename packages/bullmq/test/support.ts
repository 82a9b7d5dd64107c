/**
 * Redis for the BullMQ suites: the Redis storage suites' test Redis (REDIS_URL, whether it is
 * reachable, fail-on-CI), each BullMQ file on a Redis database number of its own (so that a
 * FLUSHDB in one never touches the others, or the Redis storage suites on db 0), unique queues.
 */
import { randomUUID } from 'node:crypto';
import { silentLogger, type Logger } from '@workflow-mastery/core';
import { REDIS_URL } from '../../storage-redis/test/redis-test-env.js';

export { describeWithRedis, redisReachable } from '../../storage-redis/test/redis-test-env.js';

/** `redis://` URL of database `db` of the test Redis. */
export const redisUrl = (db: number): string => {
  const url = new URL(REDIS_URL);
  url.pathname = `/${db}`;
  return url.toString();
};

/** A queue name no other test uses. */
export const uniqueQueue = (label: string) => `wm-test-${label}-${randomUUID().slice(0, 8)}`;

/** A logger that keeps warnings and errors for assertions. */
export function recordingLogger(): Logger & { lines: Array<{ level: string; msg: string; obj: object }> } {
  const lines: Array<{ level: string; msg: string; obj: object }> = [];
  const log = (level: string) => (obj: object, msg?: string) => void lines.push({ level, msg: msg ?? '', obj });
  return { ...silentLogger, warn: log('warn'), error: log('error'), lines };
}

/** Polls `check` until it is true or `timeoutMs` passes. */
export async function eventually(check: () => Promise<boolean> | boolean, timeoutMs = 15_000, what = 'condition'): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** ioredis options of database `db` of the test Redis (for BullMQ `Queue`s made by the tests). */
export function redisOptions(db: number): { host: string; port: number; db: number } {
  const url = new URL(REDIS_URL);
  return { host: url.hostname, port: Number(url.port || 6379), db };
}

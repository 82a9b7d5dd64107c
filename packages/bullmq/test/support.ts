/**
 * Redis for the BullMQ suites: each file uses its own Redis database number (so that a FLUSHDB
 * in one never touches the others, or the Redis storage suites on db 0) and unique queue names.
 * Without Redis the suites are skipped with a warning, except on CI (CI set), where they fail.
 */
import { randomUUID } from 'node:crypto';
import { describe, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { silentLogger, type Logger } from '@workflow-mastery/core';

export const REDIS_HOST = process.env.WM_REDIS_HOST ?? '127.0.0.1';
export const REDIS_PORT = Number(process.env.WM_REDIS_PORT ?? 6379);

/** `redis://` URL of database `db`. */
export const redisUrl = (db: number) => `redis://${REDIS_HOST}:${REDIS_PORT}/${db}`;

/** True when Redis answers a PING within 2 s. */
export async function redisReachable(): Promise<boolean> {
  const client = new Redis({ host: REDIS_HOST, port: REDIS_PORT, lazyConnect: true, connectTimeout: 2000, maxRetriesPerRequest: 0, retryStrategy: () => null });
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

/** `describe` when Redis is reachable; a failing test on CI; a skipped suite with a warning elsewhere. */
export function describeWithRedis(name: string, reachable: boolean, body: () => void): void {
  if (reachable) describe(name, body);
  else if (process.env.CI) {
    describe(name, () => {
      it('needs Redis', () => {
        throw new Error(`Redis is not reachable at ${REDIS_HOST}:${REDIS_PORT}: start it (redis-server --daemonize yes) or set WM_REDIS_HOST/WM_REDIS_PORT. CI is set, so this suite fails instead of being skipped.`);
      });
    });
  } else {
    console.warn(`Redis not reachable at ${REDIS_HOST}:${REDIS_PORT}: skipping "${name}" (on CI it fails).`);
    describe.skip(name, body);
  }
}

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

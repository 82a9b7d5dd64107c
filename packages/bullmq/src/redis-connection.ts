/** ioredis connections for BullMQ: error events logged (not thrown), and a bounded wait for Redis at start. */
import { Redis, type RedisOptions } from 'ioredis';
import { ErrorCode, WorkflowError, type Logger } from '@workflow-mastery/core';

/** Where `connection` points, for messages (never the password). */
export function describeConnection(connection: string | RedisOptions): string {
  if (typeof connection === 'string') {
    try {
      const url = new URL(connection);
      return `${url.hostname}:${url.port || 6379}`;
    } catch {
      return 'the configured Redis';
    }
  }
  return connection.path ?? `${connection.host ?? '127.0.0.1'}:${connection.port ?? 6379}`;
}

/**
 * A connection as BullMQ needs it (`maxRetriesPerRequest: null`: commands wait for a reconnect
 * instead of failing), reconnecting with backoff, its errors logged at most every 5 s.
 */
export function openConnection(connection: string | RedisOptions, logger: Logger, role: string, pipeline = false): Redis {
  const options: RedisOptions = {
    maxRetriesPerRequest: null,
    // Commands of one tick in one socket write: writes are what costs on a busy host.
    enableAutoPipelining: pipeline,
    enableReadyCheck: true,
    retryStrategy: (times) => Math.min(100 * 2 ** Math.min(times, 5), 2000),
  };
  const client = typeof connection === 'string' ? new Redis(connection, options) : new Redis({ ...connection, ...options });
  let lastLog = 0;
  client.on('error', (error: Error) => {
    const now = Date.now();
    if (now - lastLog < 5000) return;
    lastLog = now;
    logger.warn({ err: { message: error.message }, redis: describeConnection(connection), role }, 'Redis connection error; reconnecting');
  });
  return client;
}

/** Resolves once `client` is ready; fails with WF_QUEUE_UNAVAILABLE after `timeoutMs`. */
export async function waitForRedis(client: Redis, connection: string | RedisOptions, timeoutMs: number, logger: Logger): Promise<void> {
  if (client.status === 'ready') return;
  let lastError = 'no answer';
  const onError = (error: Error) => (lastError = error.message);
  client.on('error', onError);
  const warn = setInterval(() => logger.warn({ redis: describeConnection(connection), error: lastError }, 'waiting for Redis'), 5000);
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        client.off('ready', ready);
        reject(
          new WorkflowError(
            ErrorCode.QueueUnavailable,
            `Redis at ${describeConnection(connection)} is not reachable after ${timeoutMs} ms (${lastError}). Start Redis or fix the runner's "connection" option.`,
          ),
        );
      }, timeoutMs);
      const ready = () => {
        clearTimeout(timer);
        resolve();
      };
      client.once('ready', ready);
    });
  } finally {
    clearInterval(warn);
    client.off('error', onError);
  }
}

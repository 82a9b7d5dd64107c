/**
 * The client {@link RedisStorage} opens for itself, and the errors it raises when Redis cannot be
 * reached: at start, or when a connection is lost or refused later.
 */
import { ErrorCode, WorkflowError } from '@workflow-mastery/core';
import { Redis } from 'ioredis';

/** Default Redis address. */
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/**
 * Code of {@link redisUnavailableError}. Core's `ErrorCode` has no storage-unavailable code yet,
 * hence the cast; the value is stable.
 */
export const REDIS_UNAVAILABLE = ErrorCode.StorageUnavailable;

/**
 * A client that connects only when told (so `init()` sees the failure), queues nothing while
 * disconnected (commands during an outage reject at once, and the engine retries them) and never
 * re-sends a command whose connection dropped (a compare-and-swap must not run twice unseen). It
 * reconnects on its own, backing off up to 2 s.
 */
export function createRedisClient(url: string, connectTimeoutMs: number): Redis {
  const redis = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    connectTimeout: connectTimeoutMs,
    // How long a closing socket may take to end before it is destroyed (keeps the process alive).
    disconnectTimeout: 500,
    retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 6), 2000),
  });
  return redis;
}

/** The address of a client, for messages (no password). */
export function describeClient(redis: Redis): string {
  const { host, port, path, db } = redis.options;
  return path ? `redis+unix://${path}` : `redis://${host ?? '127.0.0.1'}:${port ?? 6379}${db ? `/${db}` : ''}`;
}

/** Hides the password of a `redis://user:password@host` url. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}

/** Redis did not answer at `init()`. */
export function redisUnavailableError(where: string, cause: unknown): WorkflowError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new WorkflowError(
    REDIS_UNAVAILABLE,
    `Cannot reach Redis at ${where} (${reason}). Start it (e.g. \`redis-server --port 6379\`, ` +
      '`docker run -d -p 6379:6379 redis:7`, or `sudo service redis-server start`) or pass the right `url` ' +
      '(or your own ioredis client as `redis`) to new RedisStorage({ url }).',
    { url: where },
    { cause },
  );
}

/**
 * `error` as a command of the storage at `where` rejects with it: errors Redis answered (and our
 * own) pass; a lost or refused connection is named, with what to do about a write in flight.
 */
export function redisLostError(where: string, error: unknown): unknown {
  if (!(error instanceof Error) || error instanceof WorkflowError || error.name === 'ReplyError') return error;
  return new WorkflowError(
    REDIS_UNAVAILABLE,
    `Redis at ${where} is unavailable (${error.message}); the client reconnects on its own: retry the operation ` +
      '(a write whose connection dropped may have been applied: re-read before retrying).',
    { url: where },
    { cause: error },
  );
}

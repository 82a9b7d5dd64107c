/**
 * @workflow-mastery/storage-redis: a {@link RedisStorage} for the workflow engine, with atomic
 * compare-and-swap commits (one Lua script each) and work leasing for several engines.
 *
 * ```ts
 * import { WorkflowEngine } from '@workflow-mastery/core';
 * import { RedisStorage } from '@workflow-mastery/storage-redis';
 *
 * const engine = new WorkflowEngine({ storage: new RedisStorage({ url: 'redis://127.0.0.1:6379' }) });
 * ```
 * @packageDocumentation
 */
export { RedisStorage } from './redis-storage.js';
export { DEFAULT_MAX_PAYLOAD_BYTES, type RedisStorageOptions } from './redis-storage.options.js';
export { DEFAULT_REDIS_URL, REDIS_UNAVAILABLE } from './redis-connection.js';

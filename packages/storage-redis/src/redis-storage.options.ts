/** What a {@link RedisStorage} is given: the client or where to connect, and its key prefix. */
import type { Redis } from 'ioredis';

/** Options of {@link RedisStorage}. */
export interface RedisStorageOptions {
  /**
   * Your ioredis client. It is used as it is configured and never closed by the storage (close it
   * yourself after `storage.close()`). Give either `redis` or `url`.
   */
  redis?: Redis;
  /** Where to connect when no `redis` is given. @defaultValue `redis://127.0.0.1:6379` */
  url?: string;
  /**
   * Prefix of every key. Storages with the same prefix on the same Redis share their instances.
   * On Redis Cluster use a hash tag, e.g. `{wm}:`. @defaultValue `wm:`
   */
  keyPrefix?: string;
  /** Connect timeout of the storage's own client, per attempt. @defaultValue 5000 */
  connectTimeoutMs?: number;
  /**
   * Largest JSON (UTF-8 bytes) of an instance record or one history event: larger is refused with
   * `WF_PAYLOAD_TOO_LARGE` before anything is sent (and the engine checks data where it enters
   * against it). @defaultValue 16777216 (16 MiB)
   */
  maxPayloadBytes?: number;
}

/** Default of {@link RedisStorageOptions.maxPayloadBytes}: 16 MiB. */
export const DEFAULT_MAX_PAYLOAD_BYTES = 16 * 1_048_576;

/**
 * {@link StorageAdapter} on Redis: every create and commit is one Lua script (compare-and-swap on
 * the stored version, record + history + indexes + timers + claimable work in one atomic step),
 * so any number of engines can share one Redis and claim work from it.
 */
import {
  BusinessKeyTakenError,
  ConcurrencyError,
  ErrorCode,
  WorkflowError,
  type ClaimedWork,
  type Commit,
  type CreateResult,
  type DueTimer,
  type HistoryEvent,
  type HistoryRewrite,
  type InstancePage,
  type InstanceQuery,
  type InstanceRecord,
  type Lease,
  type PurgeCandidate,
  type StorageAdapter,
  type StoredDefinition,
  type StoredDefinitionSummary,
} from '@workflow-mastery/core';
import type { Redis } from 'ioredis';
import { commitPipelined } from './commit-pipeline.js';
import { readDueTimers } from './due-timers.js';
import { rewriteHistoryList } from './history-rewrite.js';
import { listInstances, recordLoader, type RecordLoader } from './instance-listing.js';
import {
  createRedisClient,
  DEFAULT_REDIS_URL,
  describeClient,
  redactUrl,
  redisLostError,
  redisUnavailableError,
} from './redis-connection.js';
import { RedisDefinitions } from './redis-definitions.js';
import { RedisKeys } from './redis-keys.js';
import { DEFAULT_MAX_PAYLOAD_BYTES, type RedisStorageOptions } from './redis-storage.options.js';
import { checkMaxPayloadBytes } from '@workflow-mastery/core/storage-kit';
import { defineScripts, type ScriptCommands } from './redis-scripts.js';
import { commitArgs, commitError, createArgs, leaseArgs, renewArgs, requireFinite } from './script-args.js';
import { RedisRetention } from './redis-retention.js';
import { parseHistory, parseRecord } from './stored-values.js';
import { parseWorkMember } from './work-items.js';

/**
 * Durable storage on Redis (5+; ioredis). One hash per instance holds its JSON record, one list its
 * history; sorted sets index instances by creation time (all, per definition, state, business key,
 * attribute value), finished ones by `purgeAfter`, timers by `fireAt`, and claimable work for
 * {@link RedisStorage.claimWork}. See redis-keys.ts for the layout.
 *
 * With its own client (`url`), commands issued while Redis is down reject at once (nothing is
 * queued) and the client reconnects on its own; a command in flight when the connection drops
 * rejects too and is not re-sent, so a commit's outcome is then unknown until the instance is
 * re-read (a retried commit fails with ConcurrencyError if the first one landed).
 *
 * ```ts
 * const storage = new RedisStorage({ url: 'redis://127.0.0.1:6379', keyPrefix: 'orders:' });
 * const engine = new WorkflowEngine({ storage });
 * ```
 */
export class RedisStorage implements StorageAdapter {
  /** Prefix of every key of this storage. */
  readonly keyPrefix: string;
  /** Each commit is a round trip: the engine batches commits of many instances into `commitMany`. */
  readonly prefersGroupCommit = true;
  /** Largest JSON (UTF-8 bytes) of a record or an event: larger is refused with `WF_PAYLOAD_TOO_LARGE`. */
  readonly maxPayloadBytes: number;
  private readonly redis: Redis & ScriptCommands;
  private readonly ownsClient: boolean;
  private readonly keys: RedisKeys;
  private readonly definitions: RedisDefinitions;
  /** Where Redis is, for messages. */
  private readonly where: string;
  private opening?: Promise<void>;
  private opened = false;
  private closed = false;
  private lastError?: Error;
  /** Records by id, in one round trip. */
  private readonly loadRecords: RecordLoader;
  private readonly retention: RedisRetention;

  constructor(options: RedisStorageOptions = {}) {
    if (options.redis && options.url !== undefined) {
      throw new TypeError('new RedisStorage({ redis, url }): give either your ioredis client as `redis` or a `url`, not both.');
    }
    const prefix = options.keyPrefix ?? 'wm:';
    if (typeof prefix !== 'string') throw new TypeError(`new RedisStorage({ keyPrefix }): keyPrefix must be a string such as 'wm:', got ${typeof prefix}.`);
    this.keyPrefix = prefix;
    this.maxPayloadBytes = checkMaxPayloadBytes(options.maxPayloadBytes, 'RedisStorage') ?? DEFAULT_MAX_PAYLOAD_BYTES;
    this.keys = new RedisKeys(prefix);
    if (options.redis) {
      this.redis = defineScripts(options.redis);
      this.ownsClient = false;
      this.where = describeClient(options.redis);
    } else {
      const url = options.url ?? DEFAULT_REDIS_URL;
      const client = createRedisClient(url, options.connectTimeoutMs ?? 5000);
      // Keeps the last error for messages (and ioredis from logging "Unhandled error event").
      client.on('error', (error: Error) => {
        this.lastError = error;
      });
      this.redis = defineScripts(client);
      this.ownsClient = true;
      this.where = redactUrl(url);
    }
    this.definitions = new RedisDefinitions(this.redis, this.keys, (work) => this.run(work));
    this.loadRecords = recordLoader(this.redis, this.keys, (work) => this.run(work), this.where);
    this.retention = new RedisRetention(this.redis, this.keys, (work) => this.run(work), this.loadRecords);
  }

  /**
   * Connects (own client) and checks that Redis answers. Idempotent; the other methods call it
   * when it was not called.
   * @throws WorkflowError (WF_STORAGE_UNAVAILABLE) naming the address and how to start Redis.
   */
  init(): Promise<void> {
    if (this.closed) return Promise.reject(this.closedError());
    this.opening ??= this.open().catch((error: unknown) => {
      this.opening = undefined;
      throw error;
    });
    return this.opening;
  }

  private async open(): Promise<void> {
    try {
      if (this.ownsClient && (this.redis.status === 'wait' || this.redis.status === 'end')) {
        this.lastError = undefined;
        await this.redis.connect();
      }
      await this.redis.ping();
    } catch (error) {
      if (this.ownsClient) this.redis.disconnect();
      throw redisUnavailableError(this.where, this.lastError ?? error);
    }
    this.opened = true;
  }

  private closedError(): WorkflowError {
    return new WorkflowError(ErrorCode.EngineClosed, `RedisStorage (${this.where}, prefix "${this.keyPrefix}") is closed; create a new RedisStorage.`, {
      url: this.where,
      keyPrefix: this.keyPrefix,
    });
  }

  private async ready(): Promise<void> {
    if (this.closed) throw this.closedError();
    if (!this.opened) await this.init();
  }

  /** Runs Redis commands, turning connection failures into a clear WorkflowError. */
  private async run<T>(work: () => Promise<T>): Promise<T> {
    await this.ready();
    try {
      return await work();
    } catch (error) {
      throw redisLostError(this.where, error);
    }
  }

  // ---- writes ------------------------------------------------------------------------------

  /**
   * Stores a new instance with its first events, idempotency key, work (leased to `lease`), business
   * key and attributes in one script, which also checks a unique business key.
   * @throws ConcurrencyError when the id exists; BusinessKeyTakenError when an unfinished instance
   * holds its unique business key; Error when the record or events are malformed.
   */
  async createInstance(instance: InstanceRecord, events: HistoryEvent[], idempotencyKey?: string, lease?: Lease): Promise<CreateResult> {
    const args = createArgs(this.keys, instance, events, idempotencyKey, lease, this.maxPayloadBytes);
    const reply = await this.run(() => this.redis.wmStorageCreate(...args));
    if (reply[0] === 1) return { created: true, instance };
    if (reply[0] === 0) {
      const existingId = String(reply[1]);
      const existing = await this.getInstance(existingId);
      // Purged since the script ran: the key is free again.
      return existing ? { created: false, instance: existing } : this.createInstance(instance, events, idempotencyKey, lease);
    }
    if (reply[0] === -3) throw new BusinessKeyTakenError(instance.definitionName, instance.businessKey!, String(reply[1]));
    throw new ConcurrencyError(instance.id, 0, Number(reply[1]));
  }

  /**
   * Compare-and-swap: replaces the record, appends the events and updates indexes, timers and work
   * in one script, only if the stored version is `expectedVersion`. New work is leased to
   * `commit.lease`; work that stays runnable keeps its lease.
   * @throws ConcurrencyError on a version mismatch (nothing written); Error on malformed events.
   */
  async commit(commit: Commit): Promise<void> {
    const args = commitArgs(this.keys, commit, this.maxPayloadBytes);
    const reply = await this.run(() => this.redis.wmStorageCommit(...args));
    const error = commitError(commit, reply);
    if (error) throw error;
  }

  /** The commits' scripts in one pipeline (one round trip); each succeeds or fails on its own. */
  commitMany(commits: Commit[]): Promise<Array<Error | undefined>> {
    return commitPipelined(this.redis, this.keys, commits, this.maxPayloadBytes, (work) => this.run(work), this.where);
  }

  // ---- reads -------------------------------------------------------------------------------

  async getInstance(id: string): Promise<InstanceRecord | undefined> {
    const key = this.keys.instance(id);
    const raw = await this.run(() => this.redis.hget(key, 'rec'));
    return raw === null ? undefined : parseRecord(raw, key);
  }

  async findByIdempotencyKey(key: string): Promise<InstanceRecord | undefined> {
    const id = await this.run(() => this.redis.hget(this.keys.idempotency, key));
    return id === null ? undefined : this.getInstance(id);
  }

  /** Filters, order and cursor as core's MemoryStorage; ties of createdAt order by id (UTF-8 bytes). */
  async listInstances(query?: InstanceQuery): Promise<InstancePage> {
    await this.ready();
    return this.run(() => listInstances(this.redis, this.keys, this.loadRecords, query));
  }

  async getHistory(id: string, afterSeq = 0): Promise<HistoryEvent[]> {
    const key = this.keys.history(id);
    const start = Math.max(0, Math.floor(afterSeq) || 0);
    const raws = await this.run(() => this.redis.lrange(key, start, -1));
    return parseHistory(raws, start, key);
  }

  /** One script replaces the events (see history-rewrite.ts). @inheritDoc */
  rewriteHistory(instanceId: string, rewrites: HistoryRewrite[]): Promise<void> {
    return rewriteHistoryList(this.redis, this.keys.history(instanceId), instanceId, rewrites, (work) => this.run(work));
  }

  async dueTimers(before: number, limit?: number): Promise<DueTimer[]> {
    if (limit !== undefined && !(limit > 0)) return [];
    return this.run(() => readDueTimers(this.redis, this.keys.timers, before, limit));
  }

  // ---- definitions (see redis-definitions.ts) --------------------------------------------

  /** Written once per version by a script (atomic against other engines); returns what is stored. */
  saveDefinition(definition: StoredDefinition): Promise<StoredDefinition> {
    return this.definitions.save(definition);
  }

  getDefinition(name: string, version: string): Promise<StoredDefinition | undefined> {
    return this.definitions.get(name, version);
  }

  listDefinitions(name?: string): Promise<StoredDefinitionSummary[]> {
    return this.definitions.list(name);
  }

  // ---- leasing -----------------------------------------------------------------------------

  /**
   * Leases up to `limit` items to `lease` in one script: runnable attempts, and timers due at `now`
   * of unfinished instances, that nobody holds (no lease, or its `until` < `now`). Attempts and
   * timers are taken in turn (neither starves the other); attempts earliest scheduled first, then
   * by expired lease; timers by time. Concurrent claimers never share an item.
   */
  async claimWork(lease: Lease, now: number, limit: number): Promise<ClaimedWork[]> {
    requireFinite(now, 'claimWork(lease, now): now');
    const [until, owner] = leaseArgs(lease);
    const count = Math.floor(limit);
    if (!(count > 0)) return [];
    const key = this.keys.work;
    const members = await this.run(() => this.redis.wmStorageClaim(key, this.keys.timerWork, this.keys.lease, String(now), count, until, owner));
    return members.map((m) => parseWorkMember(m, `Redis key "${key}"`));
  }

  /** Extends to `lease.until` the leases `lease.owner` still holds on `items`; others are skipped. */
  async renewLeases(lease: Lease, items: ClaimedWork[]): Promise<void> {
    if (items.length === 0) return;
    const args = renewArgs(this.keys, lease, items);
    await this.run(() => this.redis.wmStorageRenew(...args));
  }

  // ---- retention (see redis-retention.ts) --------------------------------------------------

  /** From the `purge` index (finished instances by purgeAfter), each record re-read and checked. */
  findPurgeable(now: number, limit: number): Promise<PurgeCandidate[]> {
    return this.retention.findPurgeable(now, limit);
  }

  /** One script per instance (in one pipeline) deletes it whole, if still at the version and finished. */
  purgeInstances(candidates: ReadonlyArray<Pick<PurgeCandidate, 'id' | 'version'>>): Promise<string[]> {
    return this.retention.purgeInstances(candidates);
  }

  /** One script: SET NX PX, with the caller's `now` and `lease.until` instead of Redis' clock. */
  acquireLease(name: string, lease: Lease, now: number): Promise<boolean> {
    return this.retention.acquireLease(name, lease, now);
  }

  /**
   * Closes the storage's own client (a client passed as `redis` stays open). Idempotent; the
   * storage cannot be used afterwards.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (!this.ownsClient) return;
    await this.opening?.catch(() => undefined);
    if (this.redis.status === 'ready') await this.redis.quit().catch(() => undefined);
    if (this.redis.status !== 'end') this.redis.disconnect();
  }
}

/**
 * {@link StorageAdapter} on Redis: every create and commit is one Lua script (compare-and-swap on
 * the stored version, record + history + indexes + timers + claimable work in one atomic step),
 * so any number of engines can share one Redis and claim work from it.
 */
import {
  ConcurrencyError,
  ErrorCode,
  StorageCorruptError,
  WorkflowError,
  type ClaimedWork,
  type Commit,
  type CreateResult,
  type DueTimer,
  type HistoryEvent,
  type InstancePage,
  type InstanceQuery,
  type InstanceRecord,
  type Lease,
  type StorageAdapter,
} from '@workflow-mastery/core';
import type { Redis } from 'ioredis';
import { listInstances } from './instance-listing.js';
import { checkCommitShape, checkNewInstance, seqMismatchError } from './record-checks.js';
import {
  createRedisClient,
  DEFAULT_REDIS_URL,
  describeClient,
  REDIS_UNAVAILABLE,
  redactUrl,
  redisUnavailableError,
} from './redis-connection.js';
import { RedisKeys } from './redis-keys.js';
import { defineScripts, type ScriptCommands, type ScriptPipeline } from './redis-scripts.js';
import { parseTimerMember, parseWorkMember, timerMember, workFloor, workMember, workOf } from './work-items.js';

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
}

type ScriptReply = Array<string | number>;

const scoreArg = (n: number): string => (Number.isFinite(n) ? String(n) : n > 0 ? '+inf' : '-inf');

function requireFinite(value: number, what: string): void {
  if (!Number.isFinite(value)) throw new Error(`${what} must be a finite number (epoch ms), got ${value}.`);
}

/**
 * Durable storage on Redis (5+; ioredis). One hash per instance holds its JSON record, one list its
 * history; sorted sets index instances by creation time (all, per definition, per state), timers by
 * `fireAt`, and claimable work for {@link RedisStorage.claimWork}. See redis-keys.ts for the layout.
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
  private readonly redis: Redis & ScriptCommands;
  private readonly ownsClient: boolean;
  private readonly keys: RedisKeys;
  /** Where Redis is, for messages. */
  private readonly where: string;
  private opening?: Promise<void>;
  private opened = false;
  private closed = false;
  private lastError?: Error;

  constructor(options: RedisStorageOptions = {}) {
    if (options.redis && options.url !== undefined) {
      throw new TypeError('new RedisStorage({ redis, url }): give either your ioredis client as `redis` or a `url`, not both.');
    }
    const prefix = options.keyPrefix ?? 'wm:';
    if (typeof prefix !== 'string') throw new TypeError(`new RedisStorage({ keyPrefix }): keyPrefix must be a string such as 'wm:', got ${typeof prefix}.`);
    this.keyPrefix = prefix;
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
      throw this.connectionError(error);
    }
  }

  /** Errors Redis answered (and our own) pass; a lost or refused connection is named. */
  private connectionError(error: unknown): unknown {
    if (!(error instanceof Error) || error instanceof WorkflowError || error.name === 'ReplyError') return error;
    return new WorkflowError(
      REDIS_UNAVAILABLE,
      `Redis at ${this.where} is unavailable (${error.message}); the client reconnects on its own: retry the operation ` +
        '(a write whose connection dropped may have been applied: re-read before retrying).',
      { url: this.where },
      { cause: error },
    );
  }

  // ---- writes ------------------------------------------------------------------------------

  /** Timers and work of a record as script arguments: counts, then (score, member), then (member, score, 'w'|'t'). */
  private itemArgs(record: InstanceRecord): Array<string | number> {
    const work = workOf(record);
    const args: Array<string | number> = [record.timers.length, work.length];
    for (const timer of record.timers) {
      requireFinite(timer.fireAt, `Timer "${timer.id}" of instance ${record.id}: fireAt`);
      args.push(String(timer.fireAt), timerMember(record.id, timer));
    }
    for (const entry of work) args.push(entry.member, String(entry.score), entry.timer ? 't' : 'w');
    return args;
  }

  private leaseArgs(lease: Lease | undefined): [string, string] {
    if (lease === undefined) return ['', ''];
    requireFinite(lease.until, 'lease.until');
    return [String(lease.until), String(lease.owner)];
  }

  /**
   * Stores a new instance with its first events, idempotency key and work (leased to `lease`) in
   * one script.
   * @throws ConcurrencyError when the id exists; Error when the record or events are malformed.
   */
  async createInstance(instance: InstanceRecord, events: HistoryEvent[], idempotencyKey?: string, lease?: Lease): Promise<CreateResult> {
    checkNewInstance(instance, events);
    requireFinite(instance.createdAt, `Instance ${instance.id}: createdAt`);
    const { id } = instance;
    const args = [
      this.keys.instance(id),
      this.keys.history(id),
      this.keyPrefix,
      id,
      JSON.stringify(instance),
      instance.seq,
      instance.state,
      instance.definitionName,
      String(instance.createdAt),
      idempotencyKey === undefined ? '0' : '1',
      idempotencyKey ?? '',
      ...this.leaseArgs(lease),
      ...this.itemArgs(instance),
      ...events.map((e) => JSON.stringify(e)),
    ];
    const reply = await this.run(() => this.redis.wmStorageCreate(...args));
    if (reply[0] === 1) return { created: true, instance };
    if (reply[0] === 0) {
      const existingId = String(reply[1]);
      const existing = await this.getInstance(existingId);
      if (!existing) {
        throw new StorageCorruptError(`Idempotency key ${JSON.stringify(idempotencyKey)} names instance ${existingId}, which is missing`, `Redis key "${this.keys.idempotency}"`);
      }
      return { created: false, instance: existing };
    }
    throw new ConcurrencyError(id, 0, Number(reply[1]));
  }

  private commitArgs(commit: Commit): Array<string | number> {
    checkCommitShape(commit);
    const { instance, events } = commit;
    requireFinite(instance.createdAt, `Instance ${instance.id}: createdAt`);
    return [
      this.keys.instance(instance.id),
      this.keys.history(instance.id),
      this.keyPrefix,
      instance.id,
      commit.expectedVersion,
      instance.version,
      JSON.stringify(instance),
      instance.seq,
      events.length,
      instance.state,
      instance.definitionName,
      String(instance.createdAt),
      ...this.leaseArgs(commit.lease),
      ...this.itemArgs(instance),
      ...events.map((e) => JSON.stringify(e)),
    ];
  }

  /** The error a commit's script answer means, if any. */
  private commitError(commit: Commit, reply: ScriptReply): Error | undefined {
    if (reply[0] === 1) return undefined;
    if (reply[0] === -2) return seqMismatchError(commit, Number(reply[1]));
    const actual = reply[1] === '' || reply[1] === undefined ? undefined : Number(reply[1]);
    return new ConcurrencyError(commit.instance.id, commit.expectedVersion, actual);
  }

  /**
   * Compare-and-swap: replaces the record, appends the events and updates indexes, timers and work
   * in one script, only if the stored version is `expectedVersion`. New work is leased to
   * `commit.lease`; work that stays runnable keeps its lease.
   * @throws ConcurrencyError on a version mismatch (nothing written); Error on malformed events.
   */
  async commit(commit: Commit): Promise<void> {
    const args = this.commitArgs(commit);
    const reply = await this.run(() => this.redis.wmStorageCommit(...args));
    const error = this.commitError(commit, reply);
    if (error) throw error;
  }

  /** The commits' scripts in one pipeline (one round trip); each succeeds or fails on its own. */
  async commitMany(commits: Commit[]): Promise<Array<Error | undefined>> {
    const results: Array<Error | undefined> = commits.map(() => undefined);
    const sent: number[] = [];
    await this.ready();
    const pipeline = this.redis.pipeline() as ScriptPipeline;
    commits.forEach((commit, i) => {
      try {
        pipeline.wmStorageCommit(...this.commitArgs(commit));
        sent.push(i);
      } catch (error) {
        results[i] = error instanceof Error ? error : new Error(String(error));
      }
    });
    if (sent.length === 0) return results;
    const replies = await this.run(() => pipeline.exec());
    sent.forEach((index, k) => {
      const [error, reply] = replies?.[k] ?? [new Error('Redis returned no reply for this commit'), undefined];
      results[index] = error ? (this.connectionError(error) as Error) : this.commitError(commits[index]!, reply as ScriptReply);
    });
    return results;
  }

  // ---- reads -------------------------------------------------------------------------------

  private parseRecord(raw: string, key: string): InstanceRecord {
    let record: unknown;
    try {
      record = JSON.parse(raw);
    } catch (cause) {
      throw new StorageCorruptError('Instance record is not valid JSON', `Redis key "${key}", field "rec"`, { cause });
    }
    if (typeof record !== 'object' || record === null || typeof (record as InstanceRecord).id !== 'string') {
      throw new StorageCorruptError('Instance record is not an object with an id', `Redis key "${key}", field "rec"`);
    }
    return record as InstanceRecord;
  }

  async getInstance(id: string): Promise<InstanceRecord | undefined> {
    const key = this.keys.instance(id);
    const raw = await this.run(() => this.redis.hget(key, 'rec'));
    return raw === null ? undefined : this.parseRecord(raw, key);
  }

  /** Records by id, in one round trip. */
  private loadRecords = async (ids: string[]): Promise<Array<InstanceRecord | undefined>> => {
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hget(this.keys.instance(id), 'rec');
    const replies = (await this.run(() => pipeline.exec())) ?? [];
    return ids.map((id, i) => {
      const [error, raw] = replies[i] ?? [new Error('Redis returned no reply'), null];
      if (error) throw this.connectionError(error);
      return raw === null || raw === undefined ? undefined : this.parseRecord(raw as string, this.keys.instance(id));
    });
  };

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
    return raws.map((raw, i) => {
      try {
        return JSON.parse(raw) as HistoryEvent;
      } catch (cause) {
        throw new StorageCorruptError(`History event #${start + i + 1} is not valid JSON`, `Redis key "${key}", index ${start + i}`, { cause });
      }
    });
  }

  async dueTimers(before: number, limit?: number): Promise<DueTimer[]> {
    if (limit !== undefined && !(limit > 0)) return [];
    const key = this.keys.timers;
    const members = await this.run(() =>
      limit === undefined
        ? this.redis.zrangebyscore(key, '-inf', scoreArg(before))
        : this.redis.zrangebyscore(key, '-inf', scoreArg(before), 'LIMIT', 0, Math.floor(limit)),
    );
    const due = members.map((m) => parseTimerMember(m, `Redis key "${key}"`));
    return due.sort(
      (a, b) =>
        a.timer.fireAt - b.timer.fireAt ||
        (a.instanceId < b.instanceId ? -1 : a.instanceId > b.instanceId ? 1 : 0) ||
        (a.timer.id < b.timer.id ? -1 : a.timer.id > b.timer.id ? 1 : 0),
    );
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
    const [until, owner] = this.leaseArgs(lease);
    const count = Math.floor(limit);
    if (!(count > 0)) return [];
    const key = this.keys.work;
    const members = await this.run(() => this.redis.wmStorageClaim(key, this.keys.timerWork, this.keys.lease, String(now), count, until, owner));
    return members.map((m) => parseWorkMember(m, `Redis key "${key}"`));
  }

  /** Extends to `lease.until` the leases `lease.owner` still holds on `items`; others are skipped. */
  async renewLeases(lease: Lease, items: ClaimedWork[]): Promise<void> {
    if (items.length === 0) return;
    const [until, owner] = this.leaseArgs(lease);
    const args: string[] = [this.keys.work, this.keys.timerWork, this.keys.lease, until, owner];
    for (const item of items) {
      const floor = workFloor(item);
      args.push(workMember(item), floor === undefined || !Number.isFinite(floor) ? '' : String(floor), item.kind === 'timer' ? 't' : 'w');
    }
    await this.run(() => this.redis.wmStorageRenew(...args));
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

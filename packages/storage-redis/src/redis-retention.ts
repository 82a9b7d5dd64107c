/**
 * Retention on Redis: listing purgeable instances from the `purge` index, deleting them one script
 * each, and the named maintenance leases (see retention-scripts.ts for the scripts).
 */
import type { Lease, PurgeCandidate } from '@workflow-mastery/core';
import { isPurgeable, purgeCandidate } from '@workflow-mastery/core/storage-kit';
import type { Redis } from 'ioredis';
import type { RecordLoader } from './instance-listing.js';
import type { RedisKeys } from './redis-keys.js';
import type { ScriptCommands, ScriptPipeline } from './redis-scripts.js';
import { leaseArgs, requireFinite } from './script-args.js';

/** Runs Redis commands once the storage is open (the storage's error handling). */
type Run = <T>(work: () => Promise<T>) => Promise<T>;

/** `findPurgeable`, `purgeInstances` and `acquireLease` of one Redis storage. */
export class RedisRetention {
  constructor(
    private readonly redis: Redis & ScriptCommands,
    private readonly keys: RedisKeys,
    private readonly run: Run,
    private readonly load: RecordLoader,
  ) {}

  /**
   * Finished instances with `purgeAfter <= now`, earliest first, at most `limit`: read from the
   * `purge` index, each record re-read and checked (an entry whose record changed since is skipped).
   */
  async findPurgeable(now: number, limit: number): Promise<PurgeCandidate[]> {
    requireFinite(now, 'findPurgeable(now, limit): now');
    const want = Math.floor(limit);
    const found: PurgeCandidate[] = [];
    if (!(want > 0)) return found;
    const batch = Math.max(want, 50);
    for (let offset = 0; ; offset += batch) {
      const ids = await this.run(() => this.redis.zrangebyscore(this.keys.purgeable, '-inf', String(now), 'LIMIT', offset, batch));
      for (const record of await this.load(ids)) {
        if (record && isPurgeable(record, now)) found.push(purgeCandidate(record));
        if (found.length >= want) return found;
      }
      if (ids.length < batch) return found;
    }
  }

  /** Deletes each candidate still at its version and finished (one script each, in one pipeline); returns the ids deleted. */
  async purgeInstances(candidates: ReadonlyArray<Pick<PurgeCandidate, 'id' | 'version'>>): Promise<string[]> {
    if (candidates.length === 0) return [];
    const replies = await this.run(() => {
      const pipeline = this.redis.pipeline() as ScriptPipeline;
      for (const { id, version } of candidates) pipeline.wmStoragePurge(this.keys.instance(id), this.keys.history(id), this.keys.prefix, id, version);
      return pipeline.exec();
    });
    return candidates
      .filter((_, i) => {
        const [error, deleted] = replies?.[i] ?? [new Error('Redis returned no reply for this purge'), 0];
        if (error) throw error;
        return deleted === 1;
      })
      .map(({ id }) => id);
  }

  /** Takes or renews the maintenance lease `name` for `lease.owner` when it is free, expired at `now`, or its own. */
  async acquireLease(name: string, lease: Lease, now: number): Promise<boolean> {
    requireFinite(now, 'acquireLease(name, lease, now): now');
    const [until, owner] = leaseArgs(lease);
    return (await this.run(() => this.redis.wmStorageLease(this.keys.maintenanceLeases, String(name), until, owner, String(now)))) === 1;
  }
}

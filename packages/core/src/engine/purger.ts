/**
 * The purge of finished instances past their retention: a loop every `purge.intervalMs` (one engine
 * of several at a time, through the storage's lease) and `engine.purge()`. Each batch is read,
 * archived when an archive is configured, then deleted by the storage, which deletes an instance
 * only if it is still finished and unchanged since it was read.
 */
import { ErrorCode, WorkflowError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { PurgeCandidate, StorageAdapter } from '../storage/storage-adapter.js';
import type { Clock } from './clock.js';
import { type ArchivedInstance, type PurgeReport, type PurgeRunOptions, type ResolvedPurgeOptions, whole } from './purge-options.js';

/** Name of the storage lease the purge loop holds while it runs. */
export const PURGE_LEASE = 'purge';
/** Defaults of `engine.purge()` when the loop is off. */
const DEFAULTS: ResolvedPurgeOptions = { intervalMs: 60_000, batchSize: 500, maxPerRun: 10_000 };

/** A listener of completed purges (metrics). */
export type PurgeListener = (report: PurgeReport) => void;

/** @internal */
export class Purger {
  private timer?: NodeJS.Timeout;
  private running?: Promise<PurgeReport>;
  private readonly listeners = new Set<PurgeListener>();
  private readonly options: ResolvedPurgeOptions;

  constructor(
    private readonly storage: StorageAdapter,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly owner: string,
    private readonly loop: false | ResolvedPurgeOptions,
  ) {
    this.options = loop || DEFAULTS;
  }

  /** True when the storage can purge. */
  get supported(): boolean {
    return typeof this.storage.findPurgeable === 'function' && typeof this.storage.purgeInstances === 'function';
  }

  /** Arms the loop (when it is on and the storage can purge). */
  start(): void {
    if (!this.loop || !this.supported || this.timer) return;
    const arm = (): void => {
      this.timer = setTimeout(() => {
        void this.run({}, true)
          .catch((error: unknown) => this.logger.error({ err: error }, 'purge of finished instances failed; retried at the next run'))
          .finally(() => this.timer && arm());
      }, this.options.intervalMs);
      this.timer.unref();
    };
    arm();
  }

  /** Stops the loop and waits for a run under way. */
  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }

  onPurge(listener: PurgeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** One purge; a call while one runs shares it (a dry run runs on its own). */
  run(options: PurgeRunOptions = {}, fromLoop = false): Promise<PurgeReport> {
    if (!this.supported) {
      return Promise.reject(new WorkflowError(ErrorCode.InputInvalid, 'This storage cannot purge finished instances (it has no findPurgeable/purgeInstances); use a storage that can, or keep instances forever (retention: false).'));
    }
    const limit = options.limit === undefined ? this.options.maxPerRun : whole(options.limit, 'purge({ limit })', 1);
    // A dry run only reads: it runs alongside a purge under way, and reports its own count.
    if (options.dryRun === true) return this.purge(limit, true, fromLoop);
    if (this.running) return this.running;
    const run = (this.running = this.purge(limit, false, fromLoop).finally(() => (this.running = undefined)));
    return run;
  }

  private async purge(limit: number, dryRun: boolean, fromLoop: boolean): Promise<PurgeReport> {
    const report: PurgeReport = { candidates: 0, purged: 0, archived: 0, byDefinition: {}, more: false };
    const storage = this.storage;
    if (dryRun) {
      const found = await storage.findPurgeable!(this.clock.now(), limit + 1);
      report.candidates = Math.min(found.length, limit);
      report.more = found.length > limit;
      for (const c of found.slice(0, limit)) report.byDefinition[c.definitionName] = (report.byDefinition[c.definitionName] ?? 0) + 1;
      return report;
    }
    for (let round = 0; report.purged < limit; round++) {
      // Let the event loop turn between batches: on a synchronous driver (SQLite) a purge would
      // otherwise run as one chain of settled promises and hold up live work until it ends.
      if (round > 0) await new Promise((resolve) => setImmediate(resolve));
      if (fromLoop && !(await this.holdLease())) break;
      const batch = Math.min(this.options.batchSize, limit - report.purged);
      const candidates = await storage.findPurgeable!(this.clock.now(), batch);
      if (candidates.length === 0) break;
      report.candidates += candidates.length;
      const purged = await this.purgeBatch(candidates, report);
      // Nothing purged (every candidate changed meanwhile) or the last page: done for this run.
      if (purged === 0 || candidates.length < batch) break;
      if (report.purged >= limit) report.more = true;
    }
    if (report.purged > 0 || report.archived > 0) {
      this.logger.info({ purged: report.purged, archived: report.archived, more: report.more }, 'purged finished instances past their retention');
      for (const listener of this.listeners) {
        try {
          listener(report);
        } catch (error) {
          this.logger.error({ err: error }, 'purge listener threw');
        }
      }
    }
    return report;
  }

  /** Archives (when configured) then deletes one batch; returns how many were deleted. */
  private async purgeBatch(candidates: PurgeCandidate[], report: PurgeReport): Promise<number> {
    const archive = this.options.archive;
    let deletable: PurgeCandidate[] = candidates;
    if (archive) {
      const archivedAt = this.clock.now();
      const entries = await Promise.all(
        candidates.map(async (c): Promise<ArchivedInstance | undefined> => {
          const instance = await this.storage.getInstance(c.id);
          if (!instance || instance.version !== c.version) return undefined;
          return { instance, history: await this.storage.getHistory(c.id), archivedAt };
        }),
      );
      const kept = entries.filter((e): e is ArchivedInstance => e !== undefined);
      // Only what was archived is deleted; a throwing archive stops the run with nothing of this batch deleted.
      if (kept.length > 0) await archive.archive(kept);
      report.archived += kept.length;
      const archivedIds = new Set(kept.map((e) => e.instance.id));
      deletable = candidates.filter((c) => archivedIds.has(c.id));
    }
    const ids = deletable.length === 0 ? [] : await this.storage.purgeInstances!(deletable.map(({ id, version }) => ({ id, version })));
    const byId = new Map(candidates.map((c) => [c.id, c]));
    for (const id of ids) {
      const name = byId.get(id)?.definitionName ?? 'unknown';
      report.byDefinition[name] = (report.byDefinition[name] ?? 0) + 1;
    }
    report.purged += ids.length;
    return ids.length;
  }

  /** With several engines on one storage, only the lease holder purges. */
  private async holdLease(): Promise<boolean> {
    if (typeof this.storage.acquireLease !== 'function') return true;
    const now = this.clock.now();
    return this.storage.acquireLease(PURGE_LEASE, { owner: this.owner, until: now + this.options.intervalMs * 2 }, now);
  }
}

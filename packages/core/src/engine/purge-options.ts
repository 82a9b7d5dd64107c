/** The engine's retention and purge options, their defaults and their checks. */
import { durationMessage, parseDurationOrUndefined, type Duration } from '../duration.js';
import { ErrorCode, WorkflowError } from '../errors.js';
import type { HistoryEvent, InstanceRecord } from '../model/instance.types.js';

/** One finished instance as the purge hands it to an {@link InstanceArchive} before deleting it. */
export interface ArchivedInstance {
  instance: InstanceRecord;
  /** Its whole history, in `seq` order. */
  history: HistoryEvent[];
  /** Epoch ms. */
  archivedAt: number;
}

/**
 * Where the purge copies finished instances before it deletes them (a file of JSON lines, a table,
 * an object store...). `archive` resolves once the entries are durable; when it throws, nothing of
 * that batch is deleted and the purge stops until its next run. Delivery is at least once: an
 * instance archived but not deleted (a crash in between, a late commit) is archived again later.
 */
export interface InstanceArchive {
  archive(entries: ArchivedInstance[]): Promise<void>;
}

/** Engine option `purge`. */
export interface PurgeOptions {
  /** Time between two purge runs, in ms. @defaultValue 60000 */
  intervalMs?: number;
  /** Instances read, archived and deleted at a time. @defaultValue 500 */
  batchSize?: number;
  /** Most instances one run deletes (the rest wait for the next run). @defaultValue 10000 */
  maxPerRun?: number;
  /** Copies each instance with its history before it is deleted. @defaultValue none */
  archive?: InstanceArchive;
}

/** @internal {@link PurgeOptions} with the defaults filled in. */
export interface ResolvedPurgeOptions {
  intervalMs: number;
  batchSize: number;
  maxPerRun: number;
  archive?: InstanceArchive;
}

/** What one purge (a run of the loop, or `engine.purge()`) did. */
export interface PurgeReport {
  /** Finished instances found past their retention (with `dryRun`, those that would be purged). */
  candidates: number;
  purged: number;
  archived: number;
  /** Purged instances by definition name. */
  byDefinition: Record<string, number>;
  /** True when the run stopped at its limit with candidates left. */
  more: boolean;
}

/** Options of `engine.purge()`. */
export interface PurgeRunOptions {
  /** Count what would be purged, delete nothing. */
  dryRun?: boolean;
  /** Most instances to purge (or count). @defaultValue the engine's `purge.maxPerRun` (10000) */
  limit?: number;
}

/** @internal */
export function resolveRetention(value: Duration | false | undefined): number | false {
  if (value === undefined || value === false) return false;
  const ms = parseDurationOrUndefined(value);
  if (ms === undefined) {
    throw new WorkflowError(ErrorCode.InputInvalid, `WorkflowEngine option retention: ${durationMessage(value)}, or false to keep finished instances forever.`, { option: 'retention' });
  }
  return ms;
}

/** @internal */
export function resolvePurgeOptions(value: false | PurgeOptions | undefined): false | ResolvedPurgeOptions {
  if (value === false) return false;
  if (value !== undefined && (typeof value !== 'object' || value === null)) {
    throw new WorkflowError(ErrorCode.InputInvalid, `WorkflowEngine option purge must be false or an object like { intervalMs: 60000, batchSize: 500 }; got ${JSON.stringify(value)}.`, { option: 'purge' });
  }
  const resolved: ResolvedPurgeOptions = {
    intervalMs: whole(value?.intervalMs ?? 60_000, 'purge.intervalMs', 1),
    batchSize: whole(value?.batchSize ?? 500, 'purge.batchSize', 1),
    maxPerRun: whole(value?.maxPerRun ?? 10_000, 'purge.maxPerRun', 1),
  };
  if (value?.archive !== undefined) {
    if (typeof value.archive?.archive !== 'function') {
      throw new WorkflowError(ErrorCode.InputInvalid, `WorkflowEngine option purge.archive must have an archive(entries) method, e.g. new JsonLinesArchive({ directory }).`, { option: 'purge.archive' });
    }
    resolved.archive = value.archive;
  }
  return resolved;
}

/** @internal A whole number of at least `min`, else a `WF_INPUT_INVALID` naming `option`. */
export function whole(value: unknown, option: string, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new WorkflowError(ErrorCode.InputInvalid, `${option} must be a whole number of at least ${min}; got ${String(value)}.`, { option });
  }
  return value;
}

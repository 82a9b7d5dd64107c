/** The options of {@link WorkflowEngine} and their defaults, resolved once at construction. */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { ActionFactory } from '../actions/action-registry.js';
import type { ActionImplementation } from '../actions/action.types.js';
import type { WorkflowDefinition, WorkflowDefinitionInput } from '../definition/definition.types.js';
import { ErrorCode, WorkflowError } from '../errors.js';
import type { ExpressionOptions } from '../expression/expression.types.js';
import type { Logger } from '../logger.js';
import { consoleLogger } from '../logger.js';
import { LogChannel } from '../notifications/log-channel.js';
import { Notifier } from '../notifications/notifier.js';
import { MemoryStorage } from '../storage/memory-storage.js';
import type { StorageAdapter } from '../storage/storage-adapter.js';
import type { Clock } from './clock.js';
import { systemClock } from './clock.js';
import type { CommitBatcherOptions } from './commit-batcher.js';
import { InProcessRunner } from './in-process-runner.js';
import type { EngineInstrumentation } from './instrumentation.js';
import { type PayloadLimit, resolvePayloadLimit } from './payload-limit.js';
import type { WorkflowRunner } from './runner.types.js';
import { type PurgeOptions, resolvePurgeOptions, resolveRetention, type ResolvedPurgeOptions } from './purge-options.js';
import type { Duration } from '../duration.js';

/** Options of {@link WorkflowEngine}. */
export interface WorkflowEngineOptions {
  /** Where state lives. @defaultValue a new {@link MemoryStorage} */
  storage?: StorageAdapter;
  /** Actions to register up front, by name. */
  actions?: Record<string, ActionImplementation>;
  /** Definitions to register up front. */
  definitions?: Array<WorkflowDefinitionInput | WorkflowDefinition>;
  /** Where work runs. @defaultValue a new {@link InProcessRunner} */
  runner?: WorkflowRunner;
  /** @defaultValue warnings and errors to stderr */
  logger?: Logger;
  /** @defaultValue real time */
  clock?: Clock;
  /** Builds action classes (a DI container's `get`). @defaultValue `new Cls()` */
  actionFactory?: ActionFactory;
  /** Options of the condition language (allowed methods, functions). */
  expressions?: ExpressionOptions;
  /** Re-run interrupted steps and re-arm timers of unfinished instances at startup. @defaultValue true */
  recover?: boolean;
  /** Id generator for new instances. @defaultValue `crypto.randomUUID` */
  generateId?: () => string;
  /**
   * Delivers `error_handling.notification_channels` when an instance with `on_failure: notify` or
   * `compensate_and_notify` fails. @defaultValue a Notifier with a `log` channel on `logger`
   */
  notifier?: Notifier;
  /**
   * On a storage shared by several engines (one with `claimWork`): how long work this engine
   * takes is leased to it; running attempts renew their lease every third of it, and a crashed
   * engine's work is taken over by another once it runs out. @defaultValue 30000
   */
  leaseMs?: number;
  /** On a shared storage: how often to claim runnable work and due timers. @defaultValue 500 */
  pollIntervalMs?: number;
  /** On a shared storage: claim work at all (false for an API process that runs nothing). @defaultValue true */
  poll?: boolean;
  /** Name of this engine in leases. @defaultValue `<host>/<pid>/<random>` */
  owner?: string;
  /**
   * Batch commits of many instances into one storage write; an object tunes it (`writers`: batches
   * written at once, default the storage's `groupCommitWriters`; `maxBatch`: largest batch, 256).
   * @defaultValue the storage's `prefersGroupCommit`
   */
  groupCommit?: boolean | CommitBatcherOptions;
  /**
   * How long `close()` waits for running attempts before aborting them (their results are then not
   * recorded; they run again on the next start). @defaultValue 10000
   */
  shutdownTimeoutMs?: number;
  /** Tracing and profiling hooks (see `@workflow-mastery/observability`). */
  instrumentation?: EngineInstrumentation;
  /**
   * Largest JSON (UTF-8 bytes) of start data, a signal payload, task completion data, an
   * `updateData` patch or `skipStep` data, and a step result: a larger one is refused with
   * `WF_PAYLOAD_TOO_LARGE` before anything is written (a step result fails its step, not retried).
   * @defaultValue the storage's `maxPayloadBytes` (none when the storage has no limit)
   */
  maxPayloadBytes?: number;
  /**
   * How long a finished (COMPLETED, FAILED, CANCELLED) instance is kept before the purge deletes it
   * with its history: a duration after it finished (`'30d'`, ms), or `false` to keep it forever. A
   * definition's own `retention` wins. The value is stamped on the instance when it finishes.
   * @defaultValue false
   */
  retention?: Duration | false;
  /**
   * The purge of finished instances past their retention, on storages that can purge: `false` turns
   * it off (`engine.purge()` still works). With several engines on one storage, one at a time does it
   * (a storage lease). @defaultValue every minute, 500 per batch, at most 10,000 per run, no archive
   */
  purge?: false | PurgeOptions;
}

/** @internal {@link WorkflowEngineOptions} with every default filled in. */
export interface EngineSettings {
  storage: StorageAdapter;
  runner: WorkflowRunner;
  clock: Clock;
  logger: Logger;
  notifier: Notifier;
  owner: string;
  generateId: () => string;
  recover: boolean;
  shutdownTimeoutMs: number;
  leaseMs: number;
  poll: boolean;
  pollIntervalMs: number;
  /** `false`: commit one by one; otherwise the batcher's options. */
  groupCommit: false | CommitBatcherOptions;
  /** Claims and leases work: the storage leases it (`claimWork`) and this process runs what it dispatches. */
  shared: boolean;
  instrumentation?: EngineInstrumentation;
  expressions?: ExpressionOptions;
  payloadLimit: PayloadLimit;
  /** The engine's retention in ms, or false. */
  retentionMs: number | false;
  /** The purge loop's settings, or false when it is off. */
  purge: false | ResolvedPurgeOptions;
}

/** @internal Fill in the defaults; a bad number throws a `WF_INPUT_INVALID` naming the option. */
export function resolveEngineOptions(options: WorkflowEngineOptions): EngineSettings {
  const storage: StorageAdapter = options.storage ?? new MemoryStorage();
  const logger = options.logger ?? consoleLogger;
  const runner = options.runner ?? new InProcessRunner();
  const groupCommit = options.groupCommit ?? storage.prefersGroupCommit === true;
  const settings: EngineSettings = {
    storage,
    runner,
    clock: options.clock ?? systemClock,
    logger,
    notifier: options.notifier ?? new Notifier([new LogChannel(logger)]),
    owner: options.owner ?? `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`,
    generateId: options.generateId ?? randomUUID,
    recover: options.recover ?? true,
    shutdownTimeoutMs: nonNegative(options.shutdownTimeoutMs ?? 10_000, 'shutdownTimeoutMs'),
    leaseMs: positive(options.leaseMs ?? 30_000, 'leaseMs'),
    poll: options.poll ?? true,
    pollIntervalMs: positive(options.pollIntervalMs ?? 500, 'pollIntervalMs'),
    // Group commit needs a storage that writes many commits at once.
    groupCommit: groupCommit !== false && storage.commitMany ? (groupCommit === true ? {} : groupCommit) : false,
    // Only a runner that runs its work here claims work from a shared storage and leases it.
    shared: typeof storage.claimWork === 'function' && runner.delivery === 'local',
    payloadLimit: resolvePayloadLimit(options.maxPayloadBytes, storage.maxPayloadBytes),
    retentionMs: resolveRetention(options.retention),
    purge: resolvePurgeOptions(options.purge),
  };
  if (options.instrumentation) settings.instrumentation = options.instrumentation;
  if (options.expressions) settings.expressions = options.expressions;
  return settings;
}

function positive(value: number, option: string): number {
  if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) {
    throw new WorkflowError(ErrorCode.InputInvalid, `WorkflowEngine option ${option} must be a positive number of milliseconds, got ${String(value)}.`, { option });
  }
  return value;
}

function nonNegative(value: number, option: string): number {
  if (typeof value !== 'number' || !(value >= 0) || Number.isNaN(value)) {
    throw new WorkflowError(ErrorCode.InputInvalid, `WorkflowEngine option ${option} must be a number of milliseconds (0 or more), got ${String(value)}.`, { option });
  }
  return value;
}

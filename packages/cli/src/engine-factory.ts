/** Builds the engine a command needs, so that it never runs work it should not. */
import { WorkflowEngine, type Logger, type PurgeOptions, type StorageAdapter, type WorkflowRunner } from '@workflow-mastery/core';
import { HandOffRunner } from './hand-off-runner.js';
import type { WorkflowSources } from './workflow-sources.js';

/**
 * - `hand-off`: reads and commands state; runs nothing, recovers nothing, claims nothing. Work a
 *   command makes runnable is left, unleased, for the processes that run workflows.
 * - `run`: runs the work of the instances this process starts or moves on (in-process), but neither
 *   recovers nor claims other processes' work.
 * - `serve`: a full engine: recovers unfinished instances (single-process storages) or claims work
 *   from a shared storage. Used by `serve` when actions are registered.
 * - `worker`: takes steps from the BullMQ queue (`--redis`).
 *
 * With a queue (`--redis`), every mode uses the BullMQ runner: work goes to the queue and
 * `workflow-mastery worker` processes run it; only `worker` takes jobs.
 */
export type EngineMode = 'hand-off' | 'run' | 'serve' | 'worker';

/** Options of {@link createEngine}. */
export interface CreateEngineOptions {
  storage: StorageAdapter;
  sources: WorkflowSources;
  mode: EngineMode;
  logger: Logger;
  /** The BullMQ queue, when `--redis` is given. */
  queue?: { redis: string; name: string };
  /** `--retention`: stamped on instances that finish in this process. @defaultValue false (kept forever) */
  retention?: number | false;
  /**
   * The engine's purge settings. @defaultValue the engine's purge loop in `serve` and `worker`
   * (long-running processes), none elsewhere (`engine.purge()` still works)
   */
  purge?: false | PurgeOptions;
}

/** A new engine (not awaited: `engine.ready` rejects if the storage cannot open). */
export async function createEngine({ storage, sources, mode, logger, queue, retention, purge }: CreateEngineOptions): Promise<WorkflowEngine> {
  let runner: WorkflowRunner | undefined;
  if (queue) {
    const { BullMQRunner } = await import('@workflow-mastery/bullmq');
    runner = new BullMQRunner({ connection: queue.redis, queue: queue.name, connectTimeoutMs: 10_000 });
  } else if (mode === 'hand-off') runner = new HandOffRunner();
  return new WorkflowEngine({
    storage,
    logger,
    actions: sources.actions,
    definitions: sources.definitions,
    ...(runner ? { runner } : {}),
    ...(retention !== undefined ? { retention } : {}),
    purge: purge ?? (mode === 'serve' || mode === 'worker' ? {} : false),
    recover: mode === 'serve',
    poll: mode === 'serve',
    // A command that ran steps here waits this long for them at exit before leaving them to others.
    shutdownTimeoutMs: mode === 'serve' ? 10_000 : 5_000,
  });
}

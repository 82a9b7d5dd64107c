/**
 * The order in which an engine's parts start and stop: storage, runner, recovery or leases, purge;
 * and on close the reverse, letting running attempts, commits and effects finish first.
 */
import type { Logger } from '../logger.js';
import type { StorageAdapter } from '../storage/storage-adapter.js';
import type { EngineParts } from './engine-parts.js';
import type { EngineSettings } from './engine-options.js';
import type { RunnerHost, WorkflowRunner } from './runner.types.js';

/** What the runner calls back: the engine's own attempt and timer entry points. */
export type EngineEntryPoints = Pick<RunnerHost, 'executeWork' | 'fireTimer'>;

/**
 * Opens the storage, starts the runner, then either takes part in leasing (shared storage: each
 * engine claims what is free or whose lease ran out) or recovers every unfinished instance; then
 * the purge loop, unless the engine was closed meanwhile.
 */
export async function startEngineParts(parts: EngineParts, settings: EngineSettings, entry: EngineEntryPoints, isClosed: () => boolean): Promise<void> {
  const { storage, runner, logger, clock } = settings;
  await storage.init?.();
  await runner.start({
    executeWork: entry.executeWork,
    fireTimer: entry.fireTimer,
    recover: () => parts.recovery.recover(),
    recoverInstance: (id) => parts.recovery.recoverInstance(id),
    logger,
    clock,
  });
  if (parts.leases) parts.leases.start(settings.poll, settings.pollIntervalMs);
  else if (settings.recover && runner.delivery === 'local') await parts.recovery.recover();
  if (!isClosed()) parts.purger.start();
}

/**
 * Stops taking work (committer, leases, purge), waits for the start to settle, gives running
 * attempts `shutdownTimeoutMs` while the runner closes, lets pending commits and effects finish,
 * then closes the storage.
 */
export async function stopEngineParts(
  parts: EngineParts,
  engine: { runner: WorkflowRunner; storage: StorageAdapter; logger: Logger; ready: Promise<void> },
  shutdownTimeoutMs: number,
): Promise<void> {
  parts.committer.stopping = true;
  parts.leases?.stop();
  await parts.purger.stop();
  await engine.ready.catch(() => undefined);
  await parts.attempts.drain(engine.runner.close(), shutdownTimeoutMs, engine.logger);
  await Promise.all(parts.committer.pending().map((p) => p.catch(() => undefined)));
  await Promise.all(parts.effects.pending());
  await engine.storage.close();
}

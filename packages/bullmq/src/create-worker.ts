/** A worker process's engine taking jobs from BullMQ, with a bounded drain on shutdown. */
import type { WorkflowEngine } from '@workflow-mastery/core';
import { BullMQRunner } from './bullmq-runner.js';
import { invalidOption } from './runner-config.js';

/** Options of {@link createWorker}. */
export interface CreateWorkerOptions {
  /** An engine built with `runner: new BullMQRunner(...)`, its definitions and actions registered. */
  engine: WorkflowEngine;
  /** Attempts running at once in this process (per queue). @defaultValue 16 */
  concurrency?: number;
  /**
   * On close: how long running attempts get to finish; those still running are then aborted and
   * handed back to the queue for another worker. @defaultValue 30000
   */
  drainTimeoutMs?: number;
  /** Close on SIGTERM and SIGINT, then exit the process (0, or 1 when closing failed). @defaultValue false */
  handleSignals?: boolean;
}

/** A running worker. */
export interface WorkflowWorker {
  readonly engine: WorkflowEngine;
  readonly runner: BullMQRunner;
  /** Stop taking jobs, drain (bounded), close the engine and its storage. */
  close(): Promise<void>;
}

/** Start taking work in this process. */
export async function createWorker(options: CreateWorkerOptions): Promise<WorkflowWorker> {
  const { engine } = options;
  const runner = engine?.runner;
  if (!(runner instanceof BullMQRunner)) {
    throw invalidOption('createWorker: "engine" must be a WorkflowEngine built with runner: new BullMQRunner({ connection }).');
  }
  const concurrency = options.concurrency ?? 16;
  const drainTimeoutMs = options.drainTimeoutMs ?? 30_000;
  await engine.ready;
  await runner.work({ concurrency });
  engine.logger.info({ queue: runner.queueName, concurrency, pid: process.pid }, 'worker started');
  let closing: Promise<void> | undefined;
  const close = () => (closing ??= engine.close({ timeoutMs: drainTimeoutMs }));
  if (options.handleSignals) {
    const onSignal = (signal: NodeJS.Signals) => {
      engine.logger.info({ signal, drainTimeoutMs }, 'worker stopping: draining running attempts');
      close().then(
        () => process.exit(0),
        (error: unknown) => {
          engine.logger.error({ err: error }, 'worker did not close cleanly');
          process.exit(1);
        },
      );
    };
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
  }
  return { engine, runner, close };
}

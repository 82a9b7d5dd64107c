/** A BullMQ `Worker` on one of a runner's queues, on a connection of its own. */
import { Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '@workflow-mastery/core';
import type { BullMQRunnerOptions } from './bullmq-runner.options.js';
import { openConnection } from './redis-connection.js';

/** What a runner needs to start a worker. */
export interface QueueWorkerSetup {
  options: BullMQRunnerOptions;
  prefix: string;
  logger: Logger;
  /** Runs one job (the runner's processing). */
  process(job: Job, token?: string): Promise<void>;
}

/** Starts a worker on queue `name`, taking `concurrency` jobs at once (and `rateLimit` across workers). */
export function startQueueWorker(
  setup: QueueWorkerSetup,
  name: string,
  concurrency: number,
  rateLimit?: { max: number; durationMs: number },
): { worker: Worker; connection: Redis } {
  const { options, logger } = setup;
  const connection = openConnection(options.connection, logger, `worker ${name}`);
  const worker = new Worker(name, (job, token) => setup.process(job, token), {
    connection,
    prefix: setup.prefix,
    concurrency,
    ...(rateLimit ? { limiter: { max: rateLimit.max, duration: rateLimit.durationMs } } : {}),
    lockDuration: options.lockDurationMs ?? 30_000,
    stalledInterval: options.stalledIntervalMs ?? 30_000,
    maxStalledCount: 1000,
  });
  worker.on('error', (error) => logger.warn({ err: { message: error.message }, queue: name }, 'BullMQ worker error'));
  worker.on('failed', (job, error) => {
    if (job && job.attemptsMade >= (job.opts.attempts ?? 1)) {
      logger.error({ jobId: job.id, err: { message: error.message } }, 'job failed on every delivery; the sweeper re-creates it from storage');
    }
  });
  return { worker, connection };
}

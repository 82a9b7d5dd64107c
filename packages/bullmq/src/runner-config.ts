/** The checked, defaulted configuration of a {@link BullMQRunner}, from its options. */
import type { JobsOptions } from 'bullmq';
import { ErrorCode, WorkflowError } from '@workflow-mastery/core';
import type { BullMQRunnerOptions, DefinitionQueueOptions } from './bullmq-runner.options.js';
import { definitionQueueName } from './job-ids.js';

/** What a runner works with: names, per-definition queues and job defaults. */
export interface RunnerConfig {
  /** Name of the main queue. */
  queueName: string;
  prefix: string;
  limits: Record<string, DefinitionQueueOptions>;
  /** Queue name of each definition with limits (a queue of its own), by definition name. */
  ownQueues: Map<string, string>;
  /** Options of every job. */
  jobDefaults: JobsOptions;
  chainSteps: number;
}

/** An option that cannot work: `WF_INPUT_INVALID`. */
export const invalidOption = (message: string, details?: Record<string, unknown>): WorkflowError =>
  new WorkflowError(ErrorCode.InputInvalid, message, details);

/**
 * Checks `options` and applies the defaults.
 * @throws WorkflowError `WF_INPUT_INVALID` naming the option that cannot work.
 */
export function resolveRunnerConfig(options: BullMQRunnerOptions): RunnerConfig {
  if (options === undefined || options.connection === undefined) {
    throw invalidOption('BullMQRunner: the "connection" option is required (a redis:// URL or ioredis options).');
  }
  const queueName = options.queue ?? 'workflow-mastery';
  if (queueName.includes(':')) throw invalidOption(`BullMQRunner: "queue" must not contain ":" (got "${queueName}").`, { queue: queueName });
  const limits = options.definitions ?? {};
  const ownQueues = new Map<string, string>();
  for (const [name, limit] of Object.entries(limits)) {
    if (limit.concurrency !== undefined && (!Number.isInteger(limit.concurrency) || limit.concurrency < 1)) {
      throw invalidOption(`BullMQRunner: definitions.${name}.concurrency must be a positive integer, got ${limit.concurrency}.`, { definition: name });
    }
    if (limit.rateLimit && !(limit.rateLimit.max >= 1 && limit.rateLimit.durationMs >= 1)) {
      throw invalidOption(`BullMQRunner: definitions.${name}.rateLimit needs max >= 1 and durationMs >= 1.`, { definition: name });
    }
    if (limit.concurrency !== undefined || limit.rateLimit !== undefined) ownQueues.set(name, definitionQueueName(queueName, name));
  }
  const keepSeconds = Math.ceil((options.keepFinishedMs ?? 0) / 1000);
  const chainSteps = options.chainSteps ?? 100;
  if (!Number.isInteger(chainSteps) || chainSteps < 1) throw invalidOption(`BullMQRunner: chainSteps must be a positive integer, got ${options.chainSteps}.`);
  return {
    queueName,
    prefix: options.prefix ?? 'wm',
    limits,
    ownQueues,
    jobDefaults: {
      attempts: options.deliveryAttempts ?? 8,
      backoff: { type: 'exponential', delay: 1000 },
      removeOnComplete: keepSeconds > 0 ? { age: keepSeconds } : true,
      removeOnFail: true,
    },
    chainSteps,
  };
}

/** Called out of order (before the engine started the runner, `work()` twice): `WF_ILLEGAL_TRANSITION`. */
export const outOfOrder = (message: string): WorkflowError => new WorkflowError(ErrorCode.IllegalTransition, message);

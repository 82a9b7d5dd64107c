/** Options of {@link BullMQRunner}. */
import type { RedisOptions } from 'ioredis';

/** Limits and priority of one definition's work. */
export interface DefinitionQueueOptions {
  /**
   * Attempts of this definition running at once in each worker process. Giving it (or
   * `rateLimit`) puts the definition on a queue of its own. @defaultValue the worker's concurrency
   */
  concurrency?: number;
  /** At most `max` attempts per `durationMs` across all workers (BullMQ's limiter on the definition's queue). */
  rateLimit?: { max: number; durationMs: number };
  /** BullMQ priority of its jobs: 1 is the highest; unset runs before any prioritised job. */
  priority?: number;
}

/** Options of {@link BullMQRunner}. */
export interface BullMQRunnerOptions {
  /** Redis: a `redis://` URL or ioredis options. */
  connection: string | RedisOptions;
  /** Name of the main queue; definitions with limits get `<queue>.<definition>`. @defaultValue `workflow-mastery` */
  queue?: string;
  /** BullMQ key prefix in Redis. @defaultValue `wm` */
  prefix?: string;
  /** Per-definition concurrency, rate limit and priority, by definition name. */
  definitions?: Record<string, DefinitionQueueOptions>;
  /**
   * How often a worker re-creates, from storage, the jobs Redis lost (a flush, a failover without
   * persistence). One worker sweeps at a time. 0 turns it off. @defaultValue 30000
   */
  sweepIntervalMs?: number;
  /**
   * How long completed jobs stay in Redis (for inspection). Not needed for deduplication: a job
   * re-sent after its attempt completed finds the step no longer runnable and does nothing.
   * @defaultValue 0 (removed at once: the cheapest for Redis)
   */
  keepFinishedMs?: number;
  /** How long a worker's hold on a running job lasts without renewal; a killed worker's jobs are re-delivered after it. @defaultValue 30000 */
  lockDurationMs?: number;
  /** How often workers look for jobs whose worker died. @defaultValue 30000 (BullMQ's) */
  stalledIntervalMs?: number;
  /** Deliveries of a job whose processing failed (storage down), with exponential backoff from 1 s. @defaultValue 8 */
  deliveryAttempts?: number;
  /**
   * Steps a worker runs one after another within one job: when an attempt it ran makes the next
   * step of the same instance runnable, the worker runs that step itself, after its result is
   * recorded, instead of sending it through Redis (each result is still recorded, one commit per
   * step, before the next step starts). Work of a definition with its own queue (limits) and
   * parallel branches beyond the first go through Redis as jobs. 1 makes every step its own job.
   * @defaultValue 100
   */
  chainSteps?: number;
  /** How long `start` keeps trying to reach Redis before failing with WF_QUEUE_UNAVAILABLE. @defaultValue 30000 */
  connectTimeoutMs?: number;
}

/** Options of {@link BullMQRunner.work}. */
export interface WorkOptions {
  /** Attempts running at once in this process, per queue. @defaultValue 16 */
  concurrency?: number;
  /**
   * Jobs are taken by a BullMQ worker made elsewhere (e.g. a `@nestjs/bullmq` `WorkerHost`) that
   * hands each to {@link BullMQRunner.processJob}; only the sweeper starts here. @defaultValue false
   */
  external?: boolean;
}

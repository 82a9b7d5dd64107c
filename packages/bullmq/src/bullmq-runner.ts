/**
 * The distributed runner: every runnable step attempt is a BullMQ job with a deterministic id,
 * every durable timer a delayed job; worker processes (see {@link createWorker}) run them through
 * their engine. State stays in the engine's storage, which is the truth: a sweeper re-creates
 * from it any job Redis lost.
 */
import { WaitingError, type Job, type JobsOptions, type Queue, type Worker } from 'bullmq';
import type { Redis, RedisOptions } from 'ioredis';
import { consoleLogger, ErrorCode, WorkflowError, type Logger, type RunnerHost, type TimerRecord, type WorkflowRunner, type WorkItem, type WorkResult } from '@workflow-mastery/core';
import type { BullMQRunnerOptions, WorkOptions } from './bullmq-runner.options.js';
import { startQueueWorker } from './queue-worker.js';
import { stepJobId, timerJobId, type TimerJobData } from './job-ids.js';
import { invalidOption, outOfOrder, resolveRunnerConfig, type RunnerConfig } from './runner-config.js';
import { RunnerQueues } from './runner-queues.js';
import { JobChains } from './job-chains.js';
import { openConnection, waitForRedis } from './redis-connection.js';

export type { WorkOptions } from './bullmq-runner.options.js';

const JOB_COUNT_STATES = ['waiting', 'prioritized', 'active', 'delayed', 'failed'] as const;
/** Timers armed by this process remembered for disarming. */
const ARMED_LIMIT = 10_000;
const armedKey = (instanceId: string, timerId: string) => `${instanceId}\u0000${timerId}`;

/** Runs work on BullMQ workers; enqueues only, until {@link BullMQRunner.work} is called. */
export class BullMQRunner implements WorkflowRunner {
  readonly delivery = 'external';
  /** Name of the main queue. */
  readonly queueName: string;
  readonly prefix: string;
  private readonly options: BullMQRunnerOptions;
  /** Queues of definitions with limits, job defaults, chain length (checked options). */
  private readonly config: RunnerConfig;
  private host?: RunnerHost;
  private logger: Logger = consoleLogger;
  private connection?: Redis;
  private readonly queues: RunnerQueues;
  private readonly workers: Array<{ worker: Worker; connection: Redis }> = [];
  private readonly armedHere = new Map<string, { queue: Queue; jobId: string }>();
  private sweepTimer?: NodeJS.Timeout;
  private sweeping?: Promise<void>;
  /** Work dispatched by attempts running in this process, by instance: run next, in the same job. */
  private readonly chains: JobChains;
  private active = 0;
  private idleWaiters: Array<() => void> = [];
  private closed = false;
  private working = false;

  /**
   * A runner on a queue made elsewhere (e.g. by `BullModule.registerQueue`): its name, prefix and
   * connection are the queue's.
   */
  static fromQueue(queue: Queue, options: Omit<BullMQRunnerOptions, 'connection' | 'queue' | 'prefix'> = {}): BullMQRunner {
    const connection = queue.opts.connection as unknown;
    const runner = new BullMQRunner({
      ...options,
      connection: (connection && typeof (connection as Redis).duplicate === 'function' ? (connection as Redis).options : connection) as RedisOptions,
      queue: queue.name,
      prefix: queue.opts.prefix ?? 'bull',
    });
    runner.queues.adopt(queue);
    return runner;
  }


  constructor(options: BullMQRunnerOptions) {
    const config = resolveRunnerConfig(options);
    this.options = options;
    this.queueName = config.queueName;
    this.prefix = config.prefix;
    this.config = config;
    this.queues = new RunnerQueues(this.prefix, () => this.logger);
    this.chains = new JobChains({
      chainSteps: config.chainSteps,
      execute: (item) => this.host!.executeWork(item),
      enqueue: (item) => this.enqueue(item),
      track: (promise, what, instanceId) => this.queues.track(promise, what, instanceId),
      closed: () => this.closed,
    });
  }

  /** Connects to Redis (waiting up to `connectTimeoutMs`); called by the engine. */
  async start(host: RunnerHost): Promise<void> {
    this.host = host;
    this.logger = host.logger;
    this.connection = openConnection(this.options.connection, this.logger, 'queue', true);
    this.queues.connection = this.connection;
    try {
      await waitForRedis(this.connection, this.options.connection, this.options.connectTimeoutMs ?? 30_000, this.logger);
    } catch (error) {
      this.connection.disconnect();
      throw error;
    }
  }

  dispatch(item: WorkItem): void {
    // Work made runnable by an attempt running here: run next in the same job (or, when closing,
    // sent to the queue by that job before it ends).
    if (this.queueNameFor(item.definitionName) === this.queueName && this.chains.offer(item)) return;
    if (this.closed) return;
    this.queues.track(this.enqueue(item), 'enqueueing a step', item.instanceId);
  }

  /** Adds the job of `item` (also while closing: work handed back must reach the queue). */
  private enqueue(item: WorkItem): Promise<unknown> {
    const opts: JobsOptions = { ...this.config.jobDefaults, jobId: stepJobId(item) };
    const data: WorkItem = { instanceId: item.instanceId, stepId: item.stepId, attempt: item.attempt, kind: item.kind };
    if (item.run !== undefined) data.run = item.run;
    if (item.definitionName !== undefined) {
      const priority = this.config.limits[item.definitionName]?.priority;
      if (priority !== undefined) opts.priority = priority;
      data.definitionName = item.definitionName;
    }
    return this.queues.get(this.queueNameFor(item.definitionName)).add('step', data, opts);
  }

  armTimer(instanceId: string, timer: TimerRecord): void {
    if (this.closed) return;
    const queue = this.queues.get(this.queueName);
    const jobId = timerJobId(instanceId, timer.id, timer.fireAt);
    this.armedHere.set(armedKey(instanceId, timer.id), { queue, jobId });
    // Only for disarming soon after arming: the oldest entries go (a stale fire is ignored anyway).
    if (this.armedHere.size > ARMED_LIMIT) this.armedHere.delete(this.armedHere.keys().next().value!);
    const data: TimerJobData = { instanceId, timerId: timer.id, fireAt: timer.fireAt };
    const delay = Math.max(0, timer.fireAt - Date.now());
    this.queues.track(queue.add('timer', data, { ...this.config.jobDefaults, jobId, delay }), 'arming a timer', instanceId);
  }

  /** Removes the delayed job when this process armed it; elsewhere the engine ignores the stale timer when it fires. */
  disarmTimer(instanceId: string, timerId: string): void {
    const key = armedKey(instanceId, timerId);
    const armed = this.armedHere.get(key);
    if (!armed || this.closed) return;
    this.armedHere.delete(key);
    this.queues.track(armed.queue.remove(armed.jobId).catch(() => 0), 'disarming a timer', instanceId);
  }

  /**
   * Start taking work in this process: one BullMQ worker on the main queue, one per definition
   * with its own limits, and the sweeper.
   */
  async work(options: WorkOptions = {}): Promise<void> {
    if (!this.host) throw outOfOrder('BullMQRunner.work(): the engine has not started this runner yet; await engine.ready first.');
    if (this.working) throw outOfOrder('BullMQRunner.work() was already called in this process.');
    const concurrency = options.concurrency ?? 16;
    if (!Number.isInteger(concurrency) || concurrency < 1) throw invalidOption(`createWorker: concurrency must be a positive integer, got ${options.concurrency}.`, { concurrency: options.concurrency });
    this.working = true;
    if (!options.external) {
      this.startWorker(this.queueName, concurrency);
      for (const [name, queueName] of this.config.ownQueues) {
        const limit = this.config.limits[name]!;
        this.startWorker(queueName, limit.concurrency ?? concurrency, limit.rateLimit);
      }
    }
    const interval = this.options.sweepIntervalMs ?? 30_000;
    if (interval > 0) {
      this.sweepTimer = setInterval(() => void this.sweep(interval), interval);
      this.sweepTimer.unref();
    }
    await this.sweep(interval > 0 ? interval : 30_000);
  }

  /**
   * Re-create every job storage says should exist (runnable attempts, armed timers) unless another
   * worker swept within the interval. Jobs still in Redis are not added twice (same ids).
   */
  async sweep(intervalMs = this.options.sweepIntervalMs ?? 30_000): Promise<number> {
    if (this.closed || !this.host || !this.connection) return 0;
    if (this.sweeping) {
      await this.sweeping;
      return 0;
    }
    let count = 0;
    const run = (async () => {
      try {
        const got = await this.connection!.set(`${this.prefix}:${this.queueName}:sweeper`, String(process.pid), 'PX', Math.max(1000, intervalMs - 100), 'NX');
        if (got !== 'OK') return;
        count = await this.host!.recover();
        await this.queues.flush();
      } catch (error) {
        this.logger.warn({ err: error }, 'sweeping for lost jobs failed; trying again at the next interval');
      }
    })();
    this.sweeping = run;
    await run;
    this.sweeping = undefined;
    return count;
  }

  /** Jobs ready to run and not taken (waiting or prioritized), over every queue of this runner. */
  async queueDepth(): Promise<number> {
    const counts = await this.jobCounts();
    return (counts.waiting ?? 0) + (counts.prioritized ?? 0);
  }

  /** Job counts by BullMQ state, summed over every queue of this runner. */
  async jobCounts(): Promise<Record<string, number>> {
    return this.queues.counts([this.queueName, ...this.config.ownQueues.values()], JOB_COUNT_STATES);
  }

  /** Resolves when the connection answers (for readiness checks). */
  async ping(): Promise<void> {
    if (!this.connection || this.connection.status !== 'ready') throw new WorkflowError(ErrorCode.QueueUnavailable, `Redis is ${this.connection?.status ?? 'not connected'}`);
    await this.connection.ping();
  }

  /** Resolves when this process has nothing being enqueued and no job running. */
  async idle(): Promise<void> {
    await this.queues.flush();
    if (this.active === 0) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Stop taking jobs and wait for running ones (the engine bounds the wait and aborts what is
   * left; aborted attempts are handed back to the queue for another worker), then disconnect.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    await this.sweeping;
    await this.queues.flush();
    await Promise.all(this.workers.map(({ worker }) => worker.close()));
    await this.queues.close();
    for (const { connection } of this.workers) connection.disconnect();
    this.connection?.disconnect();
  }

  private startWorker(name: string, concurrency: number, rateLimit?: { max: number; durationMs: number }): void {
    const setup = { options: this.options, prefix: this.prefix, logger: this.logger, process: (job: Job, token?: string) => this.process(job, token) };
    this.workers.push(startQueueWorker(setup, name, concurrency, rateLimit));
  }

  /**
   * Run one job of this runner's queues (what its BullMQ workers call; call it from a worker made
   * elsewhere, such as a `@nestjs/bullmq` `WorkerHost.process`).
   */
  async processJob(job: Job, token?: string): Promise<void> {
    if (!this.host) throw outOfOrder('BullMQRunner: a job arrived before the engine started this runner.');
    return this.process(job, token);
  }

  private async process(job: Job, token?: string): Promise<void> {
    this.active++;
    try {
      let result: WorkResult | void;
      if (job.name === 'timer') {
        const data = job.data as TimerJobData;
        this.armedHere.delete(armedKey(data.instanceId, data.timerId));
        result = await this.chains.run(data.instanceId, () => this.host!.fireTimer(data.instanceId, data.timerId, data.fireAt));
      } else {
        const item = job.data as WorkItem;
        // A redelivered job (its worker died or it failed): what its attempt made runnable may have
        // died with that worker (it ran there without a job of its own), so it is dispatched again.
        const redelivered = job.attemptsStarted > 1 || job.stalledCounter > 0;
        result = await this.chains.run(item.instanceId, async () => {
          const outcome = await this.host!.executeWork(item);
          if (outcome === 'done' && redelivered) await this.host!.recoverInstance(item.instanceId);
          return outcome;
        });
      }
      if (result === 'aborted') {
        // Shutdown stopped it before its outcome was recorded: back to the queue for another worker.
        await job.moveToWait(token);
        throw new WaitingError();
      }
      if (result === 'unrecorded') throw new WorkflowError(ErrorCode.StorageUnavailable, 'its outcome could not be recorded (storage unavailable); delivering it again', { jobId: job.id });
    } finally {
      this.active--;
      if (this.active === 0) for (const wake of this.idleWaiters.splice(0)) wake();
    }
  }

  /** The queue of a definition's work: its own when it has limits, else the main one. */
  private queueNameFor(definitionName: string | undefined): string {
    return (definitionName !== undefined && this.config.ownQueues.get(definitionName)) || this.queueName;
  }
}

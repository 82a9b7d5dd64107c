/** Runs work in this process with a concurrency limit, and timers on the engine's clock. */
import type { Clock, TimerHandle } from './clock.js';
import { systemClock } from './clock.js';
import type { RunnerHost, WorkflowRunner, WorkItem } from './runner.types.js';
import type { TimerRecord } from '../model/instance.types.js';

/** Options of {@link InProcessRunner}. */
export interface InProcessRunnerOptions {
  /** Attempts running at once. @defaultValue 64 */
  concurrency?: number;
  /** Clock for timers. @defaultValue the engine's clock (given at start) */
  clock?: Clock;
}

const key = (item: WorkItem) => `${item.instanceId}\u0000${item.stepId}\u0000${item.kind}\u0000${item.attempt}\u0000${item.run ?? 0}`;

/** The default runner: a bounded in-process work queue plus clock timers. */
export class InProcessRunner implements WorkflowRunner {
  readonly concurrency: number;
  readonly delivery = 'local';
  private clock: Clock;
  private readonly ownClock: boolean;
  private host?: RunnerHost;
  private readonly queue: Array<{ item: WorkItem; key: string }> = [];
  private queueHead = 0;
  private readonly inFlight = new Set<string>();
  private readonly timers = new Map<string, TimerHandle>();
  private running = 0;
  private closed = false;
  private idleWaiters: Array<() => void> = [];

  constructor(options: InProcessRunnerOptions = {}) {
    this.concurrency = options.concurrency ?? 64;
    if (!Number.isInteger(this.concurrency) || this.concurrency < 1) {
      throw new RangeError(`InProcessRunner: concurrency must be a positive integer, got ${options.concurrency}`);
    }
    this.clock = options.clock ?? systemClock;
    this.ownClock = options.clock !== undefined;
  }

  start(host: RunnerHost): void {
    this.host = host;
    if (!this.ownClock) this.clock = host.clock;
  }

  dispatch(item: WorkItem): void {
    if (this.closed) return;
    const k = key(item);
    if (this.inFlight.has(k)) return;
    this.inFlight.add(k);
    this.queue.push({ item, key: k });
    this.pump();
  }

  armTimer(instanceId: string, timer: TimerRecord): void {
    if (this.closed) return;
    const k = `${instanceId}\u0000${timer.id}`;
    const old = this.timers.get(k);
    if (old !== undefined) this.clock.clearTimeout(old);
    const handle = this.clock.setTimeout(() => {
      this.timers.delete(k);
      if (!this.closed) void this.host!.fireTimer(instanceId, timer.id);
    }, timer.fireAt - this.clock.now());
    this.timers.set(k, handle);
  }

  disarmTimer(instanceId: string, timerId: string): void {
    const k = `${instanceId}\u0000${timerId}`;
    const handle = this.timers.get(k);
    if (handle !== undefined) {
      this.clock.clearTimeout(handle);
      this.timers.delete(k);
    }
  }

  /**
   * Attempts dispatched here and waiting for a free slot (`concurrency` caps those running). Zero
   * unless the process is saturated; the `workflow_queue_depth` metric reads it.
   */
  queueDepth(): Promise<number> {
    return Promise.resolve(this.queue.length - this.queueHead);
  }

  idle(): Promise<void> {
    if (this.running === 0 && this.queueHead >= this.queue.length) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const handle of this.timers.values()) this.clock.clearTimeout(handle);
    this.timers.clear();
    this.queue.length = 0;
    this.queueHead = 0;
    await this.idle();
  }

  private pump(): void {
    while (this.running < this.concurrency && this.queueHead < this.queue.length) {
      const entry = this.queue[this.queueHead++]!;
      if (this.queueHead > 1024 && this.queueHead * 2 > this.queue.length) {
        this.queue.splice(0, this.queueHead);
        this.queueHead = 0;
      }
      this.running++;
      const done = () => this.done(entry.key);
      this.host!.executeWork(entry.item).then(done, done);
    }
  }

  private done(key: string): void {
    this.running--;
    this.inFlight.delete(key);
    this.pump();
    if (this.running === 0 && this.queueHead >= this.queue.length) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }
}

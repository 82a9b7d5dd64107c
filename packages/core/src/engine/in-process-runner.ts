/** Runs work in this process with a concurrency limit (and per-definition limits), and timers on the engine's clock. */
import type { Clock, TimerHandle } from './clock.js';
import { systemClock } from './clock.js';
import { checkConcurrency, checkDefinitionLimits, Lane, WorkQueue, type InProcessDefinitionLimits, type QueuedWork } from './in-process-limits.js';
import type { RunnerHost, WorkflowRunner, WorkItem } from './runner.types.js';
import type { TimerRecord } from '../model/instance.types.js';

export type { InProcessDefinitionLimits } from './in-process-limits.js';

/** Options of {@link InProcessRunner}. */
export interface InProcessRunnerOptions {
  /** Attempts running at once, of all definitions together. @defaultValue 64 */
  concurrency?: number;
  /** Clock for timers and rate limits. @defaultValue the engine's clock (given at start) */
  clock?: Clock;
  /**
   * Per-definition `concurrency` and `rateLimit`, by definition name (the shape of the BullMQ
   * runner's `definitions`). Work beyond a definition's limits waits, in dispatch order, without
   * holding up other definitions' work; `concurrency` above still caps everything.
   * @defaultValue `{}`
   */
  definitions?: Record<string, InProcessDefinitionLimits>;
}

/**
 * Attempts started between two turns of the event loop. Work on fast storage (memory) can chain
 * from one promise to the next without end; after this many starts the runner lets the event loop
 * turn (timers, I/O, the purge) before it starts more.
 */
const STARTS_PER_TURN = 512;

const key = (item: WorkItem) => `${item.instanceId}\u0000${item.stepId}\u0000${item.kind}\u0000${item.attempt}\u0000${item.run ?? 0}`;

/** The default runner: a bounded in-process work queue plus clock timers. */
export class InProcessRunner implements WorkflowRunner {
  readonly concurrency: number;
  readonly delivery = 'local';
  private clock: Clock;
  private readonly ownClock: boolean;
  private host?: RunnerHost;
  /** Work of definitions without limits of their own. */
  private readonly queue = new WorkQueue();
  /** Work of each definition with limits. */
  private readonly lanes: Map<string, Lane>;
  /** Items queued here or in a lane. */
  private waiting = 0;
  private seq = 0;
  private readonly inFlight = new Set<string>();
  private readonly timers = new Map<string, TimerHandle>();
  private running = 0;
  private closed = false;
  private idleWaiters: Array<() => void> = [];
  /** Starts since the event loop last turned; at {@link STARTS_PER_TURN} the pump waits for `setImmediate`. */
  private startsThisTurn = 0;
  private yielding = false;

  constructor(options: InProcessRunnerOptions = {}) {
    this.concurrency = checkConcurrency(options.concurrency);
    this.lanes = new Map([...checkDefinitionLimits(options.definitions)].map(([name, limits]) => [name, new Lane(limits)]));
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
    const lane = this.lanes.size > 0 && item.definitionName !== undefined ? this.lanes.get(item.definitionName) : undefined;
    (lane?.queue ?? this.queue).push({ item, key: k, seq: this.seq++ });
    this.waiting++;
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
   * Attempts dispatched here and waiting to start: for a free slot (`concurrency`), or held back by
   * their definition's `concurrency` or `rateLimit`. The `workflow_queue_depth` metric reads it.
   */
  queueDepth(): Promise<number> {
    return Promise.resolve(this.waiting);
  }

  /** Resolves when nothing runs or waits (work held back by a rate limit included; timers aside). */
  idle(): Promise<void> {
    if (this.running === 0 && this.waiting === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops taking work: drops waiting work, clears timers (durable and rate), waits for running attempts. */
  async close(): Promise<void> {
    this.closed = true;
    for (const handle of this.timers.values()) this.clock.clearTimeout(handle);
    this.timers.clear();
    this.queue.clear();
    for (const lane of this.lanes.values()) {
      lane.queue.clear();
      if (lane.rateTimer) this.clock.clearTimeout(lane.rateTimer.handle);
      lane.rateTimer = undefined;
    }
    this.waiting = 0;
    this.notifyIdle();
    await this.idle();
  }

  /** Starts waiting work while slots are free: of the queue heads allowed to start, the one dispatched first. */
  private pump(): void {
    while (this.running < this.concurrency && this.waiting > 0) {
      if (this.yielding) return;
      if (++this.startsThisTurn > STARTS_PER_TURN) {
        this.yieldTurn();
        return;
      }
      let from: WorkQueue | undefined = this.queue.length > 0 ? this.queue : undefined;
      let firstSeq = from ? from.peek()!.seq : Number.POSITIVE_INFINITY;
      let lane: Lane | undefined;
      const now = this.lanes.size > 0 ? this.clock.now() : 0;
      for (const candidate of this.lanes.values()) {
        const head = candidate.queue.peek();
        if (head === undefined || head.seq > firstSeq || !candidate.hasSlot()) continue;
        const wait = candidate.rateWait(now);
        if (wait > 0) {
          this.armRate(candidate, wait);
          continue;
        }
        from = candidate.queue;
        firstSeq = head.seq;
        lane = candidate;
      }
      if (from === undefined) return;
      const entry = from.shift()!;
      this.waiting--;
      lane?.started(now);
      this.running++;
      const done = () => this.done(entry, lane);
      this.host!.executeWork(entry.item).then(done, done);
    }
  }

  /** Lets timers and I/O run before more work starts (see {@link STARTS_PER_TURN}). */
  private yieldTurn(): void {
    this.yielding = true;
    setImmediate(() => {
      this.yielding = false;
      this.startsThisTurn = 0;
      if (!this.closed) this.pump();
    });
  }

  /** Wakes the pump when `lane`'s rate allows its next start (one timer per lane). */
  private armRate(lane: Lane, wait: number): void {
    if (lane.rateTimer || this.closed) return;
    const timer = {
      handle: this.clock.setTimeout(() => {
        if (lane.rateTimer === timer) lane.rateTimer = undefined;
        if (!this.closed) this.pump();
      }, wait),
    };
    lane.rateTimer = timer;
  }

  private done(entry: QueuedWork, lane: Lane | undefined): void {
    this.running--;
    if (lane) lane.running--;
    this.inFlight.delete(entry.key);
    if (!this.closed) this.pump();
    this.notifyIdle();
  }

  private notifyIdle(): void {
    if (this.running !== 0 || this.waiting !== 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}

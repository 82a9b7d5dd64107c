/**
 * Per-definition limits of the {@link InProcessRunner}: the checked options, a FIFO of waiting work
 * and one lane per limited definition (how many of its attempts run, when its rate allows the next
 * start). The runner picks, among the queue heads allowed to start, the one dispatched first.
 */
import { ErrorCode } from '../error-codes.js';
import { WorkflowError } from '../errors.js';
import type { TimerHandle } from './clock.js';
import type { WorkItem } from './runner.types.js';

/** Limits of one definition's work in the in-process runner (the same as the BullMQ runner's `definitions`). */
export interface InProcessDefinitionLimits {
  /** Attempts of this definition running at once (the runner's `concurrency` still caps all). @defaultValue no limit of its own */
  concurrency?: number;
  /** At most `max` attempts of this definition start within any `durationMs` (on the runner's clock); the rest wait. */
  rateLimit?: { max: number; durationMs: number };
}

const invalid = (message: string, details: Record<string, unknown>) => new WorkflowError(ErrorCode.InputInvalid, `InProcessRunner: ${message}`, details);
const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const positiveInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1;

/** Checks the runner's `concurrency`. @throws WorkflowError `WF_INPUT_INVALID` naming it. */
export function checkConcurrency(value: unknown): number {
  if (value === undefined) return 64;
  if (!positiveInt(value)) throw invalid(`concurrency must be a positive integer, got ${String(value)}.`, { option: 'concurrency', value });
  return value;
}

/**
 * Checks the `definitions` option: by definition name, `concurrency` (a positive integer) and
 * `rateLimit` (`max` a positive integer, `durationMs` at least 1).
 * @throws WorkflowError `WF_INPUT_INVALID` naming the option (`definitions.<name>.rateLimit.max`).
 */
export function checkDefinitionLimits(value: unknown): Map<string, InProcessDefinitionLimits> {
  const limits = new Map<string, InProcessDefinitionLimits>();
  if (value === undefined) return limits;
  if (!isPlainObject(value)) throw invalid('definitions must be an object of limits by definition name, e.g. { report_export: { concurrency: 2 } }.', { option: 'definitions' });
  for (const [name, limit] of Object.entries(value)) {
    const at = `definitions.${name}`;
    if (!isPlainObject(limit)) throw invalid(`${at} must be an object with concurrency and/or rateLimit, got ${JSON.stringify(limit)}.`, { option: at });
    for (const key of Object.keys(limit)) {
      if (key === 'priority') throw invalid(`${at}.priority is not supported by the in-process runner (work starts in dispatch order); remove it, or use the BullMQ runner.`, { option: `${at}.priority` });
      if (key !== 'concurrency' && key !== 'rateLimit') throw invalid(`${at}.${key} is not an option; use concurrency and/or rateLimit.`, { option: `${at}.${key}` });
    }
    const { concurrency, rateLimit } = limit;
    if (concurrency !== undefined && !positiveInt(concurrency)) {
      throw invalid(`${at}.concurrency must be a positive integer, got ${String(concurrency)}.`, { option: `${at}.concurrency`, value: concurrency });
    }
    if (rateLimit !== undefined) {
      if (!isPlainObject(rateLimit)) throw invalid(`${at}.rateLimit must be { max, durationMs }, got ${JSON.stringify(rateLimit)}.`, { option: `${at}.rateLimit` });
      if (!positiveInt(rateLimit.max)) throw invalid(`${at}.rateLimit.max must be a positive integer, got ${String(rateLimit.max)}.`, { option: `${at}.rateLimit.max`, value: rateLimit.max });
      const ms = rateLimit.durationMs;
      if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 1) {
        throw invalid(`${at}.rateLimit.durationMs must be a number of milliseconds >= 1, got ${String(ms)}.`, { option: `${at}.rateLimit.durationMs`, value: ms });
      }
    }
    limits.set(name, limit as InProcessDefinitionLimits);
  }
  return limits;
}

/** A dispatched item waiting to start; `seq` is its dispatch order across all queues. */
export interface QueuedWork {
  item: WorkItem;
  key: string;
  seq: number;
}

/** A FIFO with an amortised O(1) shift. */
export class WorkQueue {
  private items: QueuedWork[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(entry: QueuedWork): void {
    this.items.push(entry);
  }

  peek(): QueuedWork | undefined {
    return this.items[this.head];
  }

  shift(): QueuedWork | undefined {
    const entry = this.items[this.head];
    if (entry === undefined) return undefined;
    this.items[this.head++] = undefined!;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return entry;
  }

  clear(): void {
    this.items = [];
    this.head = 0;
  }
}

/** The work of one limited definition: its queue, its attempts running, its recent starts. */
export class Lane {
  readonly queue = new WorkQueue();
  running = 0;
  /** The clock timer set for when the rate allows the next start, while one is set. */
  rateTimer?: { handle: TimerHandle };
  private readonly concurrency: number;
  /** Start times of the last `rateLimit.max` starts, a ring. */
  private readonly starts: number[] = [];
  private next = 0;

  constructor(readonly limits: InProcessDefinitionLimits) {
    this.concurrency = limits.concurrency ?? Number.POSITIVE_INFINITY;
  }

  /** True when another attempt may run alongside those running (the rate aside). */
  hasSlot(): boolean {
    return this.running < this.concurrency;
  }

  /** 0 when the rate allows a start at `now`, else how long until it does. */
  rateWait(now: number): number {
    const rate = this.limits.rateLimit;
    if (rate === undefined || this.starts.length < rate.max) return 0;
    const oldest = this.starts[this.next]!;
    return Math.max(0, oldest + rate.durationMs - now);
  }

  /** Records a start at `now`. */
  started(now: number): void {
    this.running++;
    const rate = this.limits.rateLimit;
    if (rate === undefined) return;
    if (this.starts.length < rate.max) this.starts.push(now);
    else {
      this.starts[this.next] = now;
      this.next = (this.next + 1) % rate.max;
    }
  }
}

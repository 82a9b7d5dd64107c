/** Time as the engine sees it: injectable, so tests and demos can move it at will. */

/** A timer handle, opaque to the engine. */
export type TimerHandle = unknown;

/** The engine's only source of time. */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** Node's setTimeout caps at 2^31-1 ms; longer delays are re-armed in steps. */
const MAX_TIMEOUT = 2_147_483_647;

/** Real time. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    const box: { handle?: NodeJS.Timeout } = {};
    const arm = (left: number) => {
      box.handle = setTimeout(() => (left > MAX_TIMEOUT ? arm(left - MAX_TIMEOUT) : fn()), Math.min(Math.max(0, left), MAX_TIMEOUT));
      box.handle.unref?.();
    };
    arm(ms);
    return box;
  },
  clearTimeout(handle) {
    const box = handle as { handle?: NodeJS.Timeout };
    if (box?.handle) clearTimeout(box.handle);
  },
};

/**
 * Time that runs `speed` times faster than real time from the moment it is made: for demos
 * (a 30 s retry delay passes in 300 ms at speed 100) and time-skipping tests.
 */
export function scaledClock(speed: number): Clock {
  if (!(speed > 0)) throw new RangeError(`scaledClock(speed): speed must be > 0, got ${speed}`);
  const origin = Date.now();
  return {
    now: () => origin + Math.round((Date.now() - origin) * speed),
    setTimeout: (fn, ms) => systemClock.setTimeout(fn, ms / speed),
    clearTimeout: (h) => systemClock.clearTimeout(h),
  };
}

/** Time that moves only when told to: `advance(ms)` fires the timers that come due, in order. */
export class ManualClock implements Clock {
  private current: number;
  private seq = 0;
  private readonly timers = new Map<number, { at: number; fn: () => void }>();

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = ++this.seq;
    this.timers.set(id, { at: this.current + Math.max(0, ms), fn });
    return id;
  }

  clearTimeout(handle: TimerHandle): void {
    this.timers.delete(handle as number);
  }

  /** Number of armed timers. */
  get pending(): number {
    return this.timers.size;
  }

  /** Move time forward, firing due timers in time order and letting promise chains run between them. */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    for (;;) {
      await settleMicrotasks();
      let nextId: number | undefined;
      let next: { at: number; fn: () => void } | undefined;
      for (const [id, t] of this.timers) {
        if (t.at <= target && (!next || t.at < next.at)) {
          next = t;
          nextId = id;
        }
      }
      if (!next) break;
      this.timers.delete(nextId!);
      this.current = Math.max(this.current, next.at);
      next.fn();
    }
    this.current = target;
    await settleMicrotasks();
  }
}

/** Let pending promise chains (and I/O callbacks queued as immediates) run. */
async function settleMicrotasks(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

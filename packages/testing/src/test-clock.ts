/** The test engine's clock: a {@link ManualClock} that also tells when its next timer is due. */
import { ManualClock, type TimerHandle } from '@workflow-mastery/core';

/**
 * A ManualClock that knows the due time of every armed timer, so that the test engine can move
 * time from one timer to the next and let the engine finish the work each one causes.
 */
export class TestClock extends ManualClock {
  private readonly due = new Map<TimerHandle, number>();

  override setTimeout(fn: () => void, ms: number): TimerHandle {
    const handle = super.setTimeout(() => {
      this.due.delete(handle);
      fn();
    }, ms);
    this.due.set(handle, this.now() + Math.max(0, ms));
    return handle;
  }

  override clearTimeout(handle: TimerHandle): void {
    this.due.delete(handle);
    super.clearTimeout(handle);
  }

  /** Epoch ms of the earliest armed timer, or `undefined` when none is armed. */
  nextDueAt(): number | undefined {
    let next: number | undefined;
    for (const at of this.due.values()) if (next === undefined || at < next) next = at;
    return next;
  }
}

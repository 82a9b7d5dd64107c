/** The attempts running in this engine, by instance and step: what cancel and shutdown abort. */
import type { Logger } from '../logger.js';
import type { AttemptControl } from './attempt-control.js';

/** @internal */
export class AttemptRegistry {
  private readonly running = new Map<string, Map<string, AttemptControl>>();

  /** An attempt starts; call the returned function when it ends. */
  track(instanceId: string, stepId: string, control: AttemptControl): () => void {
    let flights = this.running.get(instanceId);
    if (!flights) this.running.set(instanceId, (flights = new Map()));
    flights.set(stepId, control);
    return () => {
      if (flights.get(stepId) === control) flights.delete(stepId);
      if (flights.size === 0) this.running.delete(instanceId);
    };
  }

  /** Whether an attempt of the instance runs here. */
  has(instanceId: string): boolean {
    return this.running.has(instanceId);
  }

  /** Whether an attempt of this step of the instance runs here. */
  isRunning(instanceId: string, stepId: string): boolean {
    return this.running.get(instanceId)?.has(stepId) ?? false;
  }

  /**
   * Abort the attempts of these steps (the instance no longer waits for them). `recordLate`: their
   * outcome is still recorded, so that its refusal is in the history.
   */
  cancel(instanceId: string, stepIds: string[], why: string, recordLate = false): void {
    const flights = this.running.get(instanceId);
    if (!flights) return;
    for (const stepId of stepIds) {
      const control = flights.get(stepId);
      if (!control || control.aborted) continue;
      control.recordLate = recordLate;
      control.abort('cancel', `Attempt aborted: ${why}`);
    }
  }

  /** Abort every running attempt for shutdown; returns how many there were. */
  abortAll(): number {
    const all = [...this.running.values()].flatMap((m) => [...m.values()]);
    for (const control of all) control.abort('shutdown', 'Attempt aborted: the engine is shutting down; it runs again on the next start');
    return all.length;
  }

  /**
   * Wait for `drained` (the runner closing) at most `timeoutMs`; past that, abort what still runs
   * (unrecorded, it runs again) and wait for the runner to let go of it.
   */
  async drain(drained: Promise<void>, timeoutMs: number, logger: Logger): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const late = await Promise.race([
      drained.then(() => false),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), timeoutMs))),
    ]);
    clearTimeout(timer);
    if (!late) return;
    const aborted = this.abortAll();
    logger.warn({ attempts: aborted, shutdownTimeoutMs: timeoutMs }, 'aborting attempts still running at shutdown; they run again on the next start');
    await drained;
  }
}

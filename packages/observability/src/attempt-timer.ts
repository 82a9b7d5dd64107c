/**
 * Times step attempts from `step.started` to their outcome event, both seen in this process (an
 * attempt runs and records its outcome in the same process, whichever runner delivers it).
 */
import { performance } from 'node:perf_hooks';

/**
 * Start times of the attempts running here, by instance. Entries of an instance are dropped when it
 * ends; past `maxEntries` the oldest instance's are dropped, so an attempt whose outcome is never
 * seen (a process shut down mid-attempt) cannot grow it without bound.
 */
export class AttemptTimer {
  private readonly byInstance = new Map<string, Map<string, number>>();
  private size = 0;

  constructor(private readonly maxEntries = 100_000) {}

  /** Remember that attempt `attempt` of `stepId` starts now. */
  start(instanceId: string, stepId: string, attempt: number): void {
    let attempts = this.byInstance.get(instanceId);
    if (!attempts) this.byInstance.set(instanceId, (attempts = new Map()));
    const key = `${stepId}\u0000${attempt}`;
    if (!attempts.has(key)) this.size++;
    attempts.set(key, performance.now());
    while (this.size > this.maxEntries) this.dropOldest();
  }

  /** Seconds since the attempt started, forgetting it; `undefined` when it did not start here. */
  stop(instanceId: string, stepId: string, attempt: number): number | undefined {
    const attempts = this.byInstance.get(instanceId);
    const key = `${stepId}\u0000${attempt}`;
    const started = attempts?.get(key);
    if (started === undefined) return undefined;
    attempts!.delete(key);
    this.size--;
    if (attempts!.size === 0) this.byInstance.delete(instanceId);
    return (performance.now() - started) / 1000;
  }

  /** Forget every attempt of an instance (it ended, or was cancelled). */
  forget(instanceId: string): void {
    const attempts = this.byInstance.get(instanceId);
    if (!attempts) return;
    this.size -= attempts.size;
    this.byInstance.delete(instanceId);
  }

  /** Attempts being timed. */
  get running(): number {
    return this.size;
  }

  private dropOldest(): void {
    const oldest = this.byInstance.keys().next();
    if (oldest.done) {
      this.size = 0;
      return;
    }
    this.forget(oldest.value);
  }
}

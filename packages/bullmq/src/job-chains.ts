/**
 * Work chained within one job: while a job of an instance runs in this process, the work its
 * attempt makes runnable in that instance runs next in the same job instead of going through Redis.
 */
import type { WorkItem, WorkResult } from '@workflow-mastery/core';

/** What a chain runs and sends with. */
export interface JobChainsSetup {
  /** Most steps one job runs (its own included). */
  chainSteps: number;
  /** Runs one attempt through the engine. */
  execute(item: WorkItem): Promise<WorkResult | void>;
  /** Adds the job of `item`. */
  enqueue(item: WorkItem): Promise<unknown>;
  /** Keeps an add in flight (logged on failure). */
  track(promise: Promise<unknown>, what: string, instanceId: string): void;
  /** True once the runner closes: chains stop and hand what is left to the queue. */
  closed(): boolean;
}

/** The chains of the jobs running in this process, by instance. */
export class JobChains {
  private readonly continuing = new Map<string, { items: WorkItem[]; jobs: number }>();

  constructor(private readonly setup: JobChainsSetup) {}

  /** Takes `item` into the chain of its instance when a job of it runs here; false otherwise. */
  offer(item: WorkItem): boolean {
    const chain = this.continuing.get(item.instanceId);
    if (!chain) return false;
    chain.items.push(item);
    return true;
  }

  /**
   * Runs `first` (the job's own attempt or timer), then the work it made runnable in this instance,
   * one step after another, up to `chainSteps` steps: each result is recorded before the next step
   * starts. Work not run here (parallel branches beyond the first, what is left at the limit or at
   * shutdown, a step that could not be recorded) is sent to the queue as jobs before the job ends,
   * so a crash of this process loses nothing the job's redelivery and the sweeper do not find.
   * Returns the outcome of `first`.
   */
  async run(instanceId: string, first: () => Promise<WorkResult | void>): Promise<WorkResult | void> {
    const { setup } = this;
    const own = this.continuing.get(instanceId) ?? { items: [], jobs: 0 };
    if (own.jobs++ === 0) this.continuing.set(instanceId, own);
    const take = (): WorkItem[] => own.items.splice(0);
    try {
      const result = await first();
      let next = take();
      // Chain only behind a recorded outcome (`first` aborted or unrecorded: its work goes as jobs).
      if (result === 'done' || result === undefined) {
        for (let steps = 1; next.length > 0 && steps < setup.chainSteps && !setup.closed(); steps++) {
          const [item, ...rest] = next;
          await Promise.all(rest.map((r) => setup.enqueue(r)));
          const outcome = await setup.execute(item!);
          if (outcome === 'aborted' || outcome === 'unrecorded') {
            // Not recorded: it goes back to the queue as a job of its own; the job that ran it is done.
            next = [item!, ...take()];
            break;
          }
          next = take();
        }
      }
      if (next.length > 0) await Promise.all(next.map((r) => setup.enqueue(r)));
      return result;
    } finally {
      if (--own.jobs === 0) {
        this.continuing.delete(instanceId);
        // Dispatched between the last take and now: to the queue.
        for (const item of own.items.splice(0)) setup.track(setup.enqueue(item), 'enqueueing a step', instanceId);
      }
    }
  }
}

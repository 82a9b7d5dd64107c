/**
 * Recovery: work and timers of unfinished instances dispatched and armed again from storage (at
 * startup, by a runner's sweeper, or for one instance whose definition version came late).
 */
import type { Logger } from '../logger.js';
import { isTerminal } from '../model/instance.types.js';
import type { StorageAdapter } from '../storage/storage-adapter.js';
import type { ChildWorkflows } from './child-workflows.js';
import type { CommitEffects } from './commit-effects.js';
import { recoveryEffects } from './decide/index.js';

/** @internal */
export class Recovery {
  constructor(
    private readonly storage: StorageAdapter,
    private readonly effects: CommitEffects,
    private readonly children: ChildWorkflows,
    private readonly logger: Logger,
  ) {}

  /** Re-dispatch runnable work and re-arm timers of every unfinished instance; returns how many. */
  async recover(): Promise<number> {
    let cursor: string | undefined;
    let count = 0;
    do {
      const page = await this.storage.listInstances({ state: ['PENDING', 'RUNNING', 'WAITING', 'PAUSED', 'COMPENSATING'], order: 'asc', limit: 500, ...(cursor ? { cursor } : {}) });
      for (const inst of page.items) {
        this.effects.perform(inst, recoveryEffects(inst));
        // A child may have finished while its parent's hand-off was lost with a crash.
        for (const rec of Object.values(inst.steps)) if (rec.status === 'WAITING' && rec.wait?.child) void this.children.deliverIfFinished(rec.wait.child);
        count++;
      }
      cursor = page.nextCursor;
    } while (cursor);
    if (count > 0) this.logger.info({ instances: count }, 'recovered unfinished instances');
    return count;
  }

  /**
   * Dispatch the runnable work and arm the timers of one unfinished instance again (an instance
   * parked until its definition was registered; a runner's redelivered job).
   */
  async recoverInstance(id: string): Promise<void> {
    const inst = await this.storage.getInstance(id).catch(() => undefined);
    if (inst && !isTerminal(inst.state)) this.effects.perform(inst, recoveryEffects(inst));
  }
}

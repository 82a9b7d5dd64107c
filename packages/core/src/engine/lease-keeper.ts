/**
 * Work on a storage shared by several engines: claims free work and due timers, stamps this
 * engine's lease on what it commits and keeps the leases of running attempts alive. Made only when
 * the storage leases work (`claimWork`) and the runner runs its work in this process.
 */
import type { Logger } from '../logger.js';
import type { ClaimedWork, Lease, StorageAdapter } from '../storage/storage-adapter.js';
import type { Clock } from './clock.js';
import type { WorkflowRunner, WorkItem } from './runner.types.js';

/** Items claimed per poll. */
const POLL_BATCH = 64;

/** @internal What the lease keeper needs of the engine. */
export interface LeaseKeeperHost {
  storage: StorageAdapter;
  runner: WorkflowRunner;
  clock: Clock;
  logger: Logger;
  fireTimer(instanceId: string, timerId: string): Promise<unknown>;
}

/** @internal Claims and leases of one engine on a shared storage. */
export class LeaseKeeper {
  /** Attempts running here, by instance, step and kind: their leases are renewed. */
  private readonly held = new Map<string, ClaimedWork>();
  private readonly intervals: NodeJS.Timeout[] = [];
  private polling = false;
  private stopped = false;

  constructor(
    private readonly host: LeaseKeeperHost,
    /** This engine's name in leases. */
    readonly owner: string,
    private readonly leaseMs: number,
  ) {}

  /** Claim work every `pollIntervalMs` (unless `poll` is false) and renew leases every third of `leaseMs`. */
  start(poll: boolean, pollIntervalMs: number): void {
    if (poll) {
      this.every(pollIntervalMs, () => this.poll());
      void this.poll();
    }
    this.every(Math.max(50, Math.floor(this.leaseMs / 3)), () => this.heartbeat());
  }

  stop(): void {
    this.stopped = true;
    for (const handle of this.intervals) clearInterval(handle);
  }

  /** The lease stamped on what this engine commits. */
  lease(): Lease {
    return { owner: this.owner, until: this.host.clock.now() + this.leaseMs };
  }

  /** An attempt starts running here: keep its lease alive until {@link release}. Returns its key. */
  hold(item: WorkItem): string {
    const key = `${item.instanceId}\u0000${item.stepId}\u0000${item.kind}`;
    this.held.set(key, { kind: item.kind, instanceId: item.instanceId, stepId: item.stepId, attempt: item.attempt });
    return key;
  }

  release(key: string): void {
    this.held.delete(key);
  }

  /** Claim runnable work and due timers that no live engine holds. */
  private async poll(): Promise<void> {
    if (this.stopped || this.polling) return;
    this.polling = true;
    const { storage, runner, logger } = this.host;
    try {
      const now = this.host.clock.now();
      const items = await storage.claimWork!({ owner: this.owner, until: now + this.leaseMs }, now, POLL_BATCH);
      for (const item of items) {
        if (item.kind === 'timer') void this.host.fireTimer(item.instanceId, item.timerId);
        else runner.dispatch({ instanceId: item.instanceId, stepId: item.stepId, attempt: item.attempt, kind: item.kind });
      }
    } catch (error) {
      logger.warn({ err: error }, 'claiming work failed; trying again');
    } finally {
      this.polling = false;
    }
  }

  /** Keep the leases of running attempts alive. */
  private async heartbeat(): Promise<void> {
    const storage = this.host.storage;
    if (this.held.size === 0 || !storage.renewLeases) return;
    try {
      await storage.renewLeases(this.lease(), [...this.held.values()]);
    } catch (error) {
      this.host.logger.warn({ err: error, attempts: this.held.size }, 'renewing leases failed');
    }
  }

  private every(ms: number, fn: () => Promise<void>): void {
    const handle = setInterval(() => void fn(), ms);
    handle.unref();
    this.intervals.push(handle);
  }
}

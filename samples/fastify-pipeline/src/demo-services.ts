/** Copied unchanged from `samples/cicd-pipeline` (the sample packages export no library entry point). */
/**
 * Stand-ins for the systems a release pipeline touches (git, an image registry, the staging and
 * production environments, inboxes, chat and paging), kept in memory so the sample runs anywhere.
 * Side effects are keyed by the action's idempotency key, so a re-run step never deploys twice.
 */
import { systemClock } from '@workflow-mastery/core';
import type { Clock, WorkflowNotification } from '@workflow-mastery/core';

/** One environment: which image runs there, and what came before. */
export class DemoEnvironment {
  private readonly deployments = new Map<string, { version: string; previous: string }>();

  constructor(
    readonly name: 'staging' | 'production',
    readonly url: string,
    /** The image running now. */
    public current: string,
    private readonly log: string[],
  ) {}

  /** Deploy `version`; returns the version it replaced. Idempotent per key. */
  deploy(key: string, version: string): string {
    const done = this.deployments.get(key);
    if (done) return done.previous;
    const previous = this.current;
    this.deployments.set(key, { version, previous });
    this.current = version;
    this.log.push(`deploy ${this.name} ${version}`);
    return previous;
  }

  /** Undo the deployment made under `key` (once). */
  rollback(key: string): void {
    const done = this.deployments.get(key);
    if (!done) return;
    this.deployments.delete(key);
    this.current = done.previous;
    this.log.push(`rollback ${this.name} to ${done.previous}`);
  }
}

/** A notification as a demo channel received it. */
export interface ReceivedNotification {
  channel: string;
  text: string;
  notification: WorkflowNotification;
}

/** Everything the demo actions (and the demo notification channels) need. */
export class DemoServices {
  /** Deploys and rollbacks, in order. */
  readonly log: string[] = [];
  readonly images = new Map<string, string>();
  readonly staging = new DemoEnvironment('staging', 'https://staging.shop.example', 'registry.example/acme/shop:1.41.0', this.log);
  readonly production = new DemoEnvironment('production', 'https://shop.example', 'registry.example/acme/shop:1.41.0', this.log);
  readonly inbox: Array<{ to: string; subject: string }> = [];
  readonly notifications: ReceivedNotification[] = [];
  /** Called for each notification a demo channel receives. */
  onNotification?: (received: ReceivedNotification) => void;
  private readonly waiters = new Set<() => void>();

  constructor(readonly clock: Clock = systemClock) {}

  /** The engine's time, as an ISO string. */
  now(): string {
    return new Date(this.clock.now()).toISOString();
  }

  /** What the `slack` and `pagerduty` demo channels do with a notification. */
  receive(received: ReceivedNotification): void {
    this.notifications.push(received);
    this.onNotification?.(received);
    for (const wake of [...this.waiters]) wake();
  }

  /** Resolves once `channels` all received a notification about `workflowId` (or after `timeoutMs`). */
  async notified(workflowId: string, channels: string[], timeoutMs = 5000): Promise<boolean> {
    const done = () => channels.every((c) => this.notifications.some((n) => n.channel === c && n.notification.workflowId === workflowId));
    if (done()) return true;
    return new Promise<boolean>((resolve) => {
      const finish = (ok: boolean) => {
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(ok);
      };
      const check = () => done() && finish(true);
      const timer = setTimeout(() => finish(false), timeoutMs);
      this.waiters.add(check);
    });
  }
}

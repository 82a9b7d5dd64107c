/** The BullMQ `Queue`s a {@link BullMQRunner} adds jobs to, and the adds still in flight. */
import { Queue, type JobType } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '@workflow-mastery/core';
import { outOfOrder } from './runner-config.js';

/** Opens each queue once on the runner's connection; tracks adds so `flush()` can wait for them. */
export class RunnerQueues {
  /** The runner's connection, set when the engine starts the runner. */
  connection?: Redis;
  private readonly queues = new Map<string, Queue>();
  /** Queues made elsewhere (e.g. by `BullModule.registerQueue`): not closed here. */
  private readonly external = new Set<Queue>();
  private readonly pending = new Set<Promise<unknown>>();

  constructor(
    private readonly prefix: string,
    private readonly logger: () => Logger,
  ) {}

  /** Use `queue` (made elsewhere) for its name; it is left open on close. */
  adopt(queue: Queue): void {
    this.queues.set(queue.name, queue);
    this.external.add(queue);
  }

  /** The queue `name`, opened on first use. */
  get(name: string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      if (!this.connection) throw outOfOrder('BullMQRunner: not started (the engine starts it; await engine.ready).');
      queue = new Queue(name, { connection: this.connection, prefix: this.prefix });
      queue.on('error', (error) => this.logger().warn({ err: { message: error.message }, queue: name }, 'BullMQ queue error'));
      this.queues.set(name, queue);
    }
    return queue;
  }

  /** Job counts of `states`, summed over the queues `names`. */
  async counts(names: string[], states: readonly JobType[]): Promise<Record<string, number>> {
    const total: Record<string, number> = {};
    for (const name of names) {
      const counts = await this.get(name).getJobCounts(...states);
      for (const [state, n] of Object.entries(counts)) total[state] = (total[state] ?? 0) + n;
    }
    return total;
  }

  /** Keeps `promise` (an add or remove) until it settles; a failure is logged (the sweeper repairs it). */
  track(promise: Promise<unknown>, what: string, instanceId: string): void {
    const p = promise.then(
      () => undefined,
      (error: unknown) => this.logger().warn({ err: error, workflowId: instanceId }, `${what} failed; the sweeper re-creates it from storage`),
    );
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  }

  /** Resolves when no tracked add is in flight. */
  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  /** Closes the queues opened here. */
  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].filter((q) => !this.external.has(q)).map((q) => q.close().catch(() => undefined)));
  }
}

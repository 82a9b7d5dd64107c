/**
 * The writes of a {@link FileStorage} in flight: serialized per instance (commits, history
 * rewrites and purges of one instance run one after the other), concurrent across instances, and
 * awaited by `close()`.
 */
import { noop } from './fs-utils.js';

/** Per-instance queues of writes, and every write in flight. */
export class WriteQueue {
  /** Per-instance promise chain: the last queued write of each instance. */
  private readonly tails = new Map<string, Promise<void>>();
  private readonly inflight = new Set<Promise<void>>();

  /** Runs `work` after the instance's queued writes, before later ones. */
  serialized<T>(id: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(id);
    const run = previous ? previous.then(work) : work();
    const tail = run.then(noop, noop);
    this.tails.set(id, tail);
    this.inflight.add(tail);
    void tail.then(() => {
      this.inflight.delete(tail);
      if (this.tails.get(id) === tail) this.tails.delete(id);
    });
    return run;
  }

  /** Counts `promise` as a write in flight until it settles. */
  track(promise: Promise<unknown>): void {
    const settled = promise.then(noop, noop);
    this.inflight.add(settled);
    void settled.then(() => this.inflight.delete(settled));
  }

  /** Resolves once no write is in flight (writes started meanwhile included). */
  async drain(): Promise<void> {
    while (this.inflight.size > 0) await Promise.all([...this.inflight]);
  }
}

/** Runs `write` on every item concurrently: one entry per item, `undefined` or the error of that item alone. */
export function settleEach<T>(items: T[], write: (item: T) => Promise<void>): Promise<Array<Error | undefined>> {
  return Promise.all(
    items.map((item) =>
      write(item).then(
        () => undefined,
        (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
      ),
    ),
  );
}

/**
 * History rewrites of a {@link FileStorage}: a history file is replaced whole (temp file, rename),
 * so reads of it must not mix the new file with the old committed size. Reads wait for a rewrite
 * in flight and retry when one started and ended while they read.
 */
import type { HistoryEvent } from '../model/instance.types.js';
import { noop } from './fs-utils.js';
import { decodeEvents, encodeEvents } from './instance-files.js';
import type { HistoryRewrite } from './storage-adapter.js';

/**
 * The committed history bytes with the `data` of the events named in `rewrites` replaced, or
 * undefined when none of them is stored.
 * @throws StorageCorruptError when a line does not parse.
 */
export function rewriteLines(committed: Buffer, seq: number, rewrites: HistoryRewrite[], file: string): Buffer | undefined {
  const events: HistoryEvent[] = decodeEvents(committed, 0, seq, file);
  let changed = false;
  for (const { seq: at, data } of rewrites) {
    const event = events[at - 1];
    if (event?.seq !== at) continue;
    events[at - 1] = { ...event, data };
    changed = true;
  }
  return changed ? encodeEvents(events) : undefined;
}

/** Which history files are being replaced, for reads to wait or retry. */
export class RewriteGuard {
  /** Per instance, bumped when a rewrite starts and when it ends. */
  private readonly generations = new Map<string, number>();
  private readonly inFlight = new Map<string, Promise<void>>();

  /** Runs `replace` (which replaces the history file of `id`) with reads of it held off. */
  async replacing(id: string, replace: () => Promise<void>): Promise<void> {
    let finished = noop;
    this.inFlight.set(id, new Promise<void>((resolve) => (finished = resolve)));
    this.bump(id);
    try {
      await replace();
    } finally {
      this.bump(id);
      this.inFlight.delete(id);
      finished();
    }
  }

  /** `read()`, once no rewrite of `id` runs, again until none ran while it read. */
  async stable<T>(id: string, read: () => Promise<T>): Promise<T> {
    for (;;) {
      const rewriting = this.inFlight.get(id);
      if (rewriting) {
        await rewriting;
        continue;
      }
      const generation = this.generations.get(id) ?? 0;
      const result = await read();
      if ((this.generations.get(id) ?? 0) === generation) return result;
    }
  }

  private bump(id: string): void {
    this.generations.set(id, (this.generations.get(id) ?? 0) + 1);
  }
}

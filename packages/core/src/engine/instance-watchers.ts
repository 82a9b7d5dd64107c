/** `waitFor`: callers waiting for an instance to settle, told by commits here and by polling storage. */
import { ErrorCode, WorkflowError } from '../errors.js';
import type { InstanceRecord } from '../model/instance.types.js';
import { isTerminal } from '../model/instance.types.js';
import type { StorageAdapter } from '../storage/storage-adapter.js';
import type { WaitForOptions } from './engine.types.js';

/** How often a waiting caller also reads storage (another process may move the instance). */
const POLL_MS = 250;

/** @internal */
export class InstanceWatchers {
  private readonly watchers = new Map<string, Set<(inst: InstanceRecord) => void>>();

  constructor(private readonly storage: StorageAdapter) {}

  /** The instance was committed here: wake whoever waits for it. */
  notify(inst: InstanceRecord): void {
    const watchers = this.watchers.get(inst.id);
    if (watchers) for (const w of [...watchers]) w(inst);
  }

  /**
   * Resolves with the instance once it is settled (see {@link WaitForOptions}). The watcher is in
   * place before `read()` (a fresh read) starts, so a commit landing during the read is not missed
   * (it would otherwise be seen only by the next poll).
   */
  waitFor(id: string, read: () => Promise<InstanceRecord>, options: WaitForOptions): Promise<InstanceRecord> {
    const timeoutMs = options.timeoutMs ?? 30_000;
    const done = (inst: InstanceRecord) =>
      isTerminal(inst.state) || (options.until !== 'terminal' && (inst.state === 'WAITING' || inst.state === 'PAUSED'));
    return new Promise<InstanceRecord>((resolve, reject) => {
      let set = this.watchers.get(id);
      if (!set) this.watchers.set(id, (set = new Set()));
      let timer: ReturnType<typeof setTimeout> | undefined;
      let poll: ReturnType<typeof setInterval> | undefined;
      let state = 'unknown';
      const finish = (fn: () => void) => {
        clearTimeout(timer);
        clearInterval(poll);
        set!.delete(watcher);
        if (set!.size === 0) this.watchers.delete(id);
        fn();
      };
      const watcher = (inst: InstanceRecord) => {
        state = inst.state;
        if (done(inst)) finish(() => resolve(inst));
      };
      set.add(watcher);
      read().then(
        (current) => {
          if (!set!.has(watcher)) return; // a commit settled it during the read
          watcher(current);
          if (!set!.has(watcher)) return;
          poll = setInterval(() => {
            this.storage.getInstance(id).then((inst) => inst && watcher(inst), () => undefined);
          }, POLL_MS);
          timer = setTimeout(
            () => finish(() => reject(new WorkflowError(ErrorCode.Timeout, `Instance ${id} did not settle within ${timeoutMs} ms (it is ${state}).`, { instanceId: id }))),
            timeoutMs,
          );
        },
        (error: unknown) => finish(() => reject(error)),
      );
    });
  }
}

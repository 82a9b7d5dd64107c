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

  /** Resolves with the instance once it is settled (see {@link WaitForOptions}); `current` is a fresh read. */
  waitFor(current: InstanceRecord, options: WaitForOptions): Promise<InstanceRecord> {
    const id = current.id;
    const timeoutMs = options.timeoutMs ?? 30_000;
    const done = (inst: InstanceRecord) =>
      isTerminal(inst.state) || (options.until !== 'terminal' && (inst.state === 'WAITING' || inst.state === 'PAUSED'));
    if (done(current)) return Promise.resolve(current);
    return new Promise<InstanceRecord>((resolve, reject) => {
      let set = this.watchers.get(id);
      if (!set) this.watchers.set(id, (set = new Set()));
      const finish = (fn: () => void) => {
        clearTimeout(timer);
        clearInterval(poll);
        set!.delete(watcher);
        if (set!.size === 0) this.watchers.delete(id);
        fn();
      };
      const watcher = (inst: InstanceRecord) => {
        if (done(inst)) finish(() => resolve(inst));
      };
      set.add(watcher);
      const poll = setInterval(() => {
        this.storage.getInstance(id).then((inst) => inst && watcher(inst), () => undefined);
      }, POLL_MS);
      const timer = setTimeout(
        () =>
          finish(() =>
            reject(new WorkflowError(ErrorCode.Timeout, `Instance ${id} did not settle within ${timeoutMs} ms (it is ${current.state}).`, { instanceId: id })),
          ),
        timeoutMs,
      );
    });
  }
}

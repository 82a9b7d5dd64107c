/**
 * Group commit: commits issued while a batch is being written are gathered and written together
 * through `storage.commitMany` (one transaction on a database), each still compare-and-swapped on
 * its own. Used when the storage says batching pays (`prefersGroupCommit`).
 */
import type { Commit, StorageAdapter } from '../storage/storage-adapter.js';

interface Pending {
  commit: Commit;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** Batches commits for {@link StorageAdapter.commitMany}. */
export class CommitBatcher {
  private pending: Pending[] = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(
    private readonly storage: StorageAdapter & Required<Pick<StorageAdapter, 'commitMany'>>,
    /** Largest batch written at once. */
    private readonly maxBatch = 256,
    /** Batches written concurrently. */
    private readonly maxInFlight = 2,
  ) {}

  commit(commit: Commit): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ commit, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.maxInFlight || this.pending.length === 0) return;
    this.scheduled = true;
    // Let the commits of this turn of the event loop join the batch.
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    if (this.inFlight >= this.maxInFlight || this.pending.length === 0) return;
    const batch = this.pending.splice(0, this.maxBatch);
    this.inFlight++;
    try {
      const results = await this.storage.commitMany(batch.map((p) => p.commit));
      batch.forEach((p, i) => (results[i] ? p.reject(results[i]) : p.resolve()));
    } catch (error) {
      for (const p of batch) p.reject(error);
    } finally {
      this.inFlight--;
      this.schedule();
    }
  }
}

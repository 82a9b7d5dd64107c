/**
 * Group commit: creates and commits issued while a batch is being written are gathered and written
 * together through `storage.writeBatch` (or `storage.commitMany` for commits alone when the storage
 * has no `writeBatch`): one transaction on a database, each item still decided on its own
 * (compare-and-swap, idempotency key). Used when the storage says batching pays (`prefersGroupCommit`).
 */
import type { Commit, CreateResult, NewInstance, StorageAdapter } from '../storage/storage-adapter.js';

interface PendingCommit {
  item: Commit;
  resolve: () => void;
  reject: (error: unknown) => void;
}

interface PendingCreate {
  item: NewInstance;
  resolve: (result: CreateResult) => void;
  reject: (error: unknown) => void;
}

/** Options of {@link CommitBatcher}. */
export interface CommitBatcherOptions {
  /** Largest batch written at once. @defaultValue 256 */
  maxBatch?: number;
  /**
   * Batches written at once; the writes waiting when a writer is free are shared evenly among the
   * free writers. @defaultValue the storage's `groupCommitWriters`, else 1
   */
  writers?: number;
}

/** Batches creates and commits for {@link StorageAdapter.writeBatch} / {@link StorageAdapter.commitMany}. */
export class CommitBatcher {
  private commits: PendingCommit[] = [];
  private creates: PendingCreate[] = [];
  private inFlight = 0;
  private scheduled = false;
  private readonly maxBatch: number;
  private readonly maxInFlight: number;

  constructor(
    private readonly storage: StorageAdapter & Required<Pick<StorageAdapter, 'commitMany'>>,
    options: CommitBatcherOptions = {},
  ) {
    this.maxBatch = positiveInteger(options.maxBatch ?? 256, 'maxBatch');
    this.maxInFlight = positiveInteger(options.writers ?? storage.groupCommitWriters ?? 1, 'writers');
  }

  commit(commit: Commit): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.commits.push({ item: commit, resolve, reject });
      this.schedule();
    });
  }

  /** A create, batched with the others when the storage has `writeBatch`; on its own otherwise. */
  create(create: NewInstance): Promise<CreateResult> {
    if (!this.storage.writeBatch) return this.storage.createInstance(create.instance, create.events, create.idempotencyKey, create.lease);
    return new Promise<CreateResult>((resolve, reject) => {
      this.creates.push({ item: create, resolve, reject });
      this.schedule();
    });
  }

  private get waiting(): number {
    return this.commits.length + this.creates.length;
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.maxInFlight || this.waiting === 0) return;
    this.scheduled = true;
    // Let the writes of this turn of the event loop join the batch.
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    if (this.inFlight >= this.maxInFlight || this.waiting === 0) return;
    // Share what waits evenly among the free writers (50 waiting, 2 free: 25 each).
    const size = Math.min(this.maxBatch, Math.ceil(this.waiting / (this.maxInFlight - this.inFlight)));
    const commits = this.commits.splice(0, size);
    const creates = this.creates.splice(0, size - commits.length);
    this.inFlight++;
    // The rest goes to the next free writer now, not after this batch.
    if (this.waiting > 0) void this.flush();
    try {
      await this.write(commits, creates);
    } finally {
      this.inFlight--;
      this.schedule();
    }
  }

  private async write(commits: PendingCommit[], creates: PendingCreate[]): Promise<void> {
    try {
      if (creates.length > 0 && this.storage.writeBatch) {
        const results = await this.storage.writeBatch({ creates: creates.map((p) => p.item), commits: commits.map((p) => p.item) });
        commits.forEach((p, i) => (results.commits[i] ? p.reject(results.commits[i]) : p.resolve()));
        creates.forEach((p, i) => {
          const result = results.creates[i];
          if (result === undefined || result instanceof Error) p.reject(result ?? new Error('writeBatch returned no result for a create'));
          else p.resolve(result);
        });
        return;
      }
      const results = await this.storage.commitMany(commits.map((p) => p.item));
      commits.forEach((p, i) => (results[i] ? p.reject(results[i]) : p.resolve()));
    } catch (error) {
      for (const p of [...commits, ...creates]) p.reject(error);
    }
  }
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) throw new TypeError(`groupCommit.${name} must be a positive integer, got ${value}.`);
  return value;
}

/**
 * The re-encryption pass of {@link EncryptedStorage}: walks every instance (all states, oldest
 * first) and rewrites each record and history event holding a value under a key other than the
 * current one (or stored in clear), so that old keys can be removed. Resumable from a cursor and
 * idempotent: what is already under the current key is only counted.
 */
import { ConcurrencyError, ErrorCode, WorkflowError } from '../errors.js';
import type { HistoryEvent, InstanceRecord } from '../model/instance.types.js';
import { isEncryptedValue } from './encryption-envelope.js';
import { encodeCursor } from './instance-cursor.js';
import type { HistoryRewrite, StorageAdapter } from './storage-adapter.js';

/** Options of `EncryptedStorage.reencrypt()` and `keyUsage()`. */
export interface ReencryptOptions {
  /** Instances per page read from the storage (and between progress reports). @defaultValue 100 */
  batchSize?: number;
  /** Start after this position: the `cursor` of a progress report, or the `nextCursor` of an earlier result. */
  cursor?: string;
  /** Stop after this many instances; the result's `nextCursor` continues from there. */
  maxInstances?: number;
  /** Called after each batch, with the totals so far and the cursor to resume from. */
  onProgress?: (progress: ReencryptProgress) => void | Promise<void>;
  /** Stops after the batch in progress (the result then has `done: false` and a `nextCursor`). */
  signal?: AbortSignal;
}

/** Where the values of the instances visited were found (before any rewriting). */
export interface KeyUsage {
  /** Instances visited. */
  instances: number;
  /** Encrypted values (record data, step outputs, signal payloads, event data) per key id. */
  keys: Record<string, number>;
  /** Values stored in clear (written before encryption was turned on). */
  unencrypted: number;
}

/** Totals so far of a pass. */
export interface ReencryptProgress extends KeyUsage {
  /** Records rewritten under the current key. */
  records: number;
  /** History events rewritten under the current key. */
  events: number;
  /** Resume from here (after the last instance done); absent before the first. */
  cursor?: string;
}

/** What one call of the pass did. */
export interface ReencryptResult extends ReencryptProgress {
  /** True when every instance up to the end of the storage was visited. */
  done: boolean;
  /** When not `done`: pass it as `cursor` to continue. */
  nextCursor?: string;
}

/** What the pass needs of an EncryptedStorage: its inner storage and its keys. */
export interface RekeyCodec {
  inner: StorageAdapter;
  currentKeyId: string;
  /** A stored (encrypted) record decrypted and encrypted again with the current key. */
  reencryptRecord(stored: InstanceRecord): InstanceRecord;
  /** A stored event's `data` decrypted and encrypted again with the current key. */
  reencryptEvent(stored: HistoryEvent): HistoryEvent;
}

/** Events per `rewriteHistory` call. */
const REWRITE_CHUNK = 500;
/** Compare-and-swap attempts on a record that engines keep committing. */
const MAX_RECORD_TRIES = 20;

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!(Number.isInteger(value) && value > 0)) {
    throw new WorkflowError(ErrorCode.InputInvalid, `reencrypt(): ${name} must be a positive integer; got ${String(value)}.`, { [name]: value });
  }
  return value;
}

/** The values of a record that encryption covers. */
function recordValues(record: InstanceRecord): unknown[] {
  const values: unknown[] = [record.data];
  for (const step of Object.values(record.steps)) if (step.output !== undefined) values.push(step.output);
  for (const signal of record.signals) values.push(signal.payload);
  return values;
}

/** Walks the storage; with `write`, rewrites what is not under the current key. */
export async function runReencryption(codec: RekeyCodec, options: ReencryptOptions, write: boolean): Promise<ReencryptResult> {
  const batchSize = positive('batchSize', options.batchSize, 100);
  const max = positive('maxInstances', options.maxInstances, Number.MAX_SAFE_INTEGER);
  const { inner } = codec;
  if (write && typeof inner.rewriteHistory !== 'function') {
    throw new WorkflowError(
      ErrorCode.InputInvalid,
      `reencrypt(): the inner storage (${inner.constructor.name}) cannot rewrite history events (it has no rewriteHistory()), ` +
        'so events under old keys would stay there. Use a storage that has it (memory, file, TypeORM, Redis); keyUsage() works on any.',
    );
  }
  const progress: ReencryptProgress = { instances: 0, records: 0, events: 0, keys: {}, unencrypted: 0 };
  let cursor = options.cursor;
  if (cursor !== undefined) progress.cursor = cursor;
  const pass = new InstancePass(codec, progress, write);
  for (;;) {
    if (options.signal?.aborted || progress.instances >= max) return { ...progress, done: false, ...(cursor ? { nextCursor: cursor } : {}) };
    const limit = Math.min(batchSize, max - progress.instances);
    const page = await inner.listInstances({ order: 'asc', limit, ...(cursor !== undefined ? { cursor } : {}) });
    for (const listed of page.items) {
      await pass.run(listed);
      progress.instances += 1;
      cursor = encodeCursor(listed);
    }
    if (cursor !== undefined) progress.cursor = cursor;
    await options.onProgress?.({ ...progress, keys: { ...progress.keys } });
    if (page.nextCursor === undefined) return { ...progress, done: true };
  }
}

/** Counts and rewrites the values of one instance at a time. */
class InstancePass {
  constructor(
    private readonly codec: RekeyCodec,
    private readonly progress: ReencryptProgress,
    private readonly write: boolean,
  ) {}

  /** Counts `value`; true when it is not under the current key. */
  private count(value: unknown): boolean {
    if (value === undefined) return false;
    if (!isEncryptedValue(value)) {
      this.progress.unencrypted += 1;
      return true;
    }
    const kid = String(value.kid);
    this.progress.keys[kid] = (this.progress.keys[kid] ?? 0) + 1;
    return kid !== this.codec.currentKeyId;
  }

  private stale(record: InstanceRecord): boolean {
    return recordValues(record).some((v) => v !== undefined && (!isEncryptedValue(v) || v.kid !== this.codec.currentKeyId));
  }

  async run(listed: InstanceRecord): Promise<void> {
    const { inner } = this.codec;
    const id = listed.id;
    const stale: HistoryEvent[] = [];
    for (const event of await inner.getHistory(id)) if (this.count(event.data)) stale.push(event);
    if (this.write) {
      for (let i = 0; i < stale.length; i += REWRITE_CHUNK) {
        const chunk = stale.slice(i, i + REWRITE_CHUNK);
        const rewrites: HistoryRewrite[] = chunk.map((e) => ({ seq: e.seq, data: this.codec.reencryptEvent(e).data! }));
        await inner.rewriteHistory!(id, rewrites);
        this.progress.events += chunk.length;
      }
    }
    let staleRecord = false;
    for (const value of recordValues(listed)) staleRecord = this.count(value) || staleRecord;
    if (staleRecord && this.write) await this.rewriteRecord(listed);
  }

  /**
   * A compare-and-swap commit of the same record (version + 1, no events). When an engine commits
   * the instance first, its commit stands (it encrypted the record with the current key); the
   * record is read again and rewritten only if still needed.
   */
  private async rewriteRecord(first: InstanceRecord): Promise<void> {
    const { inner } = this.codec;
    let stored: InstanceRecord | undefined = first;
    for (let tries = 1; stored && this.stale(stored); tries++) {
      const instance = { ...this.codec.reencryptRecord(stored), version: stored.version + 1 };
      try {
        await inner.commit({ instance, expectedVersion: stored.version, events: [] });
        this.progress.records += 1;
        return;
      } catch (error) {
        if (!(error instanceof ConcurrencyError) || tries >= MAX_RECORD_TRIES) throw error;
      }
      stored = await inner.getInstance(first.id);
    }
  }
}

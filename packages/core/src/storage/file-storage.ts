/**
 * Durable storage in plain files, for single-process deployments and development: no database,
 * survives SIGKILL and power loss (with `fsync`, the default).
 */
import { mkdir, readFile, truncate } from 'node:fs/promises';
import path from 'node:path';
import { ConcurrencyError, ErrorCode, WorkflowError } from '../errors.js';
import { isTerminal, type HistoryEvent, type InstanceRecord } from '../model/instance.types.js';
import { checkCommit, checkNewInstance, duplicateIdError } from './commit-checks.js';
import { checkMaxPayloadBytes, checkPayloadSize } from './payload-checks.js';
import { checkStoredDefinition, DefinitionFiles } from './definition-store.js';
import { acquireLock, releaseLock } from './file-lock.js';
import { loadDirectory } from './file-recovery.js';
import { RetentionIndex } from './file-retention.js';
import { fileNameOf, noop } from './fs-utils.js';
import { RewriteGuard, rewriteLines } from './history-rewrites.js';
import { decodeEvents, encodeEvents, InstanceFiles } from './instance-files.js';
import { collectDueTimers, queryInstances } from './instance-query.js';
import { settleEach, WriteQueue } from './write-queue.js';
import type {
  Commit,
  CreateResult,
  DueTimer,
  HistoryRewrite,
  InstancePage,
  InstanceQuery,
  PurgeCandidate,
  StorageAdapter,
  StoredDefinition,
  StoredDefinitionSummary,
} from './storage-adapter.js';

/** Options of {@link FileStorage}. */
export interface FileStorageOptions {
  /** Created when missing. One FileStorage (one process) per directory at a time. */
  directory: string;
  /** fsync files and directories on every write. Turn off only for tests and benchmarks. @defaultValue true */
  fsync?: boolean;
  /**
   * Largest JSON (UTF-8 bytes) of an instance record or an event's data: larger is refused with
   * `WF_PAYLOAD_TOO_LARGE` before anything is written (and the engine checks data where it enters
   * against it). @defaultValue 16777216 (16 MiB)
   */
  maxPayloadBytes?: number;
}

/** Default of {@link FileStorageOptions.maxPayloadBytes}: 16 MiB. */
export const FILE_STORAGE_MAX_PAYLOAD_BYTES = 16 * 1_048_576;

/**
 * {@link StorageAdapter} over a directory:
 * - `instances/<id>.json`: the record, replaced atomically (temp file, fsync, rename, fsync dir);
 * - `history/<id>.jsonl`: one event per line, appended and fsynced BEFORE the record is renamed,
 *   so the record's `seq` is the commit point. Lines past it (a crash between append and rename)
 *   and a torn last line are never read and are truncated away on open;
 * - `keys/<sha256(key)>.json`: `{key, instanceId}`, created exclusively BEFORE the instance files,
 *   so a crash never leaves an instance whose key is unknown (a retried start would duplicate it);
 *   a key file whose instance file is missing is a crash leftover, removed on open;
 * - a purge deletes the record file first (fsynced), then history and key file: a crash midway
 *   leaves leftovers the next open removes, never a record without its history;
 * - `LOCK`: the owner's pid; a second writer is refused, a dead owner's lock taken over.
 *
 * Every record is cached in memory at open, so reads, lists and timer scans do no I/O; history is
 * read from disk. Commits of one instance are serialized; different instances commit concurrently
 * and share directory fsyncs. Methods open the storage lazily when `init()` was not called.
 */
export class FileStorage implements StorageAdapter {
  /** Absolute path of the directory. */
  readonly directory: string;
  /** Largest JSON (UTF-8 bytes) of a record or an event's data. */
  readonly maxPayloadBytes: number;
  private readonly files: InstanceFiles;
  private readonly definitions: DefinitionFiles;
  private records = new Map<string, InstanceRecord>();
  private historySizes = new Map<string, number>();
  private keys = new Map<string, string>();
  private readonly withTimers = new Set<string>();
  private readonly pendingKeys = new Map<string, Promise<CreateResult>>();
  /** Records being created, by id. */
  private readonly creating = new Map<string, InstanceRecord>();
  private readonly retention = new RetentionIndex((id) => this.records.get(id) ?? this.creating.get(id));
  /** History files being replaced or deleted: reads wait for them (see history-rewrites.ts). */
  private readonly rewrites = new RewriteGuard();
  private readonly writes = new WriteQueue();
  private opening?: Promise<void>;
  private opened = false;
  /** opened and not closing: the hot-path check. */
  private isOpen = false;
  private closed = false;

  constructor(options: FileStorageOptions) {
    this.directory = path.resolve(options.directory);
    this.maxPayloadBytes = checkMaxPayloadBytes(options.maxPayloadBytes, 'FileStorage') ?? FILE_STORAGE_MAX_PAYLOAD_BYTES;
    this.files = new InstanceFiles(this.directory, options.fsync ?? true);
    this.definitions = new DefinitionFiles(this.directory, options.fsync ?? true);
  }

  /**
   * Takes the directory's lock and loads it, repairing crash leftovers.
   * @throws WorkflowError (WF_STORAGE_LOCKED) when another live FileStorage holds the directory;
   * StorageCorruptError naming the file when stored data cannot be read.
   */
  init(): Promise<void> {
    if (this.closed) return Promise.reject(this.closedError());
    this.opening ??= this.open().catch((error: unknown) => {
      this.opening = undefined;
      throw error;
    });
    return this.opening;
  }

  private async open(): Promise<void> {
    const { layout, fsync } = this.files;
    await Promise.all(Object.values(layout).map((dir) => mkdir(dir, { recursive: true })));
    await acquireLock(this.directory);
    try {
      const loaded = await loadDirectory(layout, fsync);
      this.records = loaded.records;
      this.historySizes = loaded.historySizes;
      this.keys = loaded.keys;
      for (const record of this.records.values()) if (record.timers.length > 0) this.withTimers.add(record.id);
      this.retention.load(this.records.values(), this.keys);
      await this.definitions.load();
    } catch (error) {
      await releaseLock(this.directory);
      throw error;
    }
    this.opened = true;
    this.isOpen = !this.closed;
  }

  private closedError(): WorkflowError {
    return new WorkflowError(
      ErrorCode.EngineClosed,
      `FileStorage of ${this.directory} is closed; create a new FileStorage to open the directory again.`,
      { directory: this.directory },
    );
  }

  private async ensureOpen(): Promise<void> {
    await this.init();
    if (this.closed) throw this.closedError();
  }

  async createInstance(instance: InstanceRecord, events: HistoryEvent[], idempotencyKey?: string): Promise<CreateResult> {
    if (!this.isOpen) await this.ensureOpen();
    if (idempotencyKey !== undefined) {
      for (;;) {
        const existing = this.findKey(idempotencyKey);
        if (existing) return { created: false, instance: existing };
        const pending = this.pendingKeys.get(idempotencyKey);
        if (!pending) break;
        await pending.then(noop, noop);
      }
    }
    checkNewInstance(instance, events);
    checkPayloadSize(instance, events, this.maxPayloadBytes);
    const id = instance.id;
    const existing = this.records.get(id);
    if (existing) throw duplicateIdError(existing);
    if (this.creating.has(id)) throw new ConcurrencyError(id, 0, 1);
    this.retention.claimBusinessKey(instance);
    this.creating.set(id, instance);
    const run = this.writeNew(instance, events, idempotencyKey).finally(() => {
      this.creating.delete(id);
      if (this.records.get(id) !== instance) this.retention.releaseBusinessKey(instance);
      if (idempotencyKey !== undefined) this.pendingKeys.delete(idempotencyKey);
    });
    if (idempotencyKey !== undefined) this.pendingKeys.set(idempotencyKey, run);
    this.writes.track(run);
    return run;
  }

  private findKey(key: string): InstanceRecord | undefined {
    const id = this.keys.get(key);
    return id === undefined ? undefined : this.records.get(id);
  }

  private async writeNew(instance: InstanceRecord, events: HistoryEvent[], key?: string): Promise<CreateResult> {
    const name = fileNameOf(instance.id);
    if (key !== undefined) {
      const holder = await this.files.claimKey(key, instance.id, (id) => this.records.has(id));
      if (holder !== undefined) return { created: false, instance: this.records.get(holder)! };
    }
    const history = encodeEvents(events);
    try {
      if (history.length > 0) await this.files.appendHistory(name, history, 0);
      await this.files.writeRecord(name, instance);
    } catch (error) {
      await this.files.removeInstance(name, key).catch(noop);
      throw error;
    }
    this.records.set(instance.id, instance);
    this.historySizes.set(instance.id, history.length);
    if (key !== undefined) this.keys.set(key, instance.id);
    if (instance.timers.length > 0) this.withTimers.add(instance.id);
    this.retention.committed(instance, key);
    return { created: true, instance };
  }

  async commit(commit: Commit): Promise<void> {
    if (!this.isOpen) await this.ensureOpen();
    return this.writes.serialized(commit.instance.id, () => this.apply(commit));
  }

  /** Runs alone for its instance (see {@link commit}); checks CAS against the cache. */
  private async apply(commit: Commit): Promise<void> {
    const { instance, events } = commit;
    const id = instance.id;
    checkCommit(this.records.get(id), commit);
    checkPayloadSize(commit.instance, commit.events, this.maxPayloadBytes);
    const name = fileNameOf(id);
    const position = this.historySizes.get(id) ?? 0;
    const history = encodeEvents(events);
    if (history.length > 0) await this.files.appendHistory(name, history, position);
    try {
      await this.files.writeRecord(name, instance);
    } catch (error) {
      if (history.length > 0) await truncate(this.files.historyFile(name), position).catch(noop);
      throw error;
    }
    this.records.set(id, instance);
    this.historySizes.set(id, position + history.length);
    if (instance.timers.length > 0) this.withTimers.add(id);
    else this.withTimers.delete(id);
    this.retention.committed(instance);
  }

  /** Commits run concurrently; commits of different instances share directory fsyncs. */
  async commitMany(commits: Commit[]): Promise<Array<Error | undefined>> {
    return settleEach(commits, (commit) => this.commit(commit));
  }

  async findPurgeable(now: number, limit: number): Promise<PurgeCandidate[]> {
    if (!this.isOpen) await this.ensureOpen();
    return this.retention.findPurgeable(now, limit);
  }

  /** Each purge is queued with the instance's commits; see the class comment for the order of deletes. */
  async purgeInstances(candidates: ReadonlyArray<Pick<PurgeCandidate, 'id' | 'version'>>): Promise<string[]> {
    if (!this.isOpen) await this.ensureOpen();
    const purged = await Promise.all(candidates.map(({ id, version }) => this.writes.serialized(id, () => this.purge(id, version))));
    return candidates.filter((_, i) => purged[i]).map(({ id }) => id);
  }

  private async purge(id: string, version: number): Promise<boolean> {
    const record = this.records.get(id);
    if (!record || record.version !== version || !isTerminal(record.state)) return false;
    const key = this.retention.idempotencyKeyOf(id);
    await this.rewrites.replacing(id, async () => {
      await this.files.removeInstance(fileNameOf(id), key);
      this.records.delete(id);
      this.historySizes.delete(id);
      this.withTimers.delete(id);
      if (key !== undefined) this.keys.delete(key);
      this.retention.removed(record);
    });
    return true;
  }

  async getInstance(id: string): Promise<InstanceRecord | undefined> {
    if (!this.isOpen) await this.ensureOpen();
    return this.records.get(id);
  }

  async findByIdempotencyKey(key: string): Promise<InstanceRecord | undefined> {
    if (!this.isOpen) await this.ensureOpen();
    return this.findKey(key);
  }

  async listInstances(query?: InstanceQuery): Promise<InstancePage> {
    if (!this.isOpen) await this.ensureOpen();
    return queryInstances(this.records.values(), query);
  }

  /**
   * Queued with the instance's commits. The history file is written anew (temp file, rename), so a
   * crash leaves either the old one or the new one; reads in flight retry on the new one.
   */
  async rewriteHistory(instanceId: string, rewrites: HistoryRewrite[]): Promise<void> {
    if (!this.isOpen) await this.ensureOpen();
    return this.writes.serialized(instanceId, () => this.applyRewrite(instanceId, rewrites));
  }

  private async applyRewrite(id: string, rewrites: HistoryRewrite[]): Promise<void> {
    const record = this.records.get(id);
    const size = this.historySizes.get(id) ?? 0;
    if (!record || size === 0 || rewrites.length === 0) return;
    const name = fileNameOf(id);
    const file = this.files.historyFile(name);
    const lines = rewriteLines((await readFile(file)).subarray(0, size), record.seq, rewrites, file);
    if (!lines) return;
    await this.rewrites.replacing(id, async () => {
      await this.files.replaceHistory(name, lines.toString());
      this.historySizes.set(id, lines.length);
    });
  }

  /** Reads only the committed bytes of the history file: later bytes belong to a commit in flight. */
  async getHistory(id: string, afterSeq = 0): Promise<HistoryEvent[]> {
    if (!this.isOpen) await this.ensureOpen();
    const file = this.files.historyFile(fileNameOf(id));
    const read = await this.rewrites.stable(id, async () => {
      const record = this.records.get(id);
      const size = this.historySizes.get(id) ?? 0;
      if (!record || size === 0 || afterSeq >= record.seq) return undefined;
      return { bytes: (await readFile(file)).subarray(0, size), seq: record.seq };
    });
    return read ? decodeEvents(read.bytes, Math.max(0, afterSeq), read.seq, file) : [];
  }

  async dueTimers(before: number, limit?: number): Promise<DueTimer[]> {
    if (!this.isOpen) await this.ensureOpen();
    return collectDueTimers(this.records, this.withTimers, before, limit);
  }

  /** One file per version, created exclusively; the directory's lock makes this process its only writer. */
  async saveDefinition(definition: StoredDefinition): Promise<StoredDefinition> {
    checkStoredDefinition(definition);
    await this.ensureOpen();
    const saving = this.definitions.save(definition);
    this.writes.track(saving);
    return saving;
  }

  async getDefinition(name: string, version: string): Promise<StoredDefinition | undefined> {
    await this.ensureOpen();
    return this.definitions.get(name, version);
  }

  async listDefinitions(name?: string): Promise<StoredDefinitionSummary[]> {
    await this.ensureOpen();
    return this.definitions.list(name);
  }

  /** Waits for writes in flight, then releases the lock. Idempotent; the object cannot reopen. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.isOpen = false;
    await this.opening?.catch(noop);
    await this.writes.drain();
    if (this.opened) {
      this.opened = false;
      await releaseLock(this.directory);
    }
  }
}

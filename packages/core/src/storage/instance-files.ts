/**
 * The files of a {@link FileStorage} directory and how each is written: a record replaced
 * atomically, history appended at its committed size, a key file created exclusively, each fsynced
 * with its new directory entry when `fsync` is on. The order of the writes, which is what makes a
 * crash recoverable, is the storage's.
 */
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { ErrorCode, StorageCorruptError, WorkflowError } from '../errors.js';
import type { HistoryEvent, InstanceRecord } from '../model/instance.types.js';
import type { StorageLayout } from './file-recovery.js';
import { createFileExclusive, DirectorySyncer, noop, sha256, writeAt, writeFileAtomic } from './fs-utils.js';

/** History lines of `events`, one JSON event per line. */
export function encodeEvents(events: HistoryEvent[]): Buffer {
  let text = '';
  for (const event of events) text += `${JSON.stringify(event)}\n`;
  return Buffer.from(text);
}

/**
 * Events `from + 1` to `to` of the committed history bytes of `file`.
 * @throws StorageCorruptError naming the file and line when one is not valid JSON.
 */
export function decodeEvents(committed: Buffer, from: number, to: number, file: string): HistoryEvent[] {
  const lines = committed.toString().split('\n');
  const events: HistoryEvent[] = [];
  for (let i = from; i < to; i++) {
    let event: HistoryEvent;
    try {
      event = JSON.parse(lines[i]!) as HistoryEvent;
    } catch (cause) {
      throw new StorageCorruptError(`History line ${i + 1} is not valid JSON`, file, { cause });
    }
    events.push(event);
  }
  return events;
}

/** Paths and writes of one storage directory; files are named by `fileNameOf(instanceId)`. */
export class InstanceFiles {
  /** The folders of the directory. */
  readonly layout: StorageLayout;
  /** Concurrent writes of different instances share each folder's fsync. */
  private readonly syncers: Record<keyof StorageLayout, DirectorySyncer>;

  constructor(
    readonly directory: string,
    /** fsync files and directories on every write. */
    readonly fsync: boolean,
  ) {
    this.layout = {
      instances: path.join(directory, 'instances'),
      history: path.join(directory, 'history'),
      keys: path.join(directory, 'keys'),
    };
    this.syncers = {
      instances: new DirectorySyncer(this.layout.instances),
      history: new DirectorySyncer(this.layout.history),
      keys: new DirectorySyncer(this.layout.keys),
    };
  }

  recordFile(name: string): string {
    return path.join(this.layout.instances, `${name}.json`);
  }

  historyFile(name: string): string {
    return path.join(this.layout.history, `${name}.jsonl`);
  }

  /** The file of an idempotency key, named by its hash (keys are any string). */
  keyFile(key: string): string {
    return path.join(this.layout.keys, `${sha256(key)}.json`);
  }

  /**
   * Creates the key file of `key` naming `instanceId`, exclusively. When the file exists and names
   * an instance `exists` knows, returns that instance's id and writes nothing; a file naming
   * nobody (left by a create cut short) is replaced.
   */
  async claimKey(key: string, instanceId: string, exists: (id: string) => boolean): Promise<string | undefined> {
    const file = this.keyFile(key);
    const content = JSON.stringify({ key, instanceId });
    if (await createFileExclusive(file, content, this.fsync, this.syncers.keys)) return undefined;
    const holder = await readKeyHolder(file, key);
    if (holder !== undefined && exists(holder)) return holder;
    await rm(file, { force: true });
    if (await createFileExclusive(file, content, this.fsync, this.syncers.keys)) return undefined;
    throw new WorkflowError(ErrorCode.StorageLocked, `Could not create idempotency key file ${file}; is another process writing ${this.directory}?`, {
      directory: this.directory,
    });
  }

  /**
   * Deletes the files of an instance: the record first (fsynced: from then on the instance is gone,
   * also after a crash), then its history and key file, which a crash may leave behind without a
   * record, and the next open removes as leftovers. Only the record's removal can fail.
   */
  async removeInstance(name: string, key?: string): Promise<void> {
    await rm(this.recordFile(name), { force: true });
    if (this.fsync) await this.syncers.instances.sync();
    await Promise.all([
      rm(this.historyFile(name), { force: true }),
      key === undefined ? undefined : rm(this.keyFile(key), { force: true }),
    ]).catch(noop);
  }

  async appendHistory(name: string, lines: Buffer, position: number): Promise<void> {
    await writeAt(this.historyFile(name), lines, position, this.fsync);
    if (position === 0 && this.fsync) await this.syncers.history.sync(); // a new directory entry
  }

  /** Replaces a whole history file atomically (temp file, rename): a crash leaves the old or the new one. */
  replaceHistory(name: string, lines: string): Promise<void> {
    const file = this.historyFile(name);
    return writeFileAtomic(file, `${file.slice(0, -6)}.rewrite.tmp`, lines, this.fsync, this.syncers.history);
  }

  writeRecord(name: string, record: InstanceRecord): Promise<void> {
    const file = this.recordFile(name);
    return writeFileAtomic(file, `${file.slice(0, -5)}.tmp`, JSON.stringify(record), this.fsync, this.syncers.instances);
  }
}

/** The instance id a key file names, when it is readable and names `key`. */
async function readKeyHolder(file: string, key: string): Promise<string | undefined> {
  try {
    const entry = JSON.parse(await readFile(file, 'utf8')) as { key?: string; instanceId?: string };
    return entry.key === key ? entry.instanceId : undefined;
  } catch {
    return undefined;
  }
}

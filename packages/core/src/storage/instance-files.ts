/**
 * The files of a {@link FileStorage} directory and how each is written: a record replaced
 * atomically, history appended at its committed size, a key file created exclusively, each fsynced
 * with its new directory entry when `fsync` is on. The order of the writes, which is what makes a
 * crash recoverable, is the storage's.
 */
import path from 'node:path';
import { StorageCorruptError } from '../errors.js';
import type { HistoryEvent, InstanceRecord } from '../model/instance.types.js';
import type { StorageLayout } from './file-recovery.js';
import { createFileExclusive, DirectorySyncer, sha256, writeAt, writeFileAtomic } from './fs-utils.js';

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
    directory: string,
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

  /** Creates `file` with `content` unless it exists; false when it does. */
  createKeyFile(file: string, content: string): Promise<boolean> {
    return createFileExclusive(file, content, this.fsync, this.syncers.keys);
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

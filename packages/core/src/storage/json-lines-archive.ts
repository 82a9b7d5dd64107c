/**
 * An {@link InstanceArchive} that appends each purged instance, with its history, as one JSON line
 * to a file per day (`<directory>/instances-YYYY-MM-DD.jsonl`, UTC), flushed to disk before the purge
 * deletes anything. Lines are self-contained: `{ "archivedAt", "instance", "history" }`.
 */
import { mkdir, open } from 'node:fs/promises';
import path from 'node:path';
import { ErrorCode, WorkflowError } from '../errors.js';
import type { ArchivedInstance, InstanceArchive } from '../engine/purge-options.js';

/** Options of {@link JsonLinesArchive}. */
export interface JsonLinesArchiveOptions {
  /** Folder of the archive files (created if missing). */
  directory: string;
  /** Flush each batch to disk before the instances are deleted. @defaultValue true */
  fsync?: boolean;
}

/** Archives purged instances as JSON lines, one file per UTC day. */
export class JsonLinesArchive implements InstanceArchive {
  readonly directory: string;
  private readonly fsync: boolean;
  private ready?: Promise<unknown>;

  constructor(options: JsonLinesArchiveOptions) {
    if (typeof options?.directory !== 'string' || options.directory === '') {
      throw new WorkflowError(ErrorCode.InputInvalid, 'new JsonLinesArchive({ directory }): directory must be the path of a folder, e.g. "./archive".', { option: 'directory' });
    }
    this.directory = path.resolve(options.directory);
    this.fsync = options.fsync ?? true;
  }

  /** The file a batch archived at `at` (epoch ms) goes to. */
  fileFor(at: number): string {
    return path.join(this.directory, `instances-${new Date(at).toISOString().slice(0, 10)}.jsonl`);
  }

  async archive(entries: ArchivedInstance[]): Promise<void> {
    if (entries.length === 0) return;
    await (this.ready ??= mkdir(this.directory, { recursive: true }));
    const byFile = new Map<string, string[]>();
    for (const entry of entries) {
      const file = this.fileFor(entry.archivedAt);
      const lines = byFile.get(file) ?? [];
      lines.push(JSON.stringify({ archivedAt: entry.archivedAt, instance: entry.instance, history: entry.history }));
      byFile.set(file, lines);
    }
    for (const [file, lines] of byFile) {
      const handle = await open(file, 'a');
      try {
        await handle.appendFile(`${lines.join('\n')}\n`);
        if (this.fsync) await handle.sync();
      } finally {
        await handle.close();
      }
    }
  }
}

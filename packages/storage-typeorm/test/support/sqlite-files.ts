/** Temporary SQLite files, removed with their directory at the end of a suite. */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A temp directory and fresh file names in it. */
export class SqliteFiles {
  readonly directory = mkdtempSync(path.join(os.tmpdir(), 'wm-typeorm-'));
  private count = 0;

  /** A path no test used yet. */
  next(): string {
    return path.join(this.directory, `db-${++this.count}.sqlite`);
  }

  /** Removes the directory. */
  remove(): void {
    rmSync(this.directory, { recursive: true, force: true });
  }
}

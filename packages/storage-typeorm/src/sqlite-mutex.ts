/**
 * One queue per SQLite database file in this process. better-sqlite3 is synchronous: a second
 * connection to the same file (another DataSource in this process) that waits for the write lock
 * blocks the whole thread, so the first can never finish and release it. Storages of one process
 * on one file therefore take turns here; other processes wait on SQLite's busy timeout.
 */
import path from 'node:path';

/** Runs functions one at a time, in call order. */
export class Mutex {
  private tail: Promise<unknown> = Promise.resolve();

  /** Runs `fn` after everything queued before it has settled. */
  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn, fn);
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  /** Resolves once everything queued so far has settled. */
  async idle(): Promise<void> {
    await this.tail;
  }
}

const byFile = new Map<string, Mutex>();

/** The process-wide queue of `database` (`:memory:` and empty names get a queue of their own). */
export function sqliteMutex(database: string | undefined): Mutex {
  if (database === undefined || database === '' || database === ':memory:' || database.startsWith('file::memory:')) return new Mutex();
  const key = path.resolve(database);
  let mutex = byFile.get(key);
  if (!mutex) byFile.set(key, (mutex = new Mutex()));
  return mutex;
}

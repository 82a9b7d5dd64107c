/** Small file-system primitives behind {@link FileStorage}'s crash safety. */
import { createHash, randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { link, open, rename, rm } from 'node:fs/promises';

/** Hex SHA-256 of a string. */
export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

const SAFE_NAME = /^[a-z0-9_-][a-z0-9_.-]{0,127}$/;
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/;

/**
 * File name (without extension) for an instance id: the id itself when it is safe everywhere
 * (lower case, so case-insensitive file systems cannot merge two ids), else `~` + its SHA-256.
 */
export function fileNameOf(id: string): string {
  return SAFE_NAME.test(id) && !WINDOWS_RESERVED.test(id) ? id : `~${sha256(id)}`;
}

/** fsync a directory so renames/creations in it survive a power loss. No-op where unsupported. */
export async function fsyncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, 'r');
  try {
    await handle.sync();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EPERM' && code !== 'EISDIR' && code !== 'EINVAL') throw error;
  } finally {
    await handle.close();
  }
}

/**
 * Coalesces directory fsyncs: callers arriving while one runs share the next one, so concurrent
 * commits of different instances pay for one fsync instead of one each (group commit).
 */
export class DirectorySyncer {
  private current?: Promise<void>;
  private next?: Promise<void>;

  constructor(readonly directory: string) {}

  sync(): Promise<void> {
    if (!this.current) return this.start();
    this.next ??= this.current
      .then(noop, noop)
      .then(() => {
        this.next = undefined;
        return this.start();
      });
    return this.next;
  }

  private start(): Promise<void> {
    const run: Promise<void> = fsyncDirectory(this.directory).finally(() => {
      if (this.current === run) this.current = undefined;
    });
    this.current = run;
    return run;
  }
}

/** Does nothing; for `.then(noop, noop)`. */
export function noop(): void {}

/** Writes all of `data` to a fresh file, optionally fsyncing it. */
export async function writeNewFile(file: string, data: string | Buffer, fsync: boolean): Promise<void> {
  const handle = await open(file, 'w');
  try {
    await handle.writeFile(data);
    if (fsync) await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Atomic replace: temp file, fsync, rename over `file`, fsync of the directory. A crash leaves
 * either the old or the new content, plus at worst a `.tmp` file that the next open removes.
 */
export async function writeFileAtomic(
  file: string,
  tmp: string,
  data: string,
  fsync: boolean,
  syncer: DirectorySyncer,
): Promise<void> {
  await writeNewFile(tmp, data, fsync);
  await rename(tmp, file);
  if (fsync) await syncer.sync();
}

/**
 * Creates `file` with `data` only if it does not exist, never leaving a half-written `file`:
 * the content goes to a temp file first and is hard-linked in place (link fails on EEXIST).
 * @returns false when `file` already existed.
 */
export async function createFileExclusive(
  file: string,
  data: string,
  fsync: boolean,
  syncer: DirectorySyncer,
): Promise<boolean> {
  const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  await writeNewFile(tmp, data, fsync);
  try {
    await link(tmp, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await rm(tmp, { force: true });
  }
  if (fsync) await syncer.sync();
  return true;
}

/**
 * Writes `data` at byte `position` of `file` (created when missing, truncated when `position`
 * is 0), fsyncs it, and on failure truncates back to `position` so no torn bytes stay behind.
 */
export async function writeAt(file: string, data: Buffer, position: number, fsync: boolean): Promise<void> {
  const handle = await open(file, position === 0 ? 'w' : constants.O_WRONLY | constants.O_CREAT);
  try {
    try {
      let done = 0;
      while (done < data.length) {
        const { bytesWritten } = await handle.write(data, done, data.length - done, position + done);
        done += bytesWritten;
      }
      if (fsync) await handle.sync();
    } catch (error) {
      await handle.truncate(position).catch(noop);
      throw error;
    }
  } finally {
    await handle.close();
  }
}

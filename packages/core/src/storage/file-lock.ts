/**
 * Single-writer lock of a {@link FileStorage} directory: a `LOCK` file holding the owner's pid,
 * plus a per-process set so two FileStorage objects of one process exclude each other too.
 */
import { randomBytes } from 'node:crypto';
import { link, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { ErrorCode, WorkflowError } from '../errors.js';
import { writeNewFile } from './fs-utils.js';

const lockedHere = new Set<string>();

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function lockedError(directory: string, pid: number): WorkflowError {
  const who = pid === process.pid ? `another FileStorage in this process (pid ${pid})` : `process ${pid}`;
  return new WorkflowError(
    ErrorCode.StorageLocked,
    `Storage directory ${directory} is locked by ${who}. Stop the other process (or close the other ` +
      `FileStorage) or use another directory; if no process uses it, delete ${path.join(directory, 'LOCK')}.`,
    { directory, pid },
  );
}

function readText(file: string): Promise<string | undefined> {
  return readFile(file, 'utf8').catch(() => undefined);
}

/**
 * Takes the lock of `directory` (absolute). A LOCK whose pid is dead, or is this process's pid
 * without a FileStorage of this process holding it (a container restarted with the same pid),
 * is stale and taken over.
 * @throws WorkflowError (WF_STORAGE_LOCKED) when a live owner holds it.
 */
export async function acquireLock(directory: string): Promise<void> {
  if (lockedHere.has(directory)) throw lockedError(directory, process.pid);
  lockedHere.add(directory);
  const lockFile = path.join(directory, 'LOCK');
  const tmp = `${lockFile}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeNewFile(tmp, `${process.pid}\n`, true);
    for (let attempt = 0; ; attempt++) {
      try {
        await link(tmp, lockFile); // atomic create-if-absent, with the pid already in it
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 3) throw error;
      }
      const owner = await readText(lockFile);
      const pid = Number.parseInt(owner ?? '', 10);
      if (pid > 0 && pid !== process.pid && isAlive(pid)) throw lockedError(directory, pid);
      await takeOver(lockFile, owner);
    }
  } catch (error) {
    lockedHere.delete(directory);
    throw error;
  } finally {
    await rm(tmp, { force: true });
  }
}

/**
 * Moves a stale LOCK aside. When two processes race to take over, the loser finds a different
 * pid in what it moved and puts that lock back, then sees a live owner on its next attempt.
 */
async function takeOver(lockFile: string, staleContent: string | undefined): Promise<void> {
  const aside = `${lockFile}.stale.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await rename(lockFile, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if ((await readText(aside)) !== staleContent) {
    await link(aside, lockFile).catch(() => undefined);
  }
  await rm(aside, { force: true });
}

/** Releases a lock taken by {@link acquireLock}. */
export async function releaseLock(directory: string): Promise<void> {
  try {
    await rm(path.join(directory, 'LOCK'), { force: true });
  } finally {
    lockedHere.delete(directory);
  }
}

/**
 * SQLite WAL checkpoints off the event loop. better-sqlite3 is synchronous: with SQLite's automatic
 * checkpoint, the COMMIT that crosses `wal_autocheckpoint` pages copies the WAL into the database
 * file and syncs it on the engine's thread (20-40 ms here, one commit in ten under load). Instead, a
 * worker thread with its own connection to the file runs `PRAGMA wal_checkpoint(PASSIVE)` shortly
 * after writes (at most every {@link CHECKPOINT_EVERY_MS}); a passive checkpoint never blocks
 * writers or readers. The engine's connection keeps an automatic checkpoint at
 * {@link FALLBACK_PAGES} pages, in case the worker falls behind or cannot start.
 *
 * One worker per database file in this process, shared by the storages on it. Durability does not
 * change: a transaction is in the WAL when COMMIT returns, whoever copies it later.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { SqliteDatabase } from './sqlite-batch.js';

/** Shortest time between two checkpoints of one file. */
export const CHECKPOINT_EVERY_MS = 50;
/** `wal_autocheckpoint` of the engine's connection while a worker checkpoints (about 40 MB). */
export const FALLBACK_PAGES = 10_000;
/** SQLite's own default, restored when the worker fails. */
const DEFAULT_PAGES = 1000;

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true, timeout: workerData.busyTimeoutMs });
parentPort.on('message', (message) => {
  if (message === 'close') {
    db.close();
    parentPort.close();
    return;
  }
  let result;
  try {
    result = db.pragma('wal_checkpoint(PASSIVE)')[0];
  } catch (error) {
    result = { error: String(error && error.message || error) };
  }
  parentPort.postMessage(result);
});
parentPort.postMessage('ready');
`;

/** The part of better-sqlite3's Database the checkpointer needs on the engine's connection. */
export interface SqliteMainConnection extends SqliteDatabase {
  readonly name: string;
  readonly memory: boolean;
  pragma(source: string, options?: { simple?: boolean }): unknown;
}

/** What a warning is reported to. */
export type CheckpointWarn = (message: string, error?: unknown) => void;

class Checkpointer {
  private worker?: Worker;
  private ready = false;
  private busy = false;
  private dirty = false;
  private timer?: NodeJS.Timeout;
  private failed = false;
  /** The engine connections on this file (the storages using this checkpointer). */
  private readonly connections = new Set<SqliteMainConnection>();

  constructor(
    readonly file: string,
    private readonly busyTimeoutMs: number,
    private readonly warn: CheckpointWarn,
  ) {}

  acquire(db: SqliteMainConnection): void {
    this.connections.add(db);
    if (this.failed) return;
    db.pragma(`wal_autocheckpoint = ${FALLBACK_PAGES}`);
    if (!this.worker) this.start();
  }

  /** Drops one user; the last one stops the worker. */
  async release(db: SqliteMainConnection): Promise<void> {
    this.connections.delete(db);
    if (this.connections.size > 0) return;
    registry.delete(this.file);
    if (this.timer) clearTimeout(this.timer);
    const worker = this.worker;
    this.worker = undefined;
    if (!worker) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    // Keeps the process alive until the worker has closed its connection (it is unref'd otherwise).
    worker.ref();
    worker.postMessage('close');
    await exited;
  }

  /** A write was committed: checkpoint soon. */
  wrote(): void {
    this.dirty = true;
    this.schedule();
  }

  private start(): void {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, file: this.file, busyTimeoutMs: this.busyTimeoutMs } });
    worker.unref();
    worker.on('message', (message: unknown) => {
      if (message === 'ready') this.ready = true;
      else {
        const error = (message as { error?: string } | undefined)?.error;
        if (error) this.warn(`SQLite checkpoint of ${this.file} failed (${error}); trying again after the next write`);
      }
      this.busy = false;
      this.schedule();
    });
    worker.on('error', (error) => this.fail(error));
    worker.on('exit', () => {
      if (this.worker === worker) this.fail(new Error('the checkpoint worker exited'));
    });
    this.worker = worker;
  }

  /** The worker is gone: SQLite checkpoints on the engine's connections again. */
  private fail(error: unknown): void {
    if (this.failed) return;
    this.failed = true;
    this.worker = undefined;
    this.warn(`SQLite checkpoints of ${this.file} run on the engine's thread again: the checkpoint worker stopped`, error);
    for (const db of this.connections) {
      try {
        db.pragma(`wal_autocheckpoint = ${DEFAULT_PAGES}`);
      } catch {
        // Closed already.
      }
    }
  }

  private schedule(): void {
    if (!this.dirty || this.busy || this.timer || !this.ready || !this.worker) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (!this.worker || this.busy) return;
      this.dirty = false;
      this.busy = true;
      this.worker.postMessage('checkpoint');
    }, CHECKPOINT_EVERY_MS);
    this.timer.unref();
  }
}

const registry = new Map<string, Checkpointer>();

/**
 * The checkpointer of `db`'s file, acquired for it; undefined for an in-memory database or one not
 * in WAL mode (nothing to checkpoint).
 */
export function acquireCheckpointer(db: SqliteMainConnection, busyTimeoutMs: number, warn: CheckpointWarn): Checkpointer | undefined {
  if (db.memory || db.name === '' || db.name === ':memory:') return undefined;
  if (String(db.pragma('journal_mode', { simple: true })).toLowerCase() !== 'wal') return undefined;
  const file = path.resolve(db.name);
  let checkpointer = registry.get(file);
  if (!checkpointer) registry.set(file, (checkpointer = new Checkpointer(file, busyTimeoutMs, warn)));
  checkpointer.acquire(db);
  return checkpointer;
}

export type { Checkpointer };

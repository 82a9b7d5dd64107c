/**
 * Opening and closing a {@link TypeOrmStorage}: the DataSource, the migrations and the schema check
 * (once, on the first call), SQLite's connection settings and background checkpoints, and the
 * operations in flight that `close()` waits for.
 */
import { ErrorCode, WorkflowError } from '@workflow-mastery/core';
import { runMigrationsLocked } from './migration-lock.js';
import { sqliteDatabaseOf } from './raw-sql.js';
import { checkTables, registeredEntities } from './schema/schema-check.js';
import { acquireCheckpointer, type Checkpointer, type SqliteMainConnection } from './sqlite-checkpointer.js';
import type { StorageContext } from './storage-context.js';
import { CLOSED_MESSAGE } from './storage.messages.js';
import type { TransactionRunner } from './transaction-runner.js';
import type { TypeOrmStorageOptions } from './typeorm-storage.options.js';

/** How a storage opens, settled by its constructor. */
export interface LifecycleSettings {
  tablePrefix: string;
  /** The storage made the DataSource (it destroys it on close). */
  ownsDataSource: boolean;
  runMigrations: boolean;
  sqlite: Pick<TypeOrmStorageOptions, 'sqliteCheckpoints' | 'sqliteSynchronous'>;
}

/** The open/closed state of one storage. */
export class StorageLifecycle {
  private opening?: Promise<void>;
  private checkpointer?: Checkpointer;
  private readonly inflight = new Set<Promise<unknown>>();
  private isOpen = false;
  private closed = false;

  constructor(
    private readonly ctx: StorageContext,
    private readonly tx: TransactionRunner,
    private readonly settings: LifecycleSettings,
  ) {}

  /** {@link TypeOrmStorage.init}: opens once; a failed open is tried again on the next call. */
  init(): Promise<void> {
    if (this.closed) return Promise.reject(closedError());
    this.opening ??= this.open().catch((error: unknown) => {
      this.opening = undefined;
      throw error;
    });
    return this.opening;
  }

  /** Runs `fn` once open, and lets `close()` wait for it. */
  run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(closedError());
    const promise = this.isOpen ? fn() : this.init().then(() => (this.closed ? Promise.reject(closedError()) : fn()));
    this.inflight.add(promise);
    const done = (): void => void this.inflight.delete(promise);
    promise.then(done, done);
    return promise;
  }

  /** {@link TypeOrmStorage.close}: waits for what is in flight, then releases what was opened. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.isOpen = false;
    await this.opening?.catch(() => undefined);
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
    await this.tx.drain();
    const { dataSource } = this.ctx;
    if (this.checkpointer) {
      this.tx.afterWrite = undefined;
      await this.checkpointer.release(sqliteDatabaseOf(dataSource) as SqliteMainConnection);
      this.checkpointer = undefined;
    }
    if (this.settings.ownsDataSource && dataSource.isInitialized) await dataSource.destroy();
  }

  private async open(): Promise<void> {
    const { ctx, settings } = this;
    const ds = ctx.dataSource;
    if (!ds.isInitialized) await ds.initialize();
    if (ctx.flavor === 'sqlite') this.openSqlite();
    ctx.entities = registeredEntities(ds, ctx.entities, settings.tablePrefix);
    if (settings.runMigrations) await this.tx.exclusive(() => runMigrationsLocked(ds, ctx.flavor, settings.tablePrefix));
    await checkTables(ctx, this.tx, settings.ownsDataSource);
    this.isOpen = !this.closed;
  }

  /** SQLite connection settings, and the background checkpoints of a WAL file. */
  private openSqlite(): void {
    const { dataSource } = this.ctx;
    const db = sqliteDatabaseOf(dataSource) as SqliteMainConnection;
    const { sqliteSynchronous, sqliteCheckpoints } = this.settings.sqlite;
    if (sqliteSynchronous) db.pragma(`synchronous = ${sqliteSynchronous.toUpperCase()}`);
    if (sqliteCheckpoints !== 'background' || this.checkpointer) return;
    const busyTimeoutMs = Number((dataSource.options as { timeout?: number }).timeout ?? 5000);
    this.checkpointer = acquireCheckpointer(db, busyTimeoutMs, (message, error) =>
      process.emitWarning(error instanceof Error ? `${message}: ${error.message}` : message, { code: 'WM_SQLITE_CHECKPOINT' }),
    );
    const checkpointer = this.checkpointer;
    if (checkpointer) this.tx.afterWrite = () => checkpointer.wrote();
  }
}

function closedError(): WorkflowError {
  return new WorkflowError(ErrorCode.EngineClosed, CLOSED_MESSAGE);
}

/**
 * Write transactions per database, and the SQLite single-writer discipline: better-sqlite3 is one
 * connection, so every operation runs one at a time (a read in the middle of another operation's
 * transaction would see its uncommitted rows), queued per database file across the storages of
 * this process (see `sqlite-mutex.ts`); writes start with `BEGIN IMMEDIATE` so that another
 * process on the same file waits (busy timeout) instead of failing to upgrade a read lock.
 */
import type { DataSource, QueryRunner } from 'typeorm';
import type { SqlFlavor } from './schema/sql-flavor.js';
import { prepared, type SqliteDatabase } from './sqlite-batch.js';
import { sqliteMutex, type Mutex } from './sqlite-mutex.js';

/** Counters a benchmark reads. */
export interface StorageStats {
  /** Write transactions started (creates, commits, group commits, claims, lease renewals). */
  transactions: number;
}

const noop = (): void => undefined;

/** Runs reads and write transactions on one DataSource. */
export class TransactionRunner {
  /** Live counters. */
  readonly stats: StorageStats = { transactions: 0 };
  /** SQLite only: the queue of the database file. */
  private readonly mutex?: Mutex;
  /** SQLite only: called after every committed write transaction (checkpoint scheduling). */
  afterWrite?: () => void;

  constructor(
    private readonly dataSource: DataSource,
    readonly flavor: SqlFlavor,
  ) {
    if (flavor === 'sqlite') this.mutex = sqliteMutex(String((dataSource.options as { database?: unknown }).database ?? ''));
  }

  /** Runs `fn` alone on SQLite; directly elsewhere. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    return this.mutex ? this.mutex.run(fn) : fn();
  }

  /** Runs a read on its own query runner (a pooled connection), released afterwards. */
  read<T>(fn: (queryRunner: QueryRunner) => Promise<T>): Promise<T> {
    return this.exclusive(async () => {
      const queryRunner = this.dataSource.createQueryRunner();
      try {
        return await fn(queryRunner);
      } finally {
        await queryRunner.release().catch(noop);
      }
    });
  }

  /**
   * Runs `fn` in one write transaction: committed when it resolves, rolled back when it throws
   * (the error then propagates unchanged: a lost connection is a rejected promise the engine retries).
   */
  write<T>(fn: (queryRunner: QueryRunner) => Promise<T>): Promise<T> {
    return this.exclusive(() => {
      this.stats.transactions++;
      return this.flavor === 'sqlite' ? this.writeSqlite(fn) : this.writePooled(fn);
    });
  }

  /** Counts a write that is a single statement (its own implicit transaction) and runs it. */
  statement<T>(fn: () => Promise<T>): Promise<T> {
    this.stats.transactions++;
    return fn();
  }

  /**
   * SQLite: runs `fn` synchronously on the connection itself inside `BEGIN IMMEDIATE` ... `COMMIT`,
   * alone in the file's queue; rolled back when it throws.
   */
  writeSync<T>(db: SqliteDatabase, fn: () => T): Promise<T> {
    return this.exclusive(async () => {
      this.stats.transactions++;
      prepared(db, 'BEGIN IMMEDIATE').run();
      try {
        const result = fn();
        prepared(db, 'COMMIT').run();
        this.afterWrite?.();
        return result;
      } catch (error) {
        try {
          prepared(db, 'ROLLBACK').run();
        } catch {
          // Already rolled back (SQLite does on some errors).
        }
        throw error;
      }
    });
  }

  private async writeSqlite<T>(fn: (queryRunner: QueryRunner) => Promise<T>): Promise<T> {
    const queryRunner = this.dataSource.createQueryRunner();
    await queryRunner.query('BEGIN IMMEDIATE');
    let result: T;
    try {
      result = await fn(queryRunner);
    } catch (error) {
      await queryRunner.query('ROLLBACK').catch(noop);
      throw error;
    }
    try {
      await queryRunner.query('COMMIT');
    } catch (error) {
      await queryRunner.query('ROLLBACK').catch(noop);
      throw error;
    }
    this.afterWrite?.();
    return result;
  }

  private async writePooled<T>(fn: (queryRunner: QueryRunner) => Promise<T>): Promise<T> {
    const queryRunner = this.dataSource.createQueryRunner('master');
    try {
      await queryRunner.connect();
      // READ COMMITTED: MySQL's default REPEATABLE READ takes gap locks that deadlock concurrent inserts.
      await queryRunner.startTransaction('READ COMMITTED');
      const result = await fn(queryRunner);
      await queryRunner.commitTransaction();
      return result;
    } catch (error) {
      if (queryRunner.isTransactionActive) await queryRunner.rollbackTransaction().catch(noop);
      throw error;
    } finally {
      await queryRunner.release().catch(noop);
    }
  }

  /** Resolves once every queued SQLite operation has settled. */
  async drain(): Promise<void> {
    await this.mutex?.idle();
  }
}

/**
 * Runs the DataSource's pending migrations under a database-wide lock, so that several processes
 * starting at once (replicas of one service) do not create the same tables concurrently: a
 * PostgreSQL advisory lock or a MySQL `GET_LOCK`, held by the connection that runs the migrations.
 * SQLite needs none: its writers are serialized.
 */
import { MigrationExecutor, type DataSource } from 'typeorm';
import { ErrorCode, WorkflowError } from '@workflow-mastery/core';
import type { SqlFlavor } from './schema/sql-flavor.js';

const noop = (): void => undefined;

/** How long to wait for another process's migrations, in seconds (MySQL; PostgreSQL waits as long as it takes). */
const LOCK_TIMEOUT_S = 120;

/** Runs every pending migration of `dataSource`, each in its own transaction. */
export async function runMigrationsLocked(dataSource: DataSource, flavor: SqlFlavor, prefix: string): Promise<void> {
  if (flavor === 'sqlite') {
    await dataSource.runMigrations({ transaction: 'each' });
    return;
  }
  const name = `workflow-mastery:${prefix}`;
  const queryRunner = dataSource.createQueryRunner('master');
  try {
    await queryRunner.connect();
    if (flavor === 'postgres') {
      await queryRunner.query('SELECT pg_advisory_lock(hashtext($1))', [name]);
    } else {
      const [row] = (await queryRunner.query('SELECT GET_LOCK(?, ?) AS locked', [name, LOCK_TIMEOUT_S])) as Array<{ locked: number | string | null }>;
      if (Number(row?.locked) !== 1) throw new WorkflowError(ErrorCode.Timeout, `Timed out after ${LOCK_TIMEOUT_S} s waiting for another process's migrations (lock "${name}").`);
    }
    try {
      const executor = new MigrationExecutor(dataSource, queryRunner);
      executor.transaction = 'each';
      await executor.executePendingMigrations();
    } finally {
      const unlock = flavor === 'postgres' ? 'SELECT pg_advisory_unlock(hashtext($1))' : 'SELECT RELEASE_LOCK(?)';
      await queryRunner.query(unlock, [name]).catch(noop);
    }
  } finally {
    await queryRunner.release().catch(noop);
  }
}

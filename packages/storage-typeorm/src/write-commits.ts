/**
 * Compare-and-swap commits of several instances in one transaction. Each commit is one UPDATE
 * guarded by `version` and `seq`: when it matches no row, nothing of that commit is written and its
 * result is a ConcurrencyError; the others go on. Events and derived rows of the winners are then
 * written with a few multi-row statements for the whole batch.
 */
import { ConcurrencyError, type Commit } from '@workflow-mastery/core';
import type { QueryRunner } from 'typeorm';
import type { WorkflowEventEntity } from './entities/history-event.entity.js';
import { syncDerivedRows, type DerivedTarget } from './derived-rows.js';
import { seqMismatchError, type PreparedWrite } from './prepare-commit.js';
import type { StorageContext } from './storage-context.js';
import { insertRows } from './table-ops.js';

/** A commit that passed {@link prepareCommit}, with its place in the caller's array. */
export interface PreparedCommit {
  index: number;
  commit: Commit;
  prepared: PreparedWrite;
}

/** The stored version and seq of an instance, read inside the transaction to explain a failed swap. */
async function storedVersion(ctx: StorageContext, queryRunner: QueryRunner, id: string): Promise<{ version: number; seq: number } | undefined> {
  const row = await queryRunner.manager
    .createQueryBuilder(ctx.entities.instance, 'i')
    .select('i.version', 'version')
    .addSelect('i.seq', 'seq')
    .where('i.id = :id', { id })
    .getRawOne<{ version: number | string; seq: number | string }>();
  return row ? { version: Number(row.version), seq: Number(row.seq) } : undefined;
}

/** One guarded UPDATE; true when it replaced the row. */
async function swap(ctx: StorageContext, queryRunner: QueryRunner, item: PreparedCommit): Promise<boolean> {
  const { record, json, fromSeq } = item.prepared;
  const { col } = ctx;
  const result = await queryRunner.manager
    .createQueryBuilder()
    .update(ctx.entities.instance)
    .set({
      definitionName: record.definitionName,
      definitionVersion: record.definitionVersion,
      state: record.state,
      version: record.version,
      seq: record.seq,
      updatedAt: record.updatedAt,
      completedAt: record.completedAt ?? null,
      record: json,
    })
    .where(`${col('id')} = :id AND ${col('version')} = :expected AND ${col('seq')} = :fromSeq`, {
      id: record.id,
      expected: item.commit.expectedVersion,
      fromSeq,
    })
    .updateEntity(false)
    .callListeners(false)
    .execute();
  return result.affected === 1;
}

/**
 * Runs the commits inside `queryRunner`'s transaction; returns one entry per commit, by `index`.
 * Commits are swapped in id order so that two concurrent batches lock rows in the same order.
 * Throws only on a database error (the whole transaction then rolls back).
 */
export async function writeCommits(
  ctx: StorageContext,
  queryRunner: QueryRunner,
  items: readonly PreparedCommit[],
  results: Array<Error | undefined>,
): Promise<void> {
  const sorted = [...items].sort((a, b) => (a.commit.instance.id < b.commit.instance.id ? -1 : a.commit.instance.id > b.commit.instance.id ? 1 : 0));
  const events: WorkflowEventEntity[] = [];
  const targets = new Map<string, DerivedTarget>();
  for (const item of sorted) {
    const { instance, expectedVersion, lease } = item.commit;
    const swapped = instance.version === expectedVersion + 1 && (await swap(ctx, queryRunner, item));
    if (!swapped) {
      const stored = await storedVersion(ctx, queryRunner, instance.id);
      results[item.index] =
        stored !== undefined && stored.version === expectedVersion && instance.version === expectedVersion + 1
          ? seqMismatchError(instance, stored.seq, item.prepared.events.length)
          : new ConcurrencyError(instance.id, expectedVersion, stored?.version);
      continue;
    }
    results[item.index] = undefined;
    events.push(...item.prepared.events);
    targets.set(instance.id, lease ? { record: instance, lease } : { record: instance });
  }
  if (events.length > 0) await insertRows(queryRunner, ctx.entities.event, events);
  await syncDerivedRows(ctx, queryRunner, [...targets.values()]);
}

/**
 * A batch round through TypeORM's query builders, in one transaction. Each commit is one UPDATE
 * guarded by `version` and `seq`: when it matches no row, nothing of that commit is written; the
 * others go on. Events and derived rows of the winners are then written with a few multi-row
 * statements for the whole batch.
 */
import type { Commit } from '@workflow-mastery/core';
import type { QueryRunner } from 'typeorm';
import type { WorkflowEventEntity } from './entities/history-event.entity.js';
import { syncDerivedRows, type DerivedTarget } from './derived-rows.js';
import type { BatchRound, RoundOutcome } from './batch-round.js';
import { writeAttributeRows, type AttributeTarget } from './attribute-rows.js';
import { CreateConflict, insertInstance } from './create-instance.js';
import type { PreparedWrite } from './prepare-commit.js';
import type { StorageContext } from './storage-context.js';
import { insertRows } from './table-ops.js';

/** A commit that passed {@link prepareCommit}, with its place in the caller's array. */
export interface PreparedCommit {
  index: number;
  commit: Commit;
  prepared: PreparedWrite;
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
      businessKey: record.businessKey ?? null,
      purgeAfter: record.purgeAfter ?? null,
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
 * Runs a round inside `queryRunner`'s transaction through TypeORM (MySQL/MariaDB, and PostgreSQL
 * when its one-statement round failed on a constraint). Commits are swapped in id order so that two
 * concurrent batches lock rows in the same order; each create runs inside a savepoint, so that a
 * taken id or key undoes only that create. Throws on a database error, and with CreateConflict
 * when a lone create finds its id or key taken (the whole transaction then rolls back).
 */
export async function writeRoundTypeOrm(ctx: StorageContext, queryRunner: QueryRunner, round: BatchRound): Promise<RoundOutcome> {
  const outcome: RoundOutcome = { created: new Set(), committed: new Set(), refused: new Map() };
  const sorted = [...round.commits].sort((a, b) => (a.commit.instance.id < b.commit.instance.id ? -1 : a.commit.instance.id > b.commit.instance.id ? 1 : 0));
  const events: WorkflowEventEntity[] = [];
  const targets = new Map<string, DerivedTarget>();
  const attributes: AttributeTarget[] = [];
  for (const item of sorted) {
    const { instance, lease } = item.commit;
    if (!(await swap(ctx, queryRunner, item))) continue;
    outcome.committed.add(item.index);
    events.push(...item.prepared.events);
    targets.set(instance.id, lease ? { record: instance, lease } : { record: instance });
    if (item.prepared.writeAttributes) attributes.push({ id: instance.id, entries: item.prepared.attributes, replace: true });
  }
  if (events.length > 0) await insertRows(queryRunner, ctx.entities.event, events);
  await syncDerivedRows(ctx, queryRunner, [...targets.values()]);
  if (attributes.length > 0) await writeAttributeRows(ctx, queryRunner, attributes);
  // A lone create needs no savepoint: its CreateConflict rolls the whole transaction back.
  const alone = round.creates.length === 1 && round.commits.length === 0;
  for (const item of round.creates) {
    if (alone) {
      await insertInstance(ctx, queryRunner, item.prepared, item.idempotencyKey, item.lease);
      outcome.created.add(item.index);
      continue;
    }
    await queryRunner.query('SAVEPOINT wm_create');
    try {
      await insertInstance(ctx, queryRunner, item.prepared, item.idempotencyKey, item.lease);
    } catch (error) {
      if (!(error instanceof CreateConflict)) throw error;
      await queryRunner.query('ROLLBACK TO SAVEPOINT wm_create');
      if (error.refusal) outcome.refused.set(item.index, error.refusal);
      continue;
    }
    await queryRunner.query('RELEASE SAVEPOINT wm_create');
    outcome.created.add(item.index);
  }
  return outcome;
}

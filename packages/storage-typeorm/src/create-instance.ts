/**
 * The create transaction: the idempotency key first (its primary key decides between concurrent
 * starts with one key: the loser waits for the winner's commit, then fails), then a unique business
 * key (see `business-keys.ts`), then the instance row (its primary key refuses a second create with
 * the same id), its events, its derived rows and its search attributes.
 */
import { BusinessKeyTakenError, type Lease } from '@workflow-mastery/core';
import type { QueryRunner } from 'typeorm';
import { writeAttributeRows } from './attribute-rows.js';
import { claimBusinessKey } from './business-keys.js';
import { isUniqueViolation } from './db-errors.js';
import { insertDerivedRows } from './derived-rows.js';
import type { PreparedWrite } from './prepare-commit.js';
import type { StorageContext } from './storage-context.js';
import { insertRows } from './table-ops.js';

/**
 * Thrown out of the transaction (rolling it back) when the key or the id is taken, or the unique
 * business key (then with the error the create answers).
 */
export class CreateConflict extends Error {
  constructor(
    readonly on: 'key' | 'id' | 'businessKey',
    readonly refusal?: BusinessKeyTakenError,
  ) {
    super(`create conflict on ${on}`);
  }
}

/**
 * Writes a new instance inside `queryRunner`'s transaction.
 * @throws CreateConflict when the idempotency key or the instance id already exists.
 */
export async function insertInstance(
  ctx: StorageContext,
  queryRunner: QueryRunner,
  prepared: PreparedWrite,
  idempotencyKey: string | undefined,
  lease: Lease | undefined,
): Promise<void> {
  const { record, json, events } = prepared;
  if (idempotencyKey !== undefined) {
    try {
      await insertRows(queryRunner, ctx.entities.idempotencyKey, [{ idempotencyKey, instanceId: record.id, createdAt: record.createdAt }]);
    } catch (error) {
      if (isUniqueViolation(error)) throw new CreateConflict('key');
      throw error;
    }
  }
  if (record.uniqueBusinessKey && record.businessKey !== undefined) {
    const holder = await claimBusinessKey(ctx, queryRunner, record);
    if (holder !== undefined) throw new CreateConflict('businessKey', new BusinessKeyTakenError(record.definitionName, record.businessKey, holder));
  }
  try {
    await insertRows(queryRunner, ctx.entities.instance, [
      {
        id: record.id,
        definitionName: record.definitionName,
        definitionVersion: record.definitionVersion,
        state: record.state,
        version: record.version,
        seq: record.seq,
        createdAt: record.createdAt,
        updatedAt: record.updatedAt,
        completedAt: record.completedAt ?? null,
        idempotencyKey: idempotencyKey ?? null,
        record: json,
        businessKey: record.businessKey ?? null,
        purgeAfter: record.purgeAfter ?? null,
      },
    ]);
  } catch (error) {
    if (isUniqueViolation(error)) throw new CreateConflict('id');
    throw error;
  }
  if (events.length > 0) await insertRows(queryRunner, ctx.entities.event, events);
  await insertDerivedRows(ctx, queryRunner, [lease ? { record, lease } : { record }]);
  if (prepared.attributes.length > 0) await writeAttributeRows(ctx, queryRunner, [{ id: record.id, entries: prepared.attributes, replace: false }]);
}

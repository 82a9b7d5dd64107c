/** {@link TypeOrmStorage.rewriteHistory}: UPDATEs of the `data` column of stored events. */
import type { HistoryEvent, HistoryRewrite } from '@workflow-mastery/core';
import type { QueryRunner } from 'typeorm';
import { encodeEventData } from './record-codec.js';
import type { StorageContext } from './storage-context.js';

/**
 * Replaces the `data` of the events of `instanceId` with the given seqs, inside the caller's
 * transaction; rows that do not exist are not created. Events are never updated otherwise, so
 * commits appending new rows meanwhile do not conflict with it.
 * @throws PayloadTooLargeError when a value is over the storage's limit (nothing is written).
 */
export async function rewriteEventRows(ctx: StorageContext, queryRunner: QueryRunner, instanceId: string, rewrites: HistoryRewrite[]): Promise<void> {
  const encoded = rewrites.map(({ seq, data }) => ({ seq, json: encodeEventData({ instanceId, seq, data } as HistoryEvent, ctx.maxPayloadBytes) }));
  for (const { seq, json } of encoded) {
    await queryRunner.manager
      .createQueryBuilder()
      .update(ctx.entities.event)
      .set({ data: json })
      .where(`${ctx.col('instance_id')} = :id AND ${ctx.col('seq')} = :seq`, { id: instanceId, seq })
      .updateEntity(false)
      .callListeners(false)
      .execute();
  }
}

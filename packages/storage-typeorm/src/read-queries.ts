/** The read side: records, pages of records, history and due timers, straight from the tables. */
import type { DueTimer, HistoryEvent, InstancePage, InstanceQuery, InstanceRecord, TimerRecord } from '@workflow-mastery/core';
import type { QueryRunner, SelectQueryBuilder } from 'typeorm';
import type { WorkflowInstanceEntity } from './entities/instance.entity.js';
import { decodeCursor, encodeCursor } from '@workflow-mastery/core/storage-kit';
import { decodeEvent, decodeRecord } from './record-codec.js';
import type { StorageContext } from './storage-context.js';

function instances(ctx: StorageContext, queryRunner: QueryRunner): SelectQueryBuilder<WorkflowInstanceEntity> {
  return queryRunner.manager.createQueryBuilder(ctx.entities.instance, 'i').select(['i.id', 'i.version', 'i.record']);
}

function decode(ctx: StorageContext, row: WorkflowInstanceEntity): InstanceRecord {
  return decodeRecord(row.record, ctx.names.instances, row.id, Number(row.version));
}

/** One page, with the same filters, order and cursors as core's MemoryStorage. */
export async function readPage(ctx: StorageContext, queryRunner: QueryRunner, query: InstanceQuery = {}): Promise<InstancePage> {
  const desc = query.order !== 'asc';
  const limit = query.limit === undefined ? 100 : Math.max(1, Math.floor(query.limit) || 1);
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
  const qb = instances(ctx, queryRunner).addSelect('i.createdAt');
  if (query.definitionName !== undefined) qb.andWhere('i.definitionName = :definitionName', { definitionName: query.definitionName });
  if (Array.isArray(query.state)) {
    if (query.state.length === 0) return { items: [] };
    qb.andWhere('i.state IN (:...states)', { states: query.state });
  } else if (query.state !== undefined) {
    qb.andWhere('i.state = :state', { state: query.state });
  }
  if (query.businessKey !== undefined) qb.andWhere('i.businessKey = :businessKey', { businessKey: query.businessKey });
  Object.entries(query.attributes ?? {}).forEach(([name, value], n) => {
    const table = ctx.dataSource.driver.escape(ctx.names.attributes);
    const { col } = ctx;
    qb.andWhere(
      `EXISTS (SELECT 1 FROM ${table} a${n} WHERE a${n}.${col('instance_id')} = i.id AND a${n}.${col('name')} = :attrName${n} AND a${n}.${col('value')} = :attrValue${n})`,
      { [`attrName${n}`]: name, [`attrValue${n}`]: String(value) },
    );
  });
  if (query.createdAfter !== undefined) qb.andWhere('i.createdAt >= :createdAfter', { createdAfter: query.createdAfter });
  if (query.createdBefore !== undefined) qb.andWhere('i.createdAt < :createdBefore', { createdBefore: query.createdBefore });
  if (after !== undefined) {
    const op = desc ? '<' : '>';
    qb.andWhere(`(i.createdAt ${op} :cursorAt OR (i.createdAt = :cursorAt AND i.id ${op} :cursorId))`, { cursorAt: after.createdAt, cursorId: after.id });
  }
  const direction = desc ? 'DESC' : 'ASC';
  const rows = await qb.orderBy('i.createdAt', direction).addOrderBy('i.id', direction).limit(limit + 1).getMany();
  const items = rows.slice(0, limit).map((row) => decode(ctx, row));
  if (rows.length <= limit) return { items };
  const last = rows[limit - 1]!;
  return { items, nextCursor: encodeCursor({ createdAt: Number(last.createdAt), id: last.id }) };
}

/** Events of `id` after `afterSeq`, in seq order. */
export async function readHistory(ctx: StorageContext, queryRunner: QueryRunner, id: string, afterSeq: number): Promise<HistoryEvent[]> {
  const rows = await queryRunner.manager
    .createQueryBuilder(ctx.entities.event, 'e')
    .where('e.instanceId = :id AND e.seq > :afterSeq', { id, afterSeq })
    .orderBy('e.seq', 'ASC')
    .getMany();
  return rows.map((row) => decodeEvent(row, ctx.names.events));
}

/** Timers due at or before `before`, earliest first (then by instance and timer id). */
export async function readDueTimers(ctx: StorageContext, queryRunner: QueryRunner, before: number, limit?: number): Promise<DueTimer[]> {
  const max = limit === undefined ? undefined : Math.ceil(limit);
  if (max !== undefined && max <= 0) return [];
  const qb = queryRunner.manager
    .createQueryBuilder(ctx.entities.timer, 't')
    .where('t.fireAt <= :before', { before })
    .orderBy('t.fireAt', 'ASC')
    .addOrderBy('t.instanceId', 'ASC')
    .addOrderBy('t.timerId', 'ASC');
  if (max !== undefined) qb.limit(max);
  const rows = await qb.getMany();
  return rows.map((row) => {
    const timer: TimerRecord = { id: row.timerId, kind: row.kind as TimerRecord['kind'], fireAt: row.fireAt };
    if (row.stepId !== null) timer.stepId = row.stepId;
    return { instanceId: row.instanceId, timer };
  });
}

/** Bulk statements over one table inside a transaction, chunked to stay under parameter limits. */
import type { ObjectLiteral, QueryRunner } from 'typeorm';
import type { EntityClass } from './entities/workflow-entities.js';
import { chunks, type StorageContext } from './storage-context.js';

/** Multi-row INSERTs of `rows`. */
export async function insertRows<T extends ObjectLiteral>(queryRunner: QueryRunner, entity: EntityClass<T>, rows: readonly T[]): Promise<void> {
  for (const slice of chunks(rows)) {
    await queryRunner.manager
      .createQueryBuilder()
      .insert()
      .into(entity)
      .values(slice as T[])
      .updateEntity(false)
      .callListeners(false)
      .execute();
  }
}

/** Rows whose `property` is one of `values`. */
export async function selectWhereIn<T extends ObjectLiteral>(
  queryRunner: QueryRunner,
  entity: EntityClass<T>,
  property: string,
  values: readonly string[],
): Promise<T[]> {
  const rows: T[] = [];
  for (const slice of chunks(values)) {
    rows.push(
      ...(await queryRunner.manager
        .createQueryBuilder(entity, 'r')
        .where(`r.${property} IN (:...values)`, { values: slice })
        .getMany()),
    );
  }
  return rows;
}

/** DELETE the rows whose `column` is one of `values`. */
export async function deleteWhereIn(
  ctx: StorageContext,
  queryRunner: QueryRunner,
  entity: EntityClass<ObjectLiteral>,
  column: string,
  values: readonly string[],
): Promise<void> {
  for (const slice of chunks(values)) {
    await queryRunner.manager
      .createQueryBuilder()
      .delete()
      .from(entity)
      .where(`${ctx.col(column)} IN (:...values)`, { values: slice })
      .callListeners(false)
      .execute();
  }
}

/** DELETE the rows with the given composite keys (`keys[i][j]` is the value of `columns[j]`). */
export async function deleteByKeys(
  ctx: StorageContext,
  queryRunner: QueryRunner,
  entity: EntityClass<ObjectLiteral>,
  columns: readonly string[],
  keys: ReadonlyArray<readonly unknown[]>,
): Promise<void> {
  const quoted = columns.map(ctx.col);
  for (const slice of chunks(keys, Math.floor(300 / columns.length))) {
    const params: Record<string, unknown> = {};
    const conditions = slice.map((key, i) => {
      const parts = quoted.map((c, j) => {
        params[`k${i}_${j}`] = key[j];
        return `${c} = :k${i}_${j}`;
      });
      return `(${parts.join(' AND ')})`;
    });
    await queryRunner.manager.createQueryBuilder().delete().from(entity).where(conditions.join(' OR '), params).callListeners(false).execute();
  }
}

/**
 * UPDATE `set` on the rows with the given composite keys, and only where `guard` (SQL over the
 * same named parameters as `guardParams`) holds. Returns the number of rows changed.
 */
export async function updateByKeys<T extends ObjectLiteral>(
  ctx: StorageContext,
  queryRunner: QueryRunner,
  entity: EntityClass<T>,
  set: Partial<T>,
  columns: readonly string[],
  keys: ReadonlyArray<readonly unknown[]>,
  guard: string,
  guardParams: Record<string, unknown>,
): Promise<number> {
  const quoted = columns.map(ctx.col);
  let affected = 0;
  for (const slice of chunks(keys, Math.floor(300 / columns.length))) {
    const params: Record<string, unknown> = { ...guardParams };
    const conditions = slice.map((key, i) => {
      const parts = quoted.map((c, j) => {
        params[`k${i}_${j}`] = key[j];
        return `${c} = :k${i}_${j}`;
      });
      return `(${parts.join(' AND ')})`;
    });
    const result = await queryRunner.manager
      .createQueryBuilder()
      .update(entity)
      .set(set as never)
      .where(`(${conditions.join(' OR ')}) AND ${guard}`, params)
      .updateEntity(false)
      .callListeners(false)
      .execute();
    affected += result.affected ?? 0;
  }
  return affected;
}

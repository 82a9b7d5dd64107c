/**
 * Unique business keys on PostgreSQL and MySQL/MariaDB, inside the create transaction: the row of
 * `(definition_name, business_key)` in `<prefix>business_keys` is inserted, or, when it exists,
 * locked (a concurrent create of the same key waits for the other transaction to end); its holder
 * is then read in a new statement (which sees every committed write) and the row is taken over only
 * when the holder is finished or gone. SQLite does the same with its single writer (`sqlite-batch.ts`).
 */
import { isTerminal, type InstanceRecord, type InstanceState } from '@workflow-mastery/core';
import type { QueryRunner } from 'typeorm';
import type { StorageContext } from './storage-context.js';

/** `sql` with `?` placeholders, numbered `$1...` on PostgreSQL. */
export function placeholders(ctx: StorageContext, sql: string): string {
  if (ctx.flavor !== 'postgres') return sql;
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/** Rows of a raw query inside `queryRunner`. */
async function rows(ctx: StorageContext, queryRunner: QueryRunner, sql: string, params: unknown[]): Promise<Array<Record<string, unknown>>> {
  return ((await queryRunner.query(placeholders(ctx, sql), params, true)) as { records?: Array<Record<string, unknown>> }).records ?? [];
}

/**
 * Claims the unique business key of a new record inside `queryRunner`'s transaction.
 * @returns the id of the unfinished instance holding it, or undefined once the record holds it.
 */
export async function claimBusinessKey(ctx: StorageContext, queryRunner: QueryRunner, record: InstanceRecord): Promise<string | undefined> {
  const table = ctx.dataSource.driver.escape(ctx.names.businessKeys);
  const instances = ctx.dataSource.driver.escape(ctx.names.instances);
  const key = [record.definitionName, record.businessKey!];
  let holder: string;
  if (ctx.flavor === 'postgres') {
    const [row] = await rows(
      ctx,
      queryRunner,
      `INSERT INTO ${table} AS b (definition_name, business_key, instance_id) VALUES (?, ?, ?) ` +
        'ON CONFLICT (definition_name, business_key) DO UPDATE SET instance_id = b.instance_id RETURNING b.instance_id AS instance_id',
      [...key, record.id],
    );
    holder = String(row!.instance_id);
  } else {
    await queryRunner.query(`INSERT INTO ${table} (definition_name, business_key, instance_id) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE instance_id = instance_id`, [
      ...key,
      record.id,
    ]);
    const [row] = await rows(ctx, queryRunner, `SELECT instance_id FROM ${table} WHERE definition_name = ? AND business_key = ? FOR UPDATE`, key);
    holder = String(row!.instance_id);
  }
  if (holder === record.id) return undefined;
  const [state] = await rows(ctx, queryRunner, `SELECT state FROM ${instances} WHERE id = ?`, [holder]);
  if (state !== undefined && !isTerminal(String(state.state) as InstanceState)) return holder;
  await queryRunner.query(placeholders(ctx, `UPDATE ${table} SET instance_id = ? WHERE definition_name = ? AND business_key = ?`), [record.id, ...key]);
  return undefined;
}

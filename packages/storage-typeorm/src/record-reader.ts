/**
 * Reads of one instance record in raw SQL, the engine's read before each decision: by id (coalesced
 * into `IN (...)` queries on PostgreSQL and MySQL under load), by idempotency key, and the stored
 * version and seq that tell why a commit did not swap.
 */
import type { InstanceRecord } from '@workflow-mastery/core';
import type { AttributeTracker } from './attribute-rows.js';
import { rawQuery, rawReadSql, type RawQuery, type RawReadSql, type RawRows } from './raw-sql.js';
import { ReadCoalescer } from './read-coalescer.js';
import { decodeRecord } from './record-codec.js';
import type { StorageContext } from './storage-context.js';
import type { TransactionRunner } from './transaction-runner.js';

/** Raw-SQL reads of the instance rows of one {@link TypeOrmStorage}. */
export class RecordReader {
  private readonly sql: RawReadSql;
  private rawQuery?: RawQuery;
  /** Single-instance reads of PostgreSQL and MySQL, coalesced into `IN (...)` queries under load. */
  private readonly reads = new ReadCoalescer<RawRows[number]>((ids) => this.readRows(ids));

  constructor(
    private readonly ctx: StorageContext,
    private readonly tx: TransactionRunner,
    private readonly attributes: AttributeTracker,
  ) {
    this.sql = rawReadSql(ctx);
  }

  /** The record of `id`. @throws StorageCorruptError on an unreadable row. */
  byId(id: string): Promise<InstanceRecord | undefined> {
    return this.ctx.flavor === 'sqlite' ? this.readRecord('wm_get', this.sql.byId, id) : this.coalescedRecord(id);
  }

  /** The record an idempotency key names. @throws StorageCorruptError on an unreadable row. */
  byIdempotencyKey(key: string): Promise<InstanceRecord | undefined> {
    return this.readRecord('wm_by_key', this.sql.byKey, key);
  }

  /** The row (`version`, `seq`) of `id`, if any. */
  versionRows(id: string): Promise<RawRows> {
    return this.rawRead('wm_version', this.sql.version, [id]);
  }

  private async coalescedRecord(id: string): Promise<InstanceRecord | undefined> {
    return this.decodeRow(await this.reads.get(id));
  }

  private rawRead(name: string, text: string, params: unknown[]): Promise<RawRows> {
    this.rawQuery ??= rawQuery(this.ctx);
    const query = this.rawQuery;
    return this.tx.exclusive(() => query(name, text, params));
  }

  /** The record in a raw instance row (id, version, record). @throws StorageCorruptError on an unreadable one. */
  private decodeRow(row: RawRows[number] | undefined): InstanceRecord | undefined {
    if (!row) return undefined;
    const record = decodeRecord(String(row.record), this.ctx.names.instances, String(row.id), Number(row.version));
    this.attributes.sawRecord(record);
    return record;
  }

  private async readRecord(name: string, text: string, param: string): Promise<InstanceRecord | undefined> {
    const [row] = await this.rawRead(name, text, [param]);
    return this.decodeRow(row);
  }

  /** Rows of `ids`, by id, in one query. */
  private async readRows(ids: string[]): Promise<Map<string, RawRows[number]>> {
    const rows = await this.rawRead(`wm_get_many`, this.sql.byIds(ids.length), this.ctx.flavor === 'postgres' ? [ids] : ids);
    return new Map(rows.map((row) => [String(row.id), row]));
  }
}

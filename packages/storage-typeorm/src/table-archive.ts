/**
 * An `InstanceArchive` into the storage's own database: the purge's copies of finished instances in
 * `<prefix>archived_instances` (one row per instance: its record and history as JSON), written in one
 * transaction per batch before the purge deletes anything. An instance archived again (at least
 * once delivery) replaces its row.
 */
import type { ArchivedInstance, HistoryEvent, InstanceArchive, InstanceRecord } from '@workflow-mastery/core';
import { In } from 'typeorm';
import type { TransactionRunner } from './transaction-runner.js';
import type { StorageContext } from './storage-context.js';

/** An archived instance as read back by {@link TableArchive.get}. */
export interface ArchivedRow {
  instance: InstanceRecord;
  history: HistoryEvent[];
  archivedAt: number;
}

/** See the module comment; made by `TypeOrmStorage.archive()`. */
export class TableArchive implements InstanceArchive {
  constructor(
    private readonly ctx: StorageContext,
    private readonly tx: TransactionRunner,
  ) {}

  async archive(entries: ArchivedInstance[]): Promise<void> {
    if (entries.length === 0) return;
    const rows = entries.map((e) => ({
      instanceId: e.instance.id,
      definitionName: e.instance.definitionName,
      archivedAt: e.archivedAt,
      record: JSON.stringify(e.instance),
      history: JSON.stringify(e.history),
    }));
    const entity = this.ctx.entities.archivedInstance;
    await this.tx.write(async (queryRunner) => {
      // Delete then insert: the same statement on every database, and a row archived twice is replaced.
      await queryRunner.manager.delete(entity, { instanceId: In(rows.map((r) => r.instanceId)) });
      for (let i = 0; i < rows.length; i += 200) await queryRunner.manager.insert(entity, rows.slice(i, i + 200));
    });
  }

  /** The archived copy of an instance, if any. */
  async get(instanceId: string): Promise<ArchivedRow | undefined> {
    const row = await this.tx.read((queryRunner) => queryRunner.manager.findOneBy(this.ctx.entities.archivedInstance, { instanceId }));
    if (!row) return undefined;
    return { instance: JSON.parse(row.record) as InstanceRecord, history: JSON.parse(row.history) as HistoryEvent[], archivedAt: Number(row.archivedAt) };
  }
}

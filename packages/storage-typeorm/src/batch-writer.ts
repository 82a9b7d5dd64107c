/**
 * `writeBatch` of {@link TypeOrmStorage}: creates and commits are prepared, written in rounds (one
 * transaction each, the fastest way the database allows), and each one that did not land is
 * explained from the rows as they are afterwards.
 */
import {
  ConcurrencyError,
  StorageCorruptError,
  type CreateResult,
  type StorageAdapter,
  type WriteBatch,
  type WriteBatchResult,
} from '@workflow-mastery/core';
import type { AttributeTracker } from './attribute-rows.js';
import { emptyOutcome, splitRounds, type BatchRound, type PreparedCreate, type RoundOutcome } from './batch-round.js';
import { CreateConflict } from './create-instance.js';
import { isUniqueViolation } from './db-errors.js';
import { pgWriteRound } from './pg-batch.js';
import { prepareCommit, prepareCreate, seqMismatchError } from './prepare-commit.js';
import { pgPoolOf, sqliteDatabaseOf } from './raw-sql.js';
import type { RecordReader } from './record-reader.js';
import { sqliteWriteRound } from './sqlite-batch.js';
import type { StorageContext } from './storage-context.js';
import type { TransactionRunner } from './transaction-runner.js';
import { writeRoundTypeOrm, type PreparedCommit } from './write-commits.js';

/** The storage's own reads, which a create that did not land consults (they wait for it to open). */
export type InstanceLookups = Pick<StorageAdapter, 'getInstance' | 'findByIdempotencyKey'>;

const toError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));

/** Writes the batches of one storage. */
export class BatchWriter {
  constructor(
    private readonly ctx: StorageContext,
    private readonly tx: TransactionRunner,
    private readonly reader: RecordReader,
    private readonly lookups: InstanceLookups,
    private readonly attributes: AttributeTracker,
  ) {}

  /** {@link TypeOrmStorage.writeBatch}, once the storage is open. */
  async write(batch: WriteBatch): Promise<WriteBatchResult> {
    const results: WriteBatchResult = {
      creates: new Array<CreateResult | Error>(batch.creates.length),
      commits: new Array<Error | undefined>(batch.commits.length).fill(undefined),
    };
    const creates: PreparedCreate[] = [];
    const commits: PreparedCommit[] = [];
    const stale: PreparedCommit[] = [];
    batch.creates.forEach(({ instance, events, idempotencyKey, lease }, index) => {
      try {
        const item: PreparedCreate = { index, prepared: prepareCreate(instance, events, idempotencyKey, this.ctx.maxPayloadBytes) };
        if (idempotencyKey !== undefined) item.idempotencyKey = idempotencyKey;
        if (lease) item.lease = lease;
        creates.push(item);
      } catch (error) {
        results.creates[index] = toError(error);
      }
    });
    batch.commits.forEach((commit, index) => {
      try {
        const item: PreparedCommit = { index, commit, prepared: prepareCommit(commit, this.ctx.maxPayloadBytes) };
        // The attribute rows are rewritten only when they may differ from the stored ones.
        const { prepared } = item;
        prepared.writeAttributes = !this.attributes.unchanged(commit.instance.id, commit.expectedVersion, prepared.attributesKey);
        // A record that is not the next version can never swap: no need to send it.
        (commit.instance.version === commit.expectedVersion + 1 ? commits : stale).push(item);
      } catch (error) {
        results.commits[index] = toError(error);
      }
    });
    const failedCreates: PreparedCreate[] = [];
    const failedCommits: PreparedCommit[] = [...stale];
    for (const round of splitRounds(creates, commits)) {
      const outcome = await this.writeRound(round);
      for (const item of round.creates) {
        const refusal = outcome.refused.get(item.index);
        if (outcome.created.has(item.index)) results.creates[item.index] = { created: true, instance: item.prepared.record };
        else if (refusal) results.creates[item.index] = refusal;
        else failedCreates.push(item);
      }
      for (const item of round.commits) if (!outcome.committed.has(item.index)) failedCommits.push(item);
      this.rememberAttributes(round, outcome);
    }
    for (const item of failedCommits) results.commits[item.index] = await this.commitFailure(item);
    for (const item of failedCreates) {
      results.creates[item.index] = await this.createFailure(item).catch(toError);
    }
    return results;
  }

  /** The attribute rows of what landed are now those of its records. */
  private rememberAttributes(round: BatchRound, outcome: RoundOutcome): void {
    for (const { index, prepared } of round.creates) if (outcome.created.has(index)) this.attributes.remember(prepared.record.id, 1, prepared.attributesKey);
    for (const { index, prepared } of round.commits) {
      if (outcome.committed.has(index)) this.attributes.remember(prepared.record.id, prepared.record.version, prepared.attributesKey);
    }
  }

  /** Writes one round in one transaction, the fastest way the database allows. */
  private writeRound(round: BatchRound): Promise<RoundOutcome> {
    return this.writeRoundIn(round).catch((error: unknown) => {
      if (!(error instanceof CreateConflict)) throw error;
      // Only a lone create throws it, rolling back its transaction.
      const outcome = emptyOutcome();
      if (error.refusal && round.creates.length === 1) outcome.refused.set(round.creates[0]!.index, error.refusal);
      return outcome;
    });
  }

  private writeRoundIn(round: BatchRound): Promise<RoundOutcome> {
    const { flavor, dataSource } = this.ctx;
    if (flavor === 'sqlite') {
      const db = sqliteDatabaseOf(dataSource);
      return this.tx.writeSync(db, () => sqliteWriteRound(this.ctx, db, round));
    }
    // A unique business key needs statements of its own (business-keys.ts): not the one statement.
    if (flavor === 'postgres' && !round.creates.some(({ prepared: { record } }) => record.uniqueBusinessKey && record.businessKey !== undefined)) {
      return this.tx.statement(() => pgWriteRound(this.ctx, pgPoolOf(dataSource), round)).catch((error: unknown) => {
        // A constraint the one statement cannot sort out (e.g. a stray row): the round again, one
        // statement at a time, with a savepoint per create; it throws if the fault is the batch's.
        if (!isUniqueViolation(error)) throw error;
        return this.tx.write((queryRunner) => writeRoundTypeOrm(this.ctx, queryRunner, round));
      });
    }
    return this.tx.write((queryRunner) => writeRoundTypeOrm(this.ctx, queryRunner, round));
  }

  /** Why a commit did not swap, from the row as it is now. */
  private async commitFailure(item: PreparedCommit): Promise<Error> {
    const { instance, expectedVersion } = item.commit;
    const [row] = await this.reader.versionRows(instance.id);
    const stored = row ? { version: Number(row.version), seq: Number(row.seq) } : undefined;
    return stored !== undefined && stored.version === expectedVersion && instance.version === expectedVersion + 1
      ? seqMismatchError(instance, stored.seq, item.prepared.events.length)
      : new ConcurrencyError(instance.id, expectedVersion, stored?.version);
  }

  /** The result of a create that did not land: the key's instance, or a conflict on the id. */
  private async createFailure(item: PreparedCreate): Promise<CreateResult | Error> {
    const { record } = item.prepared;
    for (let attempt = 1; ; attempt++) {
      const key = item.idempotencyKey;
      if (key !== undefined) {
        const existing = await this.lookups.findByIdempotencyKey(key);
        if (existing) return { created: false, instance: existing };
      }
      const existing = await this.lookups.getInstance(record.id);
      if (existing) return new ConcurrencyError(record.id, 0, existing.version);
      // The key's holder vanished between our attempt and the reads: try again.
      if (attempt >= 3) return new StorageCorruptError(`Idempotency key "${key}" is taken but names no instance`, `table ${this.ctx.names.idempotencyKeys}`);
      const round: BatchRound = { creates: [item], commits: [] };
      const outcome = await this.writeRound(round);
      this.rememberAttributes(round, outcome);
      if (outcome.created.has(item.index)) return { created: true, instance: record };
      const refusal = outcome.refused.get(item.index);
      if (refusal) return refusal;
    }
  }
}

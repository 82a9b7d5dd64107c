/**
 * {@link StorageAdapter} on TypeORM: PostgreSQL, MySQL/MariaDB and SQLite (better-sqlite3), shared
 * safely by several engines (leases on work and timers), every write one transaction.
 */
import {
  ErrorCode,
  WorkflowError,
  type ClaimedWork,
  type Commit,
  type CreateResult,
  type DueTimer,
  type HistoryEvent,
  type HistoryRewrite,
  type InstancePage,
  type InstanceQuery,
  type InstanceRecord,
  type Lease,
  type NewInstance,
  type PurgeCandidate,
  type StorageAdapter,
  type StoredDefinition,
  type StoredDefinitionSummary,
  type WriteBatch,
  type WriteBatchResult,
} from '@workflow-mastery/core';
import type { DataSource } from 'typeorm';
import { AttributeTracker } from './attribute-rows.js';
import { BatchWriter } from './batch-writer.js';
import { claimRows, renewRows } from './claim-work.js';
import { createDataSource } from './create-data-source.js';
import { DefinitionRows } from './definition-rows.js';
import { rewriteEventRows } from './history-rewrite.js';
import { RecordReader } from './record-reader.js';
import { workflowEntitySet } from './entities/workflow-entities.js';
import { readDueTimers, readHistory, readPage } from './read-queries.js';
import { acquireLease, purgeInstances, readPurgeable } from './retention.js';
import { TableArchive } from './table-archive.js';
import { sqlFlavor } from './schema/sql-flavor.js';
import { DEFAULT_TABLE_PREFIX, tableNames } from './schema/table-names.js';
import type { StorageContext } from './storage-context.js';
import { StorageLifecycle, type LifecycleSettings } from './storage-lifecycle.js';
import { TransactionRunner, type StorageStats } from './transaction-runner.js';
import { DEFAULT_MAX_PAYLOAD_BYTES, oneOf, type TypeOrmStorageOptions } from './typeorm-storage.options.js';

/**
 * Durable, multi-engine {@link StorageAdapter} over TypeORM.
 *
 * - Tables (prefix `wm_` by default): instances (the record as JSON plus the columns queries use),
 *   events, timers, work (runnable attempts), tasks, idempotency keys, stored definition versions,
 *   search attributes, unique business keys and maintenance leases; created by {@link workflowMigrations}.
 * - Every create/commit is one transaction: a compare-and-swap UPDATE (`version`, `seq`), the events,
 *   and the timers/work/tasks rows re-derived from the new record. `writeBatch` (and `commitMany`)
 *   writes the creates and commits of a whole batch in one transaction, each still decided on its
 *   own (`prefersGroupCommit`): one statement on PostgreSQL, cached statements on SQLite.
 * - `claimWork` leases runnable attempts and due timers (`FOR UPDATE SKIP LOCKED` on PostgreSQL and
 *   MySQL/MariaDB; single-writer transactions on SQLite).
 * - Database errors (a lost connection...) reject as they are, so the engine retries them; pools
 *   reconnect on the next query. Rows that cannot be read back raise `StorageCorruptError`.
 *
 * ```ts
 * const storage = new TypeOrmStorage({ type: 'postgres', url: process.env.DATABASE_URL });
 * const engine = new WorkflowEngine({ storage });
 * ```
 */
export class TypeOrmStorage implements StorageAdapter {
  /** Batching commits saves a transaction per commit. */
  readonly prefersGroupCommit = true;
  /** Largest JSON (UTF-8 bytes) of a record or an event's data (the option, default 1 MiB); the engine's default limit. */
  readonly maxPayloadBytes: number;
  /**
   * Batches written at once: 2 on PostgreSQL and MySQL (the server works on one while the engine
   * prepares the next), 1 on SQLite (one writer).
   */
  readonly groupCommitWriters: number;
  /** The DataSource in use (ours or yours). */
  readonly dataSource: DataSource;
  readonly tablePrefix: string;
  /** Write transactions so far (benchmarks report them per workflow). */
  readonly stats: StorageStats;
  private readonly ctx: StorageContext;
  private readonly tx: TransactionRunner;
  private readonly lifecycle: StorageLifecycle;
  private readonly reader: RecordReader;
  private readonly writer: BatchWriter;
  private readonly definitions: DefinitionRows;
  private readonly attributes = new AttributeTracker();

  /** @throws WorkflowError (WF_INPUT_INVALID) on an invalid prefix, limit or database type. */
  constructor(options: TypeOrmStorageOptions) {
    const prefix = options.tablePrefix ?? DEFAULT_TABLE_PREFIX;
    const names = tableNames(prefix);
    const maxPayloadBytes = options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
    this.maxPayloadBytes = maxPayloadBytes;
    if (!Number.isInteger(maxPayloadBytes) || maxPayloadBytes < 1024) {
      throw new WorkflowError(ErrorCode.InputInvalid, `maxPayloadBytes must be an integer of at least 1024; got ${maxPayloadBytes}.`, { maxPayloadBytes });
    }
    const ownsDataSource = !('dataSource' in options);
    this.dataSource = 'dataSource' in options ? options.dataSource : createDataSource(options, prefix);
    const sqlite: LifecycleSettings['sqlite'] = { sqliteCheckpoints: oneOf('sqliteCheckpoints', options.sqliteCheckpoints ?? 'background', ['background', 'inline'] as const) };
    if (options.sqliteSynchronous !== undefined) sqlite.sqliteSynchronous = oneOf('sqliteSynchronous', options.sqliteSynchronous, ['normal', 'full'] as const);
    this.tablePrefix = prefix;
    const flavor = sqlFlavor(this.dataSource);
    this.groupCommitWriters = flavor === 'sqlite' ? 1 : 2;
    const driver = this.dataSource.driver;
    this.ctx = {
      dataSource: this.dataSource,
      flavor,
      entities: workflowEntitySet(prefix, flavor),
      names,
      maxPayloadBytes,
      col: (name) => driver.escape(name),
    };
    this.tx = new TransactionRunner(this.dataSource, flavor);
    this.lifecycle = new StorageLifecycle(this.ctx, this.tx, { tablePrefix: prefix, ownsDataSource, runMigrations: options.runMigrations ?? ownsDataSource, sqlite });
    this.reader = new RecordReader(this.ctx, this.tx, this.attributes);
    this.writer = new BatchWriter(this.ctx, this.tx, this.reader, this, this.attributes);
    this.definitions = new DefinitionRows(this.ctx, this.tx);
    this.stats = this.tx.stats;
  }

  /**
   * Initializes the DataSource if needed, runs the migrations (see `runMigrations`) and checks that
   * the entities and tables are there. Idempotent; other methods call it when needed.
   * @throws WorkflowError naming what is missing and how to add it.
   */
  init(): Promise<void> {
    return this.lifecycle.init();
  }

  /** Runs `fn` once open, and lets `close()` wait for it. */
  private run<T>(fn: () => Promise<T>): Promise<T> {
    return this.lifecycle.run(fn);
  }

  /** @inheritDoc */
  async createInstance(instance: InstanceRecord, events: HistoryEvent[], idempotencyKey?: string, lease?: Lease): Promise<CreateResult> {
    const create: NewInstance = { instance, events };
    if (idempotencyKey !== undefined) create.idempotencyKey = idempotencyKey;
    if (lease) create.lease = lease;
    const [result] = (await this.writeBatch({ creates: [create], commits: [] })).creates;
    if (result instanceof Error) throw result;
    return result!;
  }

  /** @inheritDoc */
  async commit(commit: Commit): Promise<void> {
    const [error] = await this.commitMany([commit]);
    if (error) throw error;
  }

  /** One transaction for the whole batch; each commit is swapped on its own. */
  async commitMany(commits: Commit[]): Promise<Array<Error | undefined>> {
    return (await this.writeBatch({ creates: [], commits })).commits;
  }

  /**
   * Creates and commits in one transaction (PostgreSQL: one statement); each create and each commit
   * succeeds or fails on its own. Items of one instance id or one idempotency key that come twice go
   * in a following transaction, after the first.
   */
  writeBatch(batch: WriteBatch): Promise<WriteBatchResult> {
    return this.run(() => this.writer.write(batch));
  }

  /** @inheritDoc */
  getInstance(id: string): Promise<InstanceRecord | undefined> {
    return this.run(() => this.reader.byId(id));
  }

  /** @inheritDoc */
  findByIdempotencyKey(key: string): Promise<InstanceRecord | undefined> {
    return this.run(() => this.reader.byIdempotencyKey(key));
  }

  /** @inheritDoc */
  listInstances(query?: InstanceQuery): Promise<InstancePage> {
    return this.run(() => this.tx.read((queryRunner) => readPage(this.ctx, queryRunner, query)));
  }

  /** @inheritDoc */
  getHistory(id: string, afterSeq = 0): Promise<HistoryEvent[]> {
    return this.run(() => this.tx.read((queryRunner) => readHistory(this.ctx, queryRunner, id, afterSeq)));
  }

  /** One transaction: an UPDATE of the `data` column per event. @inheritDoc */
  rewriteHistory(instanceId: string, rewrites: HistoryRewrite[]): Promise<void> {
    if (rewrites.length === 0) return Promise.resolve();
    return this.run(() => this.tx.write((queryRunner) => rewriteEventRows(this.ctx, queryRunner, instanceId, rewrites)));
  }

  /** `purge_after <= now` on finished instances, by the `purge_after` index. @inheritDoc */
  findPurgeable(now: number, limit: number): Promise<PurgeCandidate[]> {
    const max = Math.floor(limit);
    if (!(max > 0)) return Promise.resolve([]);
    return this.run(() => this.tx.read((queryRunner) => readPurgeable(this.ctx, queryRunner, now, max)));
  }

  /** One transaction per chunk of candidates (see `retention.ts`). @inheritDoc */
  purgeInstances(candidates: ReadonlyArray<Pick<PurgeCandidate, 'id' | 'version'>>): Promise<string[]> {
    if (candidates.length === 0) return Promise.resolve([]);
    return this.run(() => purgeInstances(this.ctx, this.tx, this.attributes, candidates));
  }

  /**
   * An archive into this database's `<prefix>archived_instances` table, for the engine's
   * `purge: { archive: storage.tableArchive() }`: each purged instance is copied there with its history first.
   */
  tableArchive(): TableArchive {
    return new TableArchive(this.ctx, this.tx);
  }

  /** A row of the leases table, taken with a conditional UPDATE or INSERT. @inheritDoc */
  acquireLease(name: string, lease: Lease, now: number): Promise<boolean> {
    return this.run(() => acquireLease(this.ctx, this.tx, name, lease, now));
  }

  /** @inheritDoc */
  dueTimers(before: number, limit?: number): Promise<DueTimer[]> {
    return this.run(() => this.tx.read((queryRunner) => readDueTimers(this.ctx, queryRunner, before, limit)));
  }

  /** @inheritDoc */
  claimWork(lease: Lease, now: number, limit: number): Promise<ClaimedWork[]> {
    const max = Math.floor(limit);
    if (!(max > 0)) return Promise.resolve([]);
    return this.run(() => this.tx.write((queryRunner) => claimRows(this.ctx, queryRunner, lease, now, max)));
  }

  /** @inheritDoc */
  renewLeases(lease: Lease, items: ClaimedWork[]): Promise<void> {
    if (items.length === 0) return Promise.resolve();
    return this.run(() => this.tx.write((queryRunner) => renewRows(this.ctx, queryRunner, lease, items)));
  }

  /** Inserted if absent (atomic against other engines), then read back. @inheritDoc */
  saveDefinition(definition: StoredDefinition): Promise<StoredDefinition> {
    return this.run(() => this.definitions.save(definition));
  }

  /** @inheritDoc */
  getDefinition(name: string, version: string): Promise<StoredDefinition | undefined> {
    return this.run(() => this.definitions.get(name, version));
  }

  /** @inheritDoc */
  listDefinitions(name?: string): Promise<StoredDefinitionSummary[]> {
    return this.run(() => this.definitions.list(name));
  }

  /**
   * Waits for operations in flight, then destroys the DataSource if this storage created it (yours
   * is left open). Idempotent; the storage cannot be opened again.
   */
  close(): Promise<void> {
    return this.lifecycle.close();
  }
}

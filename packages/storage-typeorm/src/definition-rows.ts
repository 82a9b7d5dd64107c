/**
 * The definition store on the definitions table (`<prefix>definitions`): a version is inserted if
 * absent in one statement (`ON CONFLICT DO NOTHING` on PostgreSQL and SQLite, `ON DUPLICATE KEY
 * UPDATE` with no change on MySQL/MariaDB), then read back, so concurrent writers (other engines
 * included) all get the one that was stored first.
 */
import { ErrorCode, StorageCorruptError, WorkflowError, type StoredDefinition, type StoredDefinitionSummary } from '@workflow-mastery/core';
import { checkStoredDefinition, sortSummaries } from '@workflow-mastery/core/storage-kit';
import type { QueryRunner } from 'typeorm';
import { ID_LENGTH } from './entities/column-spec.js';
import type { RawRows } from './raw-sql.js';
import type { StorageContext } from './storage-context.js';
import { tooLongMessage } from './storage.messages.js';
import type { TransactionRunner } from './transaction-runner.js';

/** The SQL of the definition store for one table and dialect. */
interface DefinitionSql {
  insert: string;
  select: string;
  list: string;
  listByName: string;
}

function definitionSql(ctx: StorageContext): DefinitionSql {
  const q = ctx.col;
  const table = ctx.dataSource.driver.escape(ctx.names.definitions);
  const p = (i: number): string => (ctx.flavor === 'postgres' ? `$${i}` : '?');
  const cols = ['name', 'version', 'hash', 'source', 'stored_at'].map(q).join(', ');
  const keep =
    ctx.flavor === 'mysql'
      ? ` ON DUPLICATE KEY UPDATE ${q('name')} = ${q('name')}` // INSERT IGNORE would also turn real errors into warnings
      : ` ON CONFLICT (${q('name')}, ${q('version')}) DO NOTHING`;
  const summary = `SELECT ${q('name')} AS name, ${q('version')} AS version, ${q('hash')} AS hash, ${q('stored_at')} AS stored_at FROM ${table}`;
  return {
    insert: `INSERT INTO ${table} (${cols}) VALUES (${[1, 2, 3, 4, 5].map(p).join(', ')})${keep}`,
    select:
      `SELECT ${q('name')} AS name, ${q('version')} AS version, ${q('hash')} AS hash, ${q('source')} AS source, ${q('stored_at')} AS stored_at ` +
      `FROM ${table} WHERE ${q('name')} = ${p(1)} AND ${q('version')} = ${p(2)}`,
    list: summary,
    listByName: `${summary} WHERE ${q('name')} = ${p(1)}`,
  };
}

/** A text column's value (mysql2 may hand back a Buffer). */
function text(value: unknown): unknown {
  return Buffer.isBuffer(value) ? value.toString('utf8') : value;
}

/** @throws WorkflowError (WF_INPUT_INVALID) naming the field the table cannot hold. */
function checkFits(def: StoredDefinition): void {
  for (const field of ['name', 'version'] as const) {
    if (def[field].length > ID_LENGTH) {
      throw new WorkflowError(ErrorCode.InputInvalid, tooLongMessage(`Definition ${field}`, def[field], ID_LENGTH), { field });
    }
  }
  if (!Number.isSafeInteger(def.storedAt)) {
    throw new WorkflowError(ErrorCode.InputInvalid, `saveDefinition: storedAt must be whole epoch milliseconds; got ${def.storedAt}.`, { field: 'storedAt' });
  }
}

/** `saveDefinition`, `getDefinition` and `listDefinitions` of one TypeORM storage. */
export class DefinitionRows {
  private readonly sql: DefinitionSql;

  constructor(
    private readonly ctx: StorageContext,
    private readonly tx: TransactionRunner,
  ) {
    this.sql = definitionSql(ctx);
  }

  /**
   * Stores `def` unless its version is stored; returns what is stored after the call.
   * @throws WorkflowError (WF_INPUT_INVALID) naming the field of a malformed definition.
   */
  async save(def: StoredDefinition): Promise<StoredDefinition> {
    checkStoredDefinition(def);
    checkFits(def);
    return this.tx.write(async (queryRunner) => {
      await queryRunner.query(this.sql.insert, [def.name, def.version, def.hash, def.source, def.storedAt]);
      const stored = await this.select(queryRunner, def.name, def.version);
      if (!stored) throw new StorageCorruptError(`Definition ${def.name}@${def.version} was neither inserted nor found`, this.location(def.name, def.version));
      return stored;
    });
  }

  /** The stored version, or undefined. @throws StorageCorruptError on an unreadable row. */
  get(name: string, version: string): Promise<StoredDefinition | undefined> {
    return this.tx.read((queryRunner) => this.select(queryRunner, name, version));
  }

  /** Summaries by name, then `storedAt`, then version. @throws StorageCorruptError on an unreadable row. */
  async list(name?: string): Promise<StoredDefinitionSummary[]> {
    const rows = (await this.tx.read((queryRunner) =>
      name === undefined ? queryRunner.query(this.sql.list) : queryRunner.query(this.sql.listByName, [name]),
    )) as RawRows;
    return sortSummaries(
      rows.map((row) => {
        const summary = { name: text(row.name), version: text(row.version), hash: text(row.hash), storedAt: Number(row.stored_at) };
        if (typeof summary.name !== 'string' || typeof summary.version !== 'string' || typeof summary.hash !== 'string' || !Number.isFinite(summary.storedAt)) {
          throw new StorageCorruptError('Definition row is not a stored definition', this.location(String(row.name), String(row.version)));
        }
        return summary as StoredDefinitionSummary;
      }),
    );
  }

  private async select(queryRunner: QueryRunner, name: string, version: string): Promise<StoredDefinition | undefined> {
    const [row] = (await queryRunner.query(this.sql.select, [name, version])) as RawRows;
    if (!row) return undefined;
    const def = { name: text(row.name), version: text(row.version), hash: text(row.hash), source: text(row.source), storedAt: Number(row.stored_at) } as StoredDefinition;
    try {
      checkStoredDefinition(def);
    } catch (cause) {
      throw new StorageCorruptError('Definition row is not a stored definition', this.location(name, version), { cause });
    }
    return def;
  }

  private location(name: string, version: string): string {
    return `table ${this.ctx.names.definitions}, name ${JSON.stringify(name)}, version ${JSON.stringify(version)}`;
  }
}

/**
 * The definition store of {@link RedisStorage}: one hash per version (`P dv:<nv>`), written once by
 * a script (HSETNX on its source decides between concurrent writers, and the index `P dvs` gets
 * the winner's summary in the same step), read back by the losers from the script's reply.
 */
import { StorageCorruptError, type StoredDefinition, type StoredDefinitionSummary } from '@workflow-mastery/core';
import { checkStoredDefinition, sortSummaries } from '@workflow-mastery/core/storage-kit';
import type { Redis } from 'ioredis';
import { definitionField, type RedisKeys } from './redis-keys.js';
import type { ScriptCommands } from './redis-scripts.js';

/** Runs Redis commands once the storage is open (the storage's error handling). */
type Run = <T>(work: () => Promise<T>) => Promise<T>;

/** A definition read from `location`. @throws StorageCorruptError when it is not a stored definition. */
function storedDefinition(fields: Array<string | number | null | undefined>, location: string): StoredDefinition {
  const [name, version, hash, source, at] = fields;
  const def = { name, version, hash, source, storedAt: Number(at) } as StoredDefinition;
  try {
    checkStoredDefinition(def);
  } catch (cause) {
    throw new StorageCorruptError('Definition version is not a stored definition', location, { cause });
  }
  return def;
}

/** `saveDefinition`, `getDefinition` and `listDefinitions` of one Redis storage. */
export class RedisDefinitions {
  constructor(
    private readonly redis: Redis & ScriptCommands,
    private readonly keys: RedisKeys,
    private readonly run: Run,
  ) {}

  /**
   * Stores `def` unless its version is stored; returns what is stored after the call.
   * @throws WorkflowError (WF_INPUT_INVALID) naming the field of a malformed definition.
   */
  async save(def: StoredDefinition): Promise<StoredDefinition> {
    checkStoredDefinition(def);
    const { name, version, hash, source, storedAt } = def;
    const key = this.keys.definitionVersion(name, version);
    const summary = JSON.stringify({ name, version, hash, storedAt });
    const reply = await this.run(() =>
      this.redis.wmStorageSaveDefinition(key, this.keys.definitionIndex, name, version, hash, source, String(storedAt), definitionField(name, version), summary),
    );
    if (reply[0] === 1) return { name, version, hash, source, storedAt };
    return storedDefinition(reply.slice(1), `Redis key "${key}"`);
  }

  /** The stored version, or undefined. @throws StorageCorruptError on an unreadable one. */
  async get(name: string, version: string): Promise<StoredDefinition | undefined> {
    const key = this.keys.definitionVersion(name, version);
    const fields = await this.run(() => this.redis.hmget(key, 'name', 'ver', 'hash', 'src', 'at'));
    if (fields.every((f) => f === null)) return undefined;
    return storedDefinition(fields, `Redis key "${key}"`);
  }

  /** Summaries by name, then `storedAt`, then version. @throws StorageCorruptError on an unreadable one. */
  async list(name?: string): Promise<StoredDefinitionSummary[]> {
    const index = this.keys.definitionIndex;
    const entries = await this.run(() => this.redis.hgetall(index));
    const summaries = Object.entries(entries).map(([field, raw]) => {
      let summary: StoredDefinitionSummary | undefined;
      try {
        summary = JSON.parse(raw) as StoredDefinitionSummary;
      } catch {
        // reported below
      }
      if (
        typeof summary !== 'object' || summary === null ||
        typeof summary.name !== 'string' || typeof summary.version !== 'string' ||
        typeof summary.hash !== 'string' || !Number.isFinite(summary.storedAt)
      ) {
        throw new StorageCorruptError('Definition index entry is not a summary', `Redis key "${index}", field ${field}`);
      }
      return summary;
    });
    return sortSummaries(summaries, name);
  }
}

/**
 * The definition store of the in-process storages: {@link DefinitionMap} in memory (the memory
 * storage, and the cache of the file storage) and {@link DefinitionFiles}, one immutable file per
 * version, created exclusively so that two writers never replace each other.
 */
import { mkdir, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { ErrorCode, StorageCorruptError, WorkflowError } from '../errors.js';
import type { StoredDefinition, StoredDefinitionSummary } from './storage-adapter.js';
import { createFileExclusive, DirectorySyncer, sha256 } from './fs-utils.js';

/**
 * @throws WorkflowError (WF_INPUT_INVALID) naming the field when `def` is not a well-formed
 * stored definition (a bug of the caller: the engine builds them).
 */
export function checkStoredDefinition(def: StoredDefinition): void {
  const bad = (field: string, what: string) =>
    new WorkflowError(ErrorCode.InputInvalid, `saveDefinition: ${field} must be ${what}.`, { field });
  if (typeof def !== 'object' || def === null) throw bad('the definition', 'an object');
  if (typeof def.name !== 'string' || def.name === '') throw bad('name', 'a non-empty string');
  if (typeof def.version !== 'string' || def.version === '') throw bad('version', 'a non-empty string');
  if (typeof def.hash !== 'string' || !/^[0-9a-f]{64}$/.test(def.hash)) throw bad('hash', 'a hex SHA-256 (64 characters)');
  if (typeof def.source !== 'string' || def.source === '') throw bad('source', 'the canonical JSON text');
  if (!Number.isFinite(def.storedAt)) throw bad('storedAt', 'epoch milliseconds');
}

/** Summaries sorted by name, then `storedAt` (then version). */
export function sortSummaries(defs: Iterable<StoredDefinition | StoredDefinitionSummary>, name?: string): StoredDefinitionSummary[] {
  return [...defs]
    .filter((d) => name === undefined || d.name === name)
    .map(({ name: n, version, hash, storedAt }) => ({ name: n, version, hash, storedAt }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.storedAt - b.storedAt || (a.version < b.version ? -1 : a.version > b.version ? 1 : 0)));
}

const keyOf = (name: string, version: string) => `${name}\u0000${version}`;

/** Definition versions in memory: stored once, never replaced. */
export class DefinitionMap {
  private readonly byKey = new Map<string, StoredDefinition>();

  get(name: string, version: string): StoredDefinition | undefined {
    return this.byKey.get(keyOf(name, version));
  }

  /** Stores `def` unless its version is there; returns what is stored. */
  putIfAbsent(def: StoredDefinition): StoredDefinition {
    const key = keyOf(def.name, def.version);
    const existing = this.byKey.get(key);
    if (existing) return existing;
    const copy = { ...def };
    this.byKey.set(key, copy);
    return copy;
  }

  list(name?: string): StoredDefinitionSummary[] {
    return sortSummaries(this.byKey.values(), name);
  }
}

/**
 * The definitions of a file storage: `definitions/<sha256(name NUL version)>.json` under its
 * directory, one immutable file per version, all of them cached in memory once loaded.
 */
export class DefinitionFiles {
  readonly directory: string;
  private readonly syncer: DirectorySyncer;
  private stored = new DefinitionMap();
  /** Versions being written, by name NUL version: concurrent saves of one share its write. */
  private readonly saving = new Map<string, Promise<StoredDefinition>>();

  constructor(root: string, private readonly fsync: boolean) {
    this.directory = path.join(root, 'definitions');
    this.syncer = new DirectorySyncer(this.directory);
  }

  /** Reads every stored version. @throws StorageCorruptError naming a file that does not parse. */
  async load(): Promise<void> {
    await mkdir(this.directory, { recursive: true });
    const loaded = new DefinitionMap();
    for (const name of await readdir(this.directory)) {
      if (!name.endsWith('.json')) continue; // a crash leaves at worst a `.tmp` file
      const file = path.join(this.directory, name);
      let def: StoredDefinition;
      try {
        def = JSON.parse(await readFile(file, 'utf8')) as StoredDefinition;
        checkStoredDefinition(def);
      } catch (cause) {
        throw new StorageCorruptError('Definition file is not a stored definition', file, { cause });
      }
      loaded.putIfAbsent(def);
    }
    this.stored = loaded;
  }

  get(name: string, version: string): StoredDefinition | undefined {
    return this.stored.get(name, version);
  }

  list(name?: string): StoredDefinitionSummary[] {
    return this.stored.list(name);
  }

  /**
   * Stores `def` unless its version is stored; returns what is stored. The file is created
   * exclusively (the storage's lock makes this process its only writer).
   */
  save(def: StoredDefinition): Promise<StoredDefinition> {
    const known = this.stored.get(def.name, def.version);
    if (known) return Promise.resolve(known);
    const key = keyOf(def.name, def.version);
    let saving = this.saving.get(key);
    if (!saving) {
      const file = path.join(this.directory, `${sha256(key)}.json`);
      saving = createFileExclusive(file, JSON.stringify(def), this.fsync, this.syncer).then(() => this.stored.putIfAbsent(def));
      this.saving.set(key, saving);
      const done = () => this.saving.delete(key);
      saving.then(done, done);
    }
    return saving;
  }
}

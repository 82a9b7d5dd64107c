/**
 * Where {@link PayloadStoreStorage} keeps values too large for the storage: a key-value store of
 * JSON text. {@link FilePayloadStore} keeps them in a directory; implement {@link PayloadStore}
 * for S3 or any blob store. Keys are content hashes, so a value is written once however many
 * records refer to it, and a `put` of a key already there may do nothing.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, stat } from 'node:fs/promises';
import path from 'node:path';
import { writeNewFile } from './fs-utils.js';

/** A store of large values by key (`sha256-<hex>`, safe as a file name or object key). */
export interface PayloadStore {
  /** Store `json` under `key` durably before resolving (a key already stored may be skipped). */
  put(key: string, json: string): Promise<void>;
  /** The JSON stored under `key`, or undefined when there is none. */
  get(key: string): Promise<string | undefined>;
}

/** Options of {@link FilePayloadStore}. */
export interface FilePayloadStoreOptions {
  /** Created when missing; several processes may share it (writes are atomic renames). */
  directory: string;
  /** fsync each value before it is referred to. @defaultValue true */
  fsync?: boolean;
}

/** {@link PayloadStore} over a directory: one `<key>.json` file per value. */
export class FilePayloadStore implements PayloadStore {
  readonly directory: string;
  private readonly fsync: boolean;
  private made?: Promise<unknown>;

  constructor(options: FilePayloadStoreOptions) {
    if (typeof options?.directory !== 'string' || options.directory === '') {
      throw new TypeError("new FilePayloadStore({ directory }): directory must be a path, e.g. '.workflow-payloads'.");
    }
    this.directory = path.resolve(options.directory);
    this.fsync = options.fsync ?? true;
  }

  async put(key: string, json: string): Promise<void> {
    this.made ??= mkdir(this.directory, { recursive: true });
    await this.made;
    const file = this.fileOf(key);
    if (await exists(file)) return;
    const tmp = `${file}.${randomUUID()}.tmp`;
    await writeNewFile(tmp, json, this.fsync);
    await rename(tmp, file);
  }

  async get(key: string): Promise<string | undefined> {
    try {
      return await readFile(this.fileOf(key), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  private fileOf(key: string): string {
    if (!/^[A-Za-z0-9_-]+$/.test(key)) throw new TypeError(`FilePayloadStore: invalid key ${JSON.stringify(key)}.`);
    return path.join(this.directory, `${key}.json`);
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}

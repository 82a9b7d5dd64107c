/**
 * Opening a {@link FileStorage} directory after a clean close or a crash: loads every record and
 * removes what a crash can leave behind (see the rules on {@link loadDirectory}).
 */
import { open, readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { StorageCorruptError } from '../errors.js';
import type { HistoryEvent, InstanceRecord } from '../model/instance.types.js';
import { fileNameOf } from './fs-utils.js';

/** The folders of a storage directory. */
export interface StorageLayout {
  instances: string;
  history: string;
  keys: string;
}

/** What an open directory holds, in memory. */
export interface LoadedState {
  records: Map<string, InstanceRecord>;
  /** Bytes of each history file that belong to committed events. */
  historySizes: Map<string, number>;
  /** Idempotency key → instance id. */
  keys: Map<string, string>;
}

async function forEachLimit<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

function parseJson(text: string, file: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new StorageCorruptError(`${what} is not valid JSON`, file, { cause });
  }
}

function isRecord(value: unknown): value is InstanceRecord {
  const r = value as InstanceRecord | null;
  return (
    typeof r === 'object' && r !== null && typeof r.id === 'string' && Number.isInteger(r.version) &&
    Number.isInteger(r.seq) && typeof r.createdAt === 'number' && Array.isArray(r.timers)
  );
}

async function loadRecord(file: string): Promise<InstanceRecord> {
  const record = parseJson(await readFile(file, 'utf8'), file, 'Instance file');
  if (!isRecord(record) || `${fileNameOf(record.id)}.json` !== path.basename(file)) {
    throw new StorageCorruptError('Instance file does not hold the record its name says', file);
  }
  return record;
}

/**
 * Size of the committed part of a history file: its first `record.seq` lines. Lines after them
 * (appended by a commit that crashed before renaming the instance file, or torn) are cut off.
 */
async function recoverHistory(file: string, record: InstanceRecord, fsync: boolean): Promise<number> {
  const bytes = await readFile(file).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return Buffer.alloc(0);
    throw error;
  });
  let offset = 0;
  let lastLine = 0;
  for (let n = 0; n < record.seq; n++) {
    const newline = bytes.indexOf(10, offset);
    if (newline < 0) {
      throw new StorageCorruptError(
        `History holds ${n} complete events but instance ${record.id} is at seq ${record.seq}: committed events are missing`,
        file,
      );
    }
    lastLine = offset;
    offset = newline + 1;
  }
  if (record.seq > 0) {
    const last = parseJson(bytes.subarray(lastLine, offset - 1).toString(), file, `History line ${record.seq}`);
    if ((last as HistoryEvent).seq !== record.seq) {
      throw new StorageCorruptError(`History line ${record.seq} does not hold event seq ${record.seq}`, file);
    }
  }
  if (bytes.length > offset) {
    const handle = await open(file, 'r+');
    try {
      await handle.truncate(offset);
      if (fsync) await handle.sync();
    } finally {
      await handle.close();
    }
  }
  return offset;
}

/**
 * Loads a directory and repairs crash leftovers:
 * - `*.tmp` files (an atomic write or exclusive create cut short) are removed;
 * - a history file without an instance file (a create cut short) is removed;
 * - history lines beyond the record's `seq`, or torn, are truncated away;
 * - a key file whose instance file is missing (a create cut short) is removed.
 * @throws StorageCorruptError naming the file when a record or key file cannot be read, or when
 * committed history is missing.
 */
export async function loadDirectory(layout: StorageLayout, fsync: boolean): Promise<LoadedState> {
  const records = new Map<string, InstanceRecord>();
  const historySizes = new Map<string, number>();
  const keys = new Map<string, string>();
  const [instanceFiles, historyFiles, keyFiles] = await Promise.all(
    [layout.instances, layout.history, layout.keys].map((dir) => readdir(dir)),
  );

  await forEachLimit(instanceFiles!, 32, async (name) => {
    const file = path.join(layout.instances, name);
    if (name.endsWith('.tmp')) await rm(file, { force: true });
    else if (name.endsWith('.json')) {
      const record = await loadRecord(file);
      records.set(record.id, record);
    }
  });

  const byName = new Map<string, InstanceRecord>();
  for (const record of records.values()) byName.set(fileNameOf(record.id), record);
  const orphans = historyFiles!.filter((name) => !(name.endsWith('.jsonl') && byName.has(name.slice(0, -6))));
  await forEachLimit(orphans, 32, (name) => rm(path.join(layout.history, name), { force: true }));
  await forEachLimit([...byName], 32, async ([name, record]) => {
    historySizes.set(record.id, await recoverHistory(path.join(layout.history, `${name}.jsonl`), record, fsync));
  });

  await forEachLimit(keyFiles!, 32, async (name) => {
    const file = path.join(layout.keys, name);
    if (!name.endsWith('.json')) return void (await rm(file, { force: true }));
    const entry = parseJson(await readFile(file, 'utf8'), file, 'Idempotency key file') as {
      key?: unknown;
      instanceId?: unknown;
    };
    if (typeof entry?.key !== 'string' || typeof entry.instanceId !== 'string') {
      throw new StorageCorruptError('Idempotency key file lacks key or instanceId', file);
    }
    if (records.has(entry.instanceId)) keys.set(entry.key, entry.instanceId);
    else await rm(file, { force: true });
  });
  return { records, historySizes, keys };
}

import { afterAll, describe, expect, it } from '@jest/globals';
import { spawn, spawnSync } from 'node:child_process';
import { appendFile, mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { StorageCorruptError } from '../errors.js';
import { makeCreate, makeEvent, nextCommit } from '../testing/fixtures.js';
import { runStorageConformance } from '../testing/storage-conformance.js';
import { FileStorage, type FileStorageOptions } from './file-storage.js';
import { sha256 } from './fs-utils.js';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'wf-file-storage-'));
  dirs.push(dir);
  return dir;
}
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function openStorage(directory: string, options: Partial<FileStorageOptions> = {}): Promise<FileStorage> {
  const storage = new FileStorage({ directory, ...options });
  await storage.init();
  return storage;
}

runStorageConformance('file', async () => new FileStorage({ directory: await tempDir(), maxPayloadBytes: 1_048_576 }), {
  capabilities: { commitMany: true, writeBatch: false, claimWork: false, renewLeases: false, rewriteHistory: true, purge: true, acquireLease: false },
  maxPayloadBytes: 1_048_576,
  reopen: async (old) => {
    await old.close();
    return openStorage((old as FileStorage).directory);
  },
});

describe('FileStorage', () => {
  /** A store holding one instance with 3 events, closed; returns what a reopen must show. */
  async function storeWithHistory(dir: string) {
    const storage = await openStorage(dir);
    const { instance, events } = makeCreate({}, 2);
    await storage.createInstance(instance, events);
    const commit = nextCommit(instance, { state: 'RUNNING' }, 1);
    await storage.commit(commit);
    const history = await storage.getHistory(instance.id);
    await storage.close();
    const file = path.join(dir, 'history', `${instance.id}.jsonl`);
    return { record: commit.instance, history, file, content: await readFile(file, 'utf8') };
  }

  it('drops a torn last history line on reopen', async () => {
    const dir = await tempDir();
    const { record, history, file, content } = await storeWithHistory(dir);
    await appendFile(file, `{"instanceId":"${record.id}","seq":4,"ty`);
    const storage = await openStorage(dir);
    expect(await storage.getHistory(record.id)).toEqual(history);
    expect(await readFile(file, 'utf8')).toBe(content);
    await storage.commit(nextCommit(record));
    expect((await storage.getHistory(record.id)).map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    await storage.close();
  });

  it('drops history lines beyond the record seq (crash between append and rename)', async () => {
    const dir = await tempDir();
    const { record, history, file, content } = await storeWithHistory(dir);
    const orphan = [makeEvent(record.id, 4, 'workflow.failed'), makeEvent(record.id, 5, 'workflow.failed')];
    await appendFile(file, orphan.map((e) => `${JSON.stringify(e)}\n`).join(''));
    const storage = await openStorage(dir);
    expect(await storage.getHistory(record.id)).toEqual(history);
    expect(await readFile(file, 'utf8')).toBe(content);
    const commit = nextCommit(record, {}, 1);
    commit.events[0]!.type = 'workflow.completed';
    await storage.commit(commit);
    expect((await storage.getHistory(record.id, 3)).map((e) => e.type)).toEqual(['workflow.completed']);
    await storage.close();
  });

  it('cleans temp files, orphan history and key files without an instance', async () => {
    const dir = await tempDir();
    const { record } = await storeWithHistory(dir);
    const leftovers = [
      path.join(dir, 'instances', `${record.id}.tmp`),
      path.join(dir, 'keys', 'abc.json.123456.tmp'),
      path.join(dir, 'history', 'ghost.jsonl'),
      path.join(dir, 'keys', `${sha256('ghost-key')}.json`),
    ];
    await writeFile(leftovers[0]!, '{"half":');
    await writeFile(leftovers[1]!, '');
    await writeFile(leftovers[2]!, `${JSON.stringify(makeEvent('ghost', 1))}\n`);
    await writeFile(leftovers[3]!, JSON.stringify({ key: 'ghost-key', instanceId: 'ghost' }));
    const storage = await openStorage(dir);
    expect(await storage.getInstance(record.id)).toEqual(record);
    expect(await storage.findByIdempotencyKey('ghost-key')).toBeUndefined();
    const listing = (await Promise.all(['instances', 'history', 'keys'].map((d) => readdir(path.join(dir, d))))).flat();
    expect(listing.sort()).toEqual([`${record.id}.json`, `${record.id}.jsonl`].sort());
    const { instance, events } = makeCreate();
    expect((await storage.createInstance(instance, events, 'ghost-key')).created).toBe(true);
    await storage.close();
  });

  it('a purge deletes every file of the instance; a purge cut short after the record file is completed on open', async () => {
    const dir = await tempDir();
    const storage = await openStorage(dir);
    const purged: string[] = [];
    for (const key of ['purge-a', 'purge-b']) {
      const { instance, events } = makeCreate({ businessKey: key, uniqueBusinessKey: true }, 2);
      await storage.createInstance(instance, events, key);
      const commit = nextCommit(instance, { state: 'COMPLETED', purgeAfter: 1 }, 1);
      await storage.commit(commit);
      purged.push(instance.id);
    }
    expect(await storage.purgeInstances([{ id: purged[0]!, version: 2 }])).toEqual([purged[0]]);
    await storage.close();
    const listing = async () => (await Promise.all(['instances', 'history', 'keys'].map((d) => readdir(path.join(dir, d))))).flat().sort();
    expect(await listing()).toEqual([`${purged[1]}.json`, `${purged[1]}.jsonl`, `${sha256('purge-b')}.json`].sort());

    // A crash right after the record file of the second was deleted: its history and key file stay behind.
    await rm(path.join(dir, 'instances', `${purged[1]}.json`));
    const reopened = await openStorage(dir);
    expect(await listing()).toEqual([]);
    expect(await reopened.findByIdempotencyKey('purge-b')).toBeUndefined();
    const { instance, events } = makeCreate({ businessKey: 'purge-b', uniqueBusinessKey: true });
    expect((await reopened.createInstance(instance, events, 'purge-b')).created).toBe(true);
    await reopened.close();
  });

  it('refuses a second FileStorage on a locked directory, until the first closes', async () => {
    const dir = await tempDir();
    const first = await openStorage(dir);
    const second = new FileStorage({ directory: dir });
    const error = await second.init().catch((e: unknown) => e as Error);
    expect(error).toMatchObject({ code: 'WF_STORAGE_LOCKED' });
    expect((error as Error).message).toContain(dir);
    expect((error as Error).message).toContain(String(process.pid));
    await expect(second.getInstance('x')).rejects.toMatchObject({ code: 'WF_STORAGE_LOCKED' });
    await first.close();
    await second.init();
    expect(await readFile(path.join(dir, 'LOCK'), 'utf8')).toBe(`${process.pid}\n`);
    await second.close();
  });

  it('refuses a LOCK held by another live process, takes it over once that process died', async () => {
    const dir = await tempDir();
    await (await openStorage(dir)).close();
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      await writeFile(path.join(dir, 'LOCK'), `${child.pid}\n`);
      const storage = new FileStorage({ directory: dir });
      await expect(storage.init()).rejects.toThrow(new RegExp(`locked by process ${child.pid}\\b.*Stop the other process`));
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    }
    const storage = await openStorage(dir);
    expect(await readFile(path.join(dir, 'LOCK'), 'utf8')).toBe(`${process.pid}\n`);
    await storage.close();
  });

  it('takes over a stale LOCK (dead pid, or this pid with no FileStorage holding it)', async () => {
    const dir = await tempDir();
    const deadPid = spawnSync(process.execPath, ['-e', '']).pid;
    for (const pid of [deadPid, process.pid]) {
      await writeFile(path.join(dir, 'LOCK'), `${pid}\n`);
      const storage = await openStorage(dir);
      expect(await readFile(path.join(dir, 'LOCK'), 'utf8')).toBe(`${process.pid}\n`);
      await storage.close();
      await expect(readFile(path.join(dir, 'LOCK'))).rejects.toMatchObject({ code: 'ENOENT' });
    }
  });

  it('raises StorageCorruptError naming the file for corrupt instance JSON, and releases the lock', async () => {
    const dir = await tempDir();
    const { record } = await storeWithHistory(dir);
    const file = path.join(dir, 'instances', `${record.id}.json`);
    await writeFile(file, '{"id": "x", ');
    const error = await new FileStorage({ directory: dir }).init().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageCorruptError);
    expect((error as StorageCorruptError).location).toBe(file);
    expect((error as Error).message).toContain(file);
    await rm(file);
    await (await openStorage(dir)).close();
  });

  it('raises StorageCorruptError when committed history is missing', async () => {
    const dir = await tempDir();
    const { file, content } = await storeWithHistory(dir);
    await truncate(file, content.indexOf('\n') + 1);
    await expect(new FileStorage({ directory: dir }).init()).rejects.toThrow(StorageCorruptError);
  });

  it('works with fsync off, opens lazily, and refuses calls after close', async () => {
    const dir = await tempDir();
    const storage = new FileStorage({ directory: dir, fsync: false });
    const { instance, events } = makeCreate({}, 1);
    await storage.createInstance(instance, events, 'lazy');
    const commit = nextCommit(instance, { state: 'COMPLETED' }, 2);
    await storage.commit(commit);
    await storage.close();
    await storage.close();
    await expect(storage.getInstance(instance.id)).rejects.toMatchObject({ code: 'WF_ENGINE_CLOSED' });
    const reopened = await openStorage(dir, { fsync: false });
    expect(await reopened.getInstance(instance.id)).toEqual(commit.instance);
    expect(await reopened.findByIdempotencyKey('lazy')).toEqual(commit.instance);
    expect((await reopened.getHistory(instance.id)).map((e) => e.seq)).toEqual([1, 2, 3]);
    await reopened.close();
  });
  it('history rewrites: reads and commits running meanwhile see whole histories; a rewrite cut short is cleaned up', async () => {
    const dir = await tempDir();
    const storage = await openStorage(dir, { fsync: false });
    const { instance, events } = makeCreate({}, 40);
    await storage.createInstance(instance, events);
    let current = instance;
    const work: Array<Promise<unknown>> = [];
    for (let round = 1; round <= 15; round++) {
      work.push(storage.rewriteHistory(instance.id, events.map((e) => ({ seq: e.seq, data: { round, pad: 'x'.repeat(round * 7) } }))));
      const commit = nextCommit(current, {}, 1);
      current = commit.instance;
      work.push(storage.commit(commit));
    }
    let writing = true;
    const written = Promise.all(work).finally(() => (writing = false));
    let reads = 0;
    const reader = async () => {
      while (writing) {
        const history = await storage.getHistory(instance.id);
        expect(history.map((e) => e.seq)).toEqual(Array.from({ length: history.length }, (_, i) => i + 1));
        expect(new Set(history.slice(0, 40).map((e) => JSON.stringify(e.data))).size).toBe(1);
        reads += 1;
      }
    };
    await Promise.all([written, reader(), reader(), reader()]);
    expect(reads).toBeGreaterThan(5);
    const history = await storage.getHistory(instance.id);
    expect(history).toHaveLength(55);
    expect(history[0]!.data).toEqual({ round: 15, pad: 'x'.repeat(105) });
    await storage.close();

    // A crash between writing the new history and renaming it leaves a temp file: removed on open.
    await writeFile(path.join(dir, 'history', `${instance.id}.rewrite.tmp`), 'half-written');
    const reopened = await openStorage(dir);
    expect(await readdir(path.join(dir, 'history'))).toEqual([`${instance.id}.jsonl`]);
    expect(await reopened.getHistory(instance.id)).toEqual(history);
    await reopened.close();
  });
});

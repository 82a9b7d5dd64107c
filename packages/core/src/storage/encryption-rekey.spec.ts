import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import type { InstanceRecord } from '../model/instance.types.js';
import { makeCreate, nextCommit } from '../testing/fixtures.js';
import { EncryptedStorage } from './encrypted-storage.js';
import type { ReencryptProgress } from './encryption-rekey.js';
import { FileStorage } from './file-storage.js';
import { MemoryStorage } from './memory-storage.js';
import type { StorageAdapter } from './storage-adapter.js';

const A = randomBytes(32);
const B = randomBytes(32);
const json = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

const underA = (inner: StorageAdapter) => new EncryptedStorage(inner, { keys: { A }, currentKeyId: 'A' });
const rotated = (inner: StorageAdapter) => new EncryptedStorage(inner, { keys: { A, B }, currentKeyId: 'B' });
const onlyB = (inner: StorageAdapter) => new EncryptedStorage(inner, { keys: { B }, currentKeyId: 'B' });

/** An instance with a secret in its data, a step output, a signal payload and two of its three events. */
function secretInstance(n: number): { instance: InstanceRecord; events: ReturnType<typeof makeCreate>['events'] } {
  const { instance, events } = makeCreate(
    {
      id: `order-${String(n).padStart(3, '0')}`,
      createdAt: 1_700_000_000_000 + n,
      state: n % 2 === 0 ? 'COMPLETED' : 'WAITING',
      data: { card: `secret-${n}` },
      steps: { pay: { status: 'COMPLETED', attempt: 1, run: 1, scheduledAt: 1, completedAt: 2, output: { receipt: `r-${n}` }, completedSeq: 2 } },
      signals: [{ name: 'approve', payload: { note: `p-${n}` }, receivedAt: 4 }],
    },
    3,
  );
  events[0]!.data = { input: `secret-${n}` };
  events[1]!.data = { output: { receipt: `r-${n}` } };
  return { instance, events };
}

/** Writes `count` instances under key A; returns what reads should give back. */
async function seedUnderA(inner: StorageAdapter, count: number): Promise<Map<string, { record: InstanceRecord; history: unknown }>> {
  const storage = underA(inner);
  const expected = new Map<string, { record: InstanceRecord; history: unknown }>();
  for (let n = 1; n <= count; n++) {
    const { instance, events } = secretInstance(n);
    await storage.createInstance(instance, events);
    expected.set(instance.id, { record: json(instance), history: json(await storage.getHistory(instance.id)) });
  }
  return expected;
}

/** Every instance read through `storage` equals `expected` (record and history). */
async function expectReadable(storage: EncryptedStorage, expected: Map<string, { record: InstanceRecord; history: unknown }>): Promise<void> {
  for (const [id, { record, history }] of expected) {
    const read = (await storage.getInstance(id))!;
    expect({ ...read, version: record.version }).toEqual(record);
    expect(await storage.getHistory(id)).toEqual(history);
  }
}

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

const storages: Array<[string, () => Promise<{ inner: StorageAdapter; reopen: (old: StorageAdapter) => Promise<StorageAdapter> }>]> = [
  ['memory', async () => ({ inner: new MemoryStorage(), reopen: async (old) => old })],
  [
    'file',
    async () => {
      const directory = await mkdtemp(path.join(tmpdir(), 'wm-rekey-'));
      dirs.push(directory);
      return {
        inner: new FileStorage({ directory, fsync: false }),
        reopen: async (old) => {
          await old.close();
          return new FileStorage({ directory, fsync: false });
        },
      };
    },
  ],
];

describe.each(storages)('EncryptedStorage.reencrypt() on %s storage', (_name, open) => {
  it('moves every record and event from key A to key B, after which a storage with only B reads everything', async () => {
    const { inner, reopen } = await open();
    const expected = await seedUnderA(inner, 7);
    const storage = rotated(inner);
    expect(await storage.keyUsage()).toEqual({ instances: 7, keys: { A: 7 * 5 }, unencrypted: 0, done: true });

    const reports: ReencryptProgress[] = [];
    const result = await storage.reencrypt({ batchSize: 3, onProgress: (p) => void reports.push(p) });
    expect(result).toMatchObject({ instances: 7, records: 7, events: 14, keys: { A: 35 }, unencrypted: 0, done: true });
    expect(result.nextCursor).toBeUndefined();
    expect(reports.map((p) => p.instances)).toEqual([3, 6, 7]);
    expect(await storage.keyUsage()).toMatchObject({ instances: 7, keys: { B: 35 }, unencrypted: 0 });

    const after = onlyB(await reopen(inner));
    await expectReadable(after, expected);
    // Idempotent: nothing left to rewrite.
    expect(await after.reencrypt()).toMatchObject({ instances: 7, records: 0, events: 0, keys: { B: 35 }, done: true });
    await after.close();
  });

  it('resumes from the cursor of an interrupted run, rewriting nothing twice', async () => {
    const { inner } = await open();
    const expected = await seedUnderA(inner, 5);
    const storage = rotated(inner);
    const first = await storage.reencrypt({ batchSize: 2, maxInstances: 2 });
    expect(first).toMatchObject({ instances: 2, records: 2, events: 4, done: false });
    expect(first.nextCursor).toEqual(first.cursor);
    expect(await storage.keyUsage()).toMatchObject({ keys: { A: 15, B: 10 } });

    const aborted = new AbortController();
    const second = await storage.reencrypt({
      batchSize: 1,
      cursor: first.nextCursor!,
      signal: aborted.signal,
      onProgress: () => aborted.abort(),
    });
    expect(second).toMatchObject({ instances: 1, records: 1, done: false });

    const rest = await storage.reencrypt({ cursor: second.nextCursor! });
    expect(rest).toMatchObject({ instances: 2, records: 2, events: 4, keys: { A: 10 }, done: true });
    await expectReadable(onlyB(inner), expected);
  });

  it('loses nothing when an engine commits an instance during the pass (compare-and-swap)', async () => {
    const { inner } = await open();
    const expected = await seedUnderA(inner, 3);
    const storage = rotated(inner);
    const id = 'order-002';
    // The "engine" reads the instance before the pass and commits it right after the pass read it.
    const before = (await storage.getInstance(id))!;
    const realGetHistory = inner.getHistory.bind(inner);
    let committed = false;
    inner.getHistory = async (instanceId, afterSeq) => {
      const events = await realGetHistory(instanceId, afterSeq);
      if (instanceId === id && !committed) {
        committed = true;
        const commit = nextCommit(before, { data: { card: 'changed by the engine' } }, 1);
        commit.events[0]!.data = { by: 'engine' };
        await storage.commit(commit);
      }
      return events;
    };
    const result = await storage.reencrypt();
    inner.getHistory = realGetHistory;
    expect(committed).toBe(true);
    expect(result).toMatchObject({ instances: 3, done: true });
    // Its record was already under B after the engine's commit: not rewritten again.
    expect(result.records).toBe(2);

    const after = onlyB(inner);
    const record = (await after.getInstance(id))!;
    expect(record.data).toEqual({ card: 'changed by the engine' });
    expect(record.version).toBe(2);
    const history = await after.getHistory(id);
    expect(history.map((e) => e.data)).toEqual([...(expected.get(id)!.history as Array<{ data?: unknown }>).map((e) => e.data), { by: 'engine' }]);
    expect(await after.keyUsage()).toMatchObject({ keys: { B: 3 * 5 + 1 }, unencrypted: 0 });
  });
});

describe('EncryptedStorage re-encryption', () => {
  it('encrypts values stored before encryption was turned on', async () => {
    const inner = new MemoryStorage();
    const { instance, events } = secretInstance(1);
    await inner.createInstance(instance, events);
    const storage = onlyB(inner);
    expect(await storage.keyUsage()).toMatchObject({ keys: {}, unencrypted: 5 });
    expect(await storage.reencrypt()).toMatchObject({ records: 1, events: 2, done: true });
    expect(JSON.stringify(await inner.getInstance(instance.id))).not.toContain('secret-1');
    expect(JSON.stringify(await inner.getHistory(instance.id))).not.toContain('secret-1');
    expect((await storage.getInstance(instance.id))!.data).toEqual({ card: 'secret-1' });
  });

  it('counts values under a key that is no longer configured, and names it when asked to rewrite them', async () => {
    const inner = new MemoryStorage();
    await seedUnderA(inner, 1);
    const storage = onlyB(inner);
    expect(await storage.keyUsage()).toMatchObject({ instances: 1, keys: { A: 5 } });
    await expect(storage.reencrypt()).rejects.toMatchObject({ code: 'WF_ENCRYPTION_KEY_MISSING', message: expect.stringContaining('"A"') });
  });

  it('refuses to start over a storage that cannot rewrite history, and checks its options', async () => {
    const inner = new MemoryStorage();
    const storage = new EncryptedStorage(
      new Proxy(inner, { get: (target, prop) => (prop === 'rewriteHistory' ? undefined : Reflect.get(target, prop, target)) }),
      { keys: { B }, currentKeyId: 'B' },
    );
    await expect(storage.reencrypt()).rejects.toMatchObject({ code: 'WF_INPUT_INVALID', message: expect.stringContaining('rewriteHistory') });
    expect(await storage.keyUsage()).toMatchObject({ instances: 0, done: true });
    await expect(rotated(new MemoryStorage()).reencrypt({ batchSize: 0 })).rejects.toMatchObject({ code: 'WF_INPUT_INVALID', message: expect.stringContaining('batchSize') });
  });
});

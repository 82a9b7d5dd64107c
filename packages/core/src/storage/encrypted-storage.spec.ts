import { randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { WorkflowError } from '../errors.js';
import type { InstanceRecord } from '../model/instance.types.js';
import { makeCreate, nextCommit } from '../testing/fixtures.js';
import { runStorageConformance } from '../testing/storage-conformance.js';
import { EncryptedStorage } from './encrypted-storage.js';
import { MemoryStorage } from './memory-storage.js';
import type { ClaimedWork, Lease, StorageAdapter } from './storage-adapter.js';

const K1 = randomBytes(32);
const K2 = randomBytes(32);
const SECRET = 'card-4111-1111-1111-1111';
const json = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

const encrypted = (inner: StorageAdapter, currentKeyId = 'k1', keys: Record<string, Buffer | string> = { k1: K1 }): EncryptedStorage =>
  new EncryptedStorage(inner, { keys, currentKeyId });

runStorageConformance('encrypted memory', () => encrypted(new MemoryStorage()), {
  capabilities: { commitMany: true, writeBatch: false, claimWork: false, renewLeases: false, rewriteHistory: true, purge: true, acquireLease: false },
  reopen: async (old) => encrypted((old as EncryptedStorage).inner),
});

/** A record with the secret in every encrypted place, and two events (one carrying it). */
function secretCreate(): { instance: InstanceRecord; events: ReturnType<typeof makeCreate>['events'] } {
  const { instance, events } = makeCreate(
    {
      state: 'WAITING',
      data: { card: SECRET, nested: { list: [SECRET] } },
      steps: {
        pay: { status: 'COMPLETED', attempt: 1, run: 1, scheduledAt: 1, completedAt: 2, output: { receipt: SECRET }, completedSeq: 1 },
        approve: { status: 'WAITING', attempt: 1, run: 1, scheduledAt: 3, wait: { signal: 'approve' } },
      },
      signals: [{ name: 'approve', payload: { note: SECRET }, receivedAt: 4 }],
      timers: [{ id: 'deadline', kind: 'deadline', fireAt: 99 }],
      completions: 1,
    },
    2,
  );
  events[1]!.data = { output: { receipt: SECRET } };
  return { instance, events };
}

async function codeOf(promise: Promise<unknown>): Promise<{ code?: string; message: string } | undefined> {
  return promise.then(
    () => undefined,
    (e: unknown) => e as WorkflowError,
  );
}

describe('EncryptedStorage', () => {
  it('keeps no plaintext in the inner storage and hands out decrypted copies', async () => {
    const inner = new MemoryStorage();
    const storage = encrypted(inner);
    const { instance, events } = secretCreate();
    await storage.createInstance(instance, events, 'order-1');
    const v2 = nextCommit(instance, { data: { ...instance.data, more: SECRET } }, 1);
    v2.events[0]!.data = { secret: SECRET };
    await storage.commit(v2);

    const stored = await inner.getInstance(instance.id);
    const storedHistory = await inner.getHistory(instance.id);
    expect(JSON.stringify(stored)).not.toContain(SECRET);
    expect(JSON.stringify(storedHistory)).not.toContain(SECRET);
    expect(JSON.stringify(await inner.listInstances())).not.toContain(SECRET);
    expect(stored!.data).toEqual({ $enc: 'aes-256-gcm', kid: 'k1', iv: expect.any(String), tag: expect.any(String), ct: expect.any(String) });
    expect(stored!.steps.pay!.output).toMatchObject({ $enc: 'aes-256-gcm', kid: 'k1' });
    expect(stored!.signals[0]!.payload).toMatchObject({ $enc: 'aes-256-gcm' });
    // Ids, states, versions, timers stay in clear.
    expect(stored).toMatchObject({ id: instance.id, state: 'WAITING', version: 2, timers: instance.timers });
    expect(stored!.steps.approve).toEqual(instance.steps.approve);

    const read = await storage.getInstance(instance.id);
    expect(read).toEqual(json(v2.instance));
    expect(read).not.toBe(stored);
    expect(read!.steps).not.toBe(stored!.steps);
    expect(await storage.findByIdempotencyKey('order-1')).toEqual(json(v2.instance));
    expect((await storage.listInstances()).items).toEqual([json(v2.instance)]);
    expect(await storage.getHistory(instance.id)).toEqual(json([...events, ...v2.events]));
    expect(await storage.getHistory(instance.id, 2)).toEqual(json(v2.events));
    // The caller's records are not changed.
    expect(instance.data.card).toBe(SECRET);
  });

  it('uses a new IV per value', async () => {
    const inner = new MemoryStorage();
    const storage = encrypted(inner);
    const a = makeCreate({ data: { same: SECRET } });
    const b = makeCreate({ data: { same: SECRET } });
    await storage.createInstance(a.instance, a.events);
    await storage.createInstance(b.instance, b.events);
    const [ra, rb] = [await inner.getInstance(a.instance.id), await inner.getInstance(b.instance.id)];
    expect((ra!.data as { iv: string }).iv).not.toBe((rb!.data as { iv: string }).iv);
    expect((ra!.data as { ct: string }).ct).not.toBe((rb!.data as { ct: string }).ct);
  });

  it('rotates keys: old values read with their key, new ones use the current key', async () => {
    const inner = new MemoryStorage();
    const old = encrypted(inner, 'k1', { k1: K1 });
    const { instance, events } = secretCreate();
    await old.createInstance(instance, events);

    const rotated = encrypted(inner, 'k2', { k1: K1.toString('base64'), k2: K2.toString('hex') });
    expect(await rotated.getInstance(instance.id)).toEqual(json(instance));
    const v2 = nextCommit(instance, { data: { ...instance.data, after: 'rotation' } }, 1);
    v2.events[0]!.data = { after: SECRET };
    await rotated.commit(v2);

    const stored = await inner.getInstance(instance.id);
    expect(stored!.data).toMatchObject({ kid: 'k2' });
    expect(stored!.steps.pay!.output).toMatchObject({ kid: 'k2' });
    const history = await inner.getHistory(instance.id);
    expect(history.map((e) => (e.data as { kid?: string } | undefined)?.kid)).toEqual([undefined, 'k1', 'k2']);
    expect(await rotated.getInstance(instance.id)).toEqual(json(v2.instance));
    expect(await rotated.getHistory(instance.id)).toEqual(json([...events, ...v2.events]));

    // Without k1, the old history event cannot be read.
    const withoutK1 = encrypted(inner, 'k2', { k2: K2 });
    expect(await withoutK1.getInstance(instance.id)).toEqual(json(v2.instance));
    const error = await codeOf(withoutK1.getHistory(instance.id));
    expect(error).toBeInstanceOf(WorkflowError);
    expect(error).toMatchObject({ code: 'WF_ENCRYPTION_KEY_MISSING', details: { keyId: 'k1', instanceId: instance.id } });
    expect(error!.message).toContain('"k1"');
    expect(error!.message).toContain(instance.id);
  });

  it('refuses a value whose key id is not configured', async () => {
    const inner = new MemoryStorage();
    const { instance, events } = secretCreate();
    await encrypted(inner, 'old', { old: K1 }).createInstance(instance, events);
    const error = await codeOf(encrypted(inner, 'new', { new: K2 }).getInstance(instance.id));
    expect(error).toMatchObject({ code: 'WF_ENCRYPTION_KEY_MISSING', details: { keyId: 'old', instanceId: instance.id } });
    expect(error!.message).toMatch(/key id "old".*not configured.*"new"/);
  });

  it('refuses a wrong key and tampered values (never returns garbage)', async () => {
    const inner = new MemoryStorage();
    const { instance, events } = secretCreate();
    await encrypted(inner).createInstance(instance, events);

    const wrongKey = await codeOf(encrypted(inner, 'k1', { k1: K2 }).getInstance(instance.id));
    expect(wrongKey).toMatchObject({ code: 'WF_DECRYPTION_FAILED', details: { keyId: 'k1', instanceId: instance.id } });
    expect(wrongKey!.message).toContain(instance.id);

    const storage = encrypted(inner);
    const stored = (await inner.getInstance(instance.id))!;
    const envelope = stored.data as { ct: string; tag: string };
    const original = envelope.ct;
    const bytes = Buffer.from(original, 'base64');
    bytes[0] = bytes[0]! ^ 1;
    envelope.ct = bytes.toString('base64');
    const tampered = await codeOf(storage.getInstance(instance.id));
    expect(tampered).toMatchObject({ code: 'WF_DECRYPTION_FAILED', details: { instanceId: instance.id } });
    expect(tampered!.message).toContain('the data');
    envelope.ct = original;
    envelope.tag = Buffer.alloc(16).toString('base64');
    await expect(storage.getInstance(instance.id)).rejects.toMatchObject({ code: 'WF_DECRYPTION_FAILED' });
    envelope.tag = 'short';
    await expect(storage.getInstance(instance.id)).rejects.toMatchObject({ code: 'WF_DECRYPTION_FAILED' });

    // A value moved to another place (here: another instance) does not decrypt either.
    const other = makeCreate({ data: { x: 1 } });
    await storage.createInstance(other.instance, other.events);
    const otherStored = (await inner.getInstance(other.instance.id))!;
    otherStored.steps = { pay: { ...stored.steps.pay!, output: stored.steps.pay!.output! } };
    await expect(storage.getInstance(other.instance.id)).rejects.toMatchObject({ code: 'WF_DECRYPTION_FAILED' });
  });

  it('reads values stored before encryption was turned on as they are', async () => {
    const inner = new MemoryStorage();
    const { instance, events } = secretCreate();
    await inner.createInstance(instance, events);
    expect(await encrypted(inner).getInstance(instance.id)).toEqual(json(instance));
  });

  it('validates its options with messages that say what to pass', () => {
    const inner = new MemoryStorage();
    const make = (options: unknown): EncryptedStorage => new EncryptedStorage(inner, options as { keys: Record<string, Buffer>; currentKeyId: string });
    expect(() => make({ keys: { k1: randomBytes(16) }, currentKeyId: 'k1' })).toThrow(/key "k1" is 16 bytes; AES-256 needs 32/);
    expect(() => make({ keys: { k1: 'abc' }, currentKeyId: 'k1' })).toThrow(/key "k1" decodes \(as base64\) to 2 bytes/);
    expect(() => make({ keys: { k1: 'not a key!' }, currentKeyId: 'k1' })).toThrow(/neither hex nor base64.*randomBytes\(32\)/);
    expect(() => make({ keys: { k1: 42 }, currentKeyId: 'k1' })).toThrow(/key "k1" is number/);
    expect(() => make({ keys: {}, currentKeyId: 'k1' })).toThrow(/`keys` must map key ids to keys/);
    expect(() => make({ currentKeyId: 'k1' })).toThrow(/`keys` must map/);
    expect(() => make(undefined)).toThrow(/`keys` must map/);
    expect(() => make({ keys: { k1: K1 } })).toThrow(/`currentKeyId` must name the key.*"k1"/);
    expect(() => make({ keys: { k1: K1 }, currentKeyId: 'k2' })).toThrow(/`currentKeyId` "k2" is not in `keys` \("k1"\)/);
    expect(() => make({ keys: { k1: K1 }, currentKeyId: 'k2' })).toThrow(WorkflowError);
    expect(() => new EncryptedStorage(undefined as unknown as StorageAdapter, { keys: { k1: K1 }, currentKeyId: 'k1' })).toThrow(/inner must be a StorageAdapter/);
    // Accepted forms: Buffer, hex, base64, base64url.
    for (const key of [K1, K1.toString('hex'), K1.toString('base64'), K1.toString('base64url')]) {
      expect(make({ keys: { k1: key }, currentKeyId: 'k1' }).currentKeyId).toBe('k1');
    }
  });

  it('defines the optional methods only when the inner storage has them, and passes them through', async () => {
    const plain = encrypted(new MemoryStorage());
    expect('claimWork' in plain).toBe(false);
    expect('renewLeases' in plain).toBe(false);
    expect('prefersGroupCommit' in plain).toBe(false);
    expect('groupCommitWriters' in plain).toBe(false);
    expect(typeof plain.commitMany).toBe('function');

    const calls: string[] = [];
    const leasing: StorageAdapter = Object.assign(new MemoryStorage(), {
      prefersGroupCommit: true,
      groupCommitWriters: 2,
      async claimWork(lease: Lease, now: number, limit: number): Promise<ClaimedWork[]> {
        calls.push(`claim ${lease.owner} ${now} ${limit}`);
        return [{ kind: 'step', instanceId: 'i', stepId: 's', attempt: 1 }];
      },
      async renewLeases(lease: Lease, items: ClaimedWork[]): Promise<void> {
        calls.push(`renew ${lease.owner} ${items.length}`);
      },
    });
    const storage = encrypted(leasing);
    expect(storage.prefersGroupCommit).toBe(true);
    expect(storage.groupCommitWriters).toBe(2);
    expect(await storage.claimWork!({ owner: 'a', until: 2 }, 1, 5)).toEqual([{ kind: 'step', instanceId: 'i', stepId: 's', attempt: 1 }]);
    await storage.renewLeases!({ owner: 'a', until: 3 }, []);
    expect(calls).toEqual(['claim a 1 5', 'renew a 0']);

    // createInstance hands the lease on; commitMany encrypts every commit.
    const seen: unknown[] = [];
    const spy: StorageAdapter = new MemoryStorage();
    const create = spy.createInstance.bind(spy);
    spy.createInstance = async (instance, events, key, lease) => {
      seen.push(lease);
      return create(instance, events, key, lease);
    };
    const viaSpy = encrypted(spy);
    const { instance, events } = secretCreate();
    await viaSpy.createInstance(instance, events, undefined, { owner: 'me', until: 9 });
    expect(seen).toEqual([{ owner: 'me', until: 9 }]);
    const results = await viaSpy.commitMany!([nextCommit(instance, { data: { x: SECRET } }), nextCommit(instance)]);
    expect(results[0]).toBeUndefined();
    expect(results[1]).toMatchObject({ code: 'WF_CONCURRENCY' });
    expect(JSON.stringify(await spy.getInstance(instance.id))).not.toContain(SECRET);
  });
});

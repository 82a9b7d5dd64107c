/** Records and event data over `maxPayloadBytes` are refused with a clear error, and nothing is written. */
import { afterAll, afterEach, describe, expect, it } from '@jest/globals';
import { makeCreate, makeInstance, nextCommit } from '@workflow-mastery/core/testing';
import { PayloadTooLargeError, TypeOrmStorage } from '../src/index.js';
import { uniquePrefix } from './support/databases.js';
import { availableTargets, closeStorages, openStorage } from './support/targets.js';

const targets = await availableTargets();
afterEach(closeStorages);
afterAll(async () => {
  for (const target of targets) await target.cleanup();
});

const LIMIT = 64 * 1024;
const small = () => new TypeOrmStorage({ type: 'better-sqlite3', maxPayloadBytes: LIMIT });

describe('payload limit', () => {
  it('refuses a new record over the limit, naming the instance, the size, the limit and the option', async () => {
    const storage = small();
    await storage.init();
    const { instance, events } = makeCreate({ data: { blob: 'x'.repeat(LIMIT) } });
    const before = storage.stats.transactions;
    const error = await storage.createInstance(instance, events, 'key-1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PayloadTooLargeError);
    const size = Buffer.byteLength(JSON.stringify(instance));
    expect(error).toMatchObject({ code: 'WF_PAYLOAD_TOO_LARGE', instanceId: instance.id, bytes: size, limit: LIMIT });
    const message = (error as Error).message;
    for (const part of [instance.id, `${size} bytes`, `${LIMIT} bytes`, 'maxPayloadBytes', 'nothing was stored']) expect(message).toContain(part);
    expect(storage.stats.transactions).toBe(before); // refused before any transaction
    expect(await storage.getInstance(instance.id)).toBeUndefined();
    expect(await storage.findByIdempotencyKey('key-1')).toBeUndefined();
    expect(await storage.getHistory(instance.id)).toEqual([]);
    await storage.close();
  });

  it('counts bytes, not characters', async () => {
    const storage = small();
    const { instance, events } = makeCreate({ data: { text: 'é'.repeat(LIMIT / 2) } }); // under the limit in characters
    await expect(storage.createInstance(instance, events)).rejects.toBeInstanceOf(PayloadTooLargeError);
    await storage.close();
  });

  it('refuses a commit over the limit and leaves the instance as it was', async () => {
    const storage = small();
    const { instance, events } = makeCreate();
    await storage.createInstance(instance, events);
    await expect(storage.commit(nextCommit(instance, { data: { blob: 'x'.repeat(LIMIT) } }))).rejects.toMatchObject({ code: 'WF_PAYLOAD_TOO_LARGE' });
    const big = nextCommit(instance);
    big.events[0]!.data = { blob: 'x'.repeat(LIMIT) };
    await expect(storage.commit(big)).rejects.toMatchObject({ code: 'WF_PAYLOAD_TOO_LARGE', part: 'event 2' });
    expect(await storage.getInstance(instance.id)).toEqual(JSON.parse(JSON.stringify(instance)));
    expect((await storage.getHistory(instance.id)).map((e) => e.seq)).toEqual([1]);
    await storage.close();
  });

  it('fails only the oversized commit of a group commit', async () => {
    const storage = small();
    const [a, b] = [makeCreate(), makeCreate()];
    await storage.createInstance(a.instance, a.events);
    await storage.createInstance(b.instance, b.events);
    const results = await storage.commitMany([
      nextCommit(a.instance, { data: { blob: 'x'.repeat(LIMIT) } }),
      nextCommit(b.instance, { state: 'RUNNING' }),
    ]);
    expect(results[0]).toBeInstanceOf(PayloadTooLargeError);
    expect(results[1]).toBeUndefined();
    expect((await storage.getInstance(a.instance.id))?.version).toBe(1);
    expect((await storage.getInstance(b.instance.id))?.version).toBe(2);
    await storage.close();
  });

  it('refuses a limit below 1 KiB', () => {
    expect(() => new TypeOrmStorage({ type: 'better-sqlite3', maxPayloadBytes: 10 })).toThrow(/maxPayloadBytes/);
  });
});

describe.each(targets.map((t) => [t.name, t] as const))('large records on %s', (_name, target) => {
  it('stores a record just under the default 1 MiB limit, and 3 MiB once raised', async () => {
    const prefix = uniquePrefix('big');
    const storage = openStorage(target, prefix);
    const nearly = makeInstance({ data: { blob: 'é✓'.repeat(170_000), emoji: '😀' } }); // ~1,020,000 bytes
    expect(Buffer.byteLength(JSON.stringify(nearly))).toBeLessThan(1_048_576);
    await storage.createInstance(nearly, []);
    expect(await storage.getInstance(nearly.id)).toEqual(nearly);
    const over = makeInstance({ data: { blob: 'x'.repeat(1_048_576) } });
    await expect(storage.createInstance(over, [])).rejects.toBeInstanceOf(PayloadTooLargeError);
    await storage.close();

    const raised = openStorage(target, prefix, { maxPayloadBytes: 4 * 1_048_576 });
    const huge = makeInstance({ data: { blob: 'y'.repeat(3 * 1_048_576) } });
    await raised.createInstance(huge, []);
    expect((await raised.getInstance(huge.id))?.data.blob).toHaveLength(3 * 1_048_576);
    await raised.close();
  });
});

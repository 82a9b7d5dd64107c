import { describe, expect, it } from '@jest/globals';
import { ConcurrencyError } from '../errors.js';
import { silentLogger } from '../logger.js';
import { MemoryStorage } from '../storage/memory-storage.js';
import type { CreateResult, StorageAdapter, WriteBatch, WriteBatchResult } from '../storage/storage-adapter.js';
import { makeCreate, nextCommit } from '../testing/fixtures.js';
import { CommitBatcher } from './commit-batcher.js';
import { WorkflowEngine } from './workflow-engine.js';

/** A MemoryStorage with a `writeBatch` made of its own calls, recording the batches. */
function batchingStorage(): { storage: StorageAdapter & Required<Pick<StorageAdapter, 'commitMany'>>; batches: WriteBatch[]; commitBatches: number[] } {
  const inner = new MemoryStorage();
  const batches: WriteBatch[] = [];
  const commitBatches: number[] = [];
  const storage = Object.assign(Object.create(inner) as MemoryStorage, {
    prefersGroupCommit: true,
    commitMany: (commits: Parameters<MemoryStorage['commitMany']>[0]) => {
      commitBatches.push(commits.length);
      return inner.commitMany(commits);
    },
    writeBatch: async (batch: WriteBatch): Promise<WriteBatchResult> => {
      batches.push(batch);
      const creates: Array<CreateResult | Error> = [];
      for (const c of batch.creates) {
        creates.push(await inner.createInstance(c.instance, c.events, c.idempotencyKey).catch((e: unknown) => e as Error));
      }
      return { creates, commits: await inner.commitMany(batch.commits) };
    },
  });
  return { storage, batches, commitBatches };
}

describe('CommitBatcher', () => {
  it('writes creates and commits issued together in one writeBatch, each with its own outcome', async () => {
    const { storage, batches } = batchingStorage();
    const existing = makeCreate();
    await storage.createInstance(existing.instance, existing.events);
    const batcher = new CommitBatcher(storage);
    const [a, b] = [makeCreate(), makeCreate({ id: existing.instance.id })];
    const outcomes = await Promise.allSettled([
      batcher.create({ instance: a.instance, events: a.events }),
      batcher.create(b),
      batcher.commit(nextCommit(existing.instance)),
      batcher.commit({ ...nextCommit(existing.instance), expectedVersion: 4 }),
    ]);
    expect(batches).toHaveLength(1);
    expect(batches[0]!.creates).toHaveLength(2);
    expect(batches[0]!.commits).toHaveLength(2);
    expect(outcomes[0]).toEqual({ status: 'fulfilled', value: { created: true, instance: a.instance } });
    expect(outcomes[1]).toMatchObject({ status: 'rejected' });
    expect((outcomes[1] as PromiseRejectedResult).reason).toBeInstanceOf(ConcurrencyError);
    expect(outcomes[2]).toEqual({ status: 'fulfilled', value: undefined });
    expect((outcomes[3] as PromiseRejectedResult).reason).toBeInstanceOf(ConcurrencyError);
  });

  it('creates on their own through createInstance when the storage has no writeBatch', async () => {
    const inner = new MemoryStorage();
    const batcher = new CommitBatcher(inner);
    const a = makeCreate();
    await expect(batcher.create(a)).resolves.toEqual({ created: true, instance: a.instance });
    expect(await inner.getInstance(a.instance.id)).toBeDefined();
  });

  it('shares the writes waiting when writers are free evenly among them, written at once', async () => {
    const { storage, commitBatches } = batchingStorage();
    const instances = [];
    for (let i = 0; i < 50; i++) {
      const created = makeCreate();
      await storage.createInstance(created.instance, created.events);
      instances.push(created.instance);
    }
    let running = 0;
    let most = 0;
    const slow = Object.assign(Object.create(storage) as StorageAdapter, {
      commitMany: async (commits: Parameters<MemoryStorage['commitMany']>[0]) => {
        most = Math.max(most, ++running);
        await new Promise((resolve) => setTimeout(resolve, 5));
        running--;
        return storage.commitMany(commits);
      },
    }) as StorageAdapter & Required<Pick<StorageAdapter, 'commitMany'>>;
    const batcher = new CommitBatcher(slow, { writers: 2 });
    await Promise.all(instances.map((instance) => batcher.commit(nextCommit(instance))));
    expect(commitBatches).toEqual([25, 25]);
    expect(most).toBe(2);
    // One writer (the default without the storage's groupCommitWriters): everything in one batch.
    const one = new CommitBatcher(storage);
    const current = await Promise.all(instances.map((i) => storage.getInstance(i.id)));
    commitBatches.length = 0;
    await Promise.all(current.map((instance) => one.commit(nextCommit(instance!))));
    expect(commitBatches).toEqual([50]);
  });

  it('refuses writers or maxBatch that are not positive integers, naming the option', () => {
    const { storage } = batchingStorage();
    expect(() => new CommitBatcher(storage, { writers: 0 })).toThrow('groupCommit.writers must be a positive integer, got 0.');
    expect(() => new CommitBatcher(storage, { maxBatch: 1.5 })).toThrow('groupCommit.maxBatch must be a positive integer, got 1.5.');
  });

  it('rejects every item of a batch the storage could not write', async () => {
    const { storage } = batchingStorage();
    const failing = Object.assign(Object.create(storage) as StorageAdapter, {
      commitMany: storage.commitMany,
      writeBatch: () => Promise.reject(new Error('database gone')),
    }) as StorageAdapter & Required<Pick<StorageAdapter, 'commitMany'>>;
    const batcher = new CommitBatcher(failing);
    const a = makeCreate();
    await expect(batcher.create(a)).rejects.toThrow('database gone');
  });
});

describe('WorkflowEngine with writeBatch', () => {
  it('hands starts to the batcher and keeps idempotency keys: a duplicate key returns the first instance', async () => {
    const { storage, batches } = batchingStorage();
    const engine = new WorkflowEngine({ storage, logger: silentLogger });
    engine.registerAction('a', () => ({ a: 1 }));
    engine.registerDefinition({ name: 'wb', steps: { a: { action: 'a' } } });
    const started = await Promise.all(Array.from({ length: 20 }, (_, i) => engine.start('wb', {}, { idempotencyKey: `k${i % 10}` })));
    expect(new Set(started.map((i) => i.id)).size).toBe(10);
    for (let i = 0; i < 10; i++) expect(started[i + 10]!.id).toBe(started[i]!.id);
    for (const inst of started) expect((await engine.waitFor(inst.id)).data).toEqual({ a: 1 });
    expect(batches.some((b) => b.creates.length > 1)).toBe(true);
    expect((await storage.listInstances()).items).toHaveLength(10);
    await engine.close();
  });
});

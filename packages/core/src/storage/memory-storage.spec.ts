import { describe, expect, it } from '@jest/globals';
import { makeCreate, nextCommit } from '../testing/fixtures.js';
import { runStorageConformance } from '../testing/storage-conformance.js';
import { MemoryStorage } from './memory-storage.js';

// close() keeps the data, so "reopen" is the same object: engine restart tests rely on that.
runStorageConformance('memory', () => new MemoryStorage({ maxPayloadBytes: 1_048_576 }), {
  capabilities: { commitMany: true, writeBatch: false, claimWork: false, renewLeases: false, rewriteHistory: true, purge: true, acquireLease: false },
  maxPayloadBytes: 1_048_576,
  reopen: async (old) => old,
});

describe('MemoryStorage', () => {
  it('rejects events whose seq does not continue the history', async () => {
    const storage = new MemoryStorage();
    const { instance, events } = makeCreate({}, 2);
    await storage.createInstance(instance, events);
    const commit = nextCommit(instance, {}, 2);
    commit.events[1]!.seq = 9;
    await expect(storage.commit(commit)).rejects.toThrow(/seq 4/);
    expect(await storage.getInstance(instance.id)).toBe(instance);
  });

  it('rejects a new instance whose seq is not its last event', async () => {
    const storage = new MemoryStorage();
    const { instance, events } = makeCreate({}, 2);
    await expect(storage.createInstance({ ...instance, seq: 5 }, events)).rejects.toThrow(/seq 5/);
  });
});

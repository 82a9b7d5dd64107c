/** PayloadStoreStorage: the conformance suite with values offloaded, and an engine whose large results go to files. */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { ActionResult } from '../actions/action-result.js';
import { WorkflowEngine } from '../engine/workflow-engine.js';
import { silentLogger } from '../logger.js';
import { runStorageConformance } from '../testing/storage-conformance.js';
import { MemoryStorage } from './memory-storage.js';
import { FilePayloadStore } from './payload-store.js';
import { isPayloadRef, PayloadStoreStorage } from './payload-store-storage.js';

const dirs: string[] = [];
const tempDir = async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'wm-payloads-'));
  dirs.push(dir);
  return dir;
};
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

// Every value over 256 bytes goes through the file store and back.
runStorageConformance('payload store over memory', async () => new PayloadStoreStorage(new MemoryStorage(), { store: new FilePayloadStore({ directory: await tempDir(), fsync: false }), offloadAboveBytes: 256 }), {
  capabilities: { commitMany: true, writeBatch: false, claimWork: false, renewLeases: false, rewriteHistory: false, purge: true, acquireLease: false },
  reopen: async (old) => old,
});

describe('PayloadStoreStorage', () => {
  it("keeps a step result over the inner storage's limit in the store, and hands it back to the next step and to readers", async () => {
    const directory = await tempDir();
    const inner = new MemoryStorage({ maxPayloadBytes: 65_536 });
    const storage = new PayloadStoreStorage(inner, { store: new FilePayloadStore({ directory }), offloadAboveBytes: 8192 });
    const seen: number[] = [];
    const engine = new WorkflowEngine({
      storage,
      logger: silentLogger,
      actions: {
        produce: () => ActionResult.success({ report: 'r'.repeat(2_000_000) }),
        consume: (ctx) => {
          seen.push(String(ctx.data.report).length);
          return ActionResult.success({ done: true });
        },
      },
      definitions: [{ name: 'big', steps: { produce: { action: 'produce' }, consume: { action: 'consume' } }, transitions: [{ from: 'produce', to: 'consume' }] }],
    });
    const inst = await engine.waitFor((await engine.start('big')).id, { until: 'terminal' });
    expect(inst.state).toBe('COMPLETED');
    expect(seen).toEqual([2_000_000]);
    expect(String((await engine.getInstance(inst.id)).data.report)).toHaveLength(2_000_000);
    const completed = (await engine.getHistory(inst.id)).find((e) => e.type === 'step.completed' && e.stepId === 'produce');
    expect(JSON.stringify(completed?.data)).toContain('r'.repeat(1000));
    // The inner storage holds references only; the values are files.
    const raw = await inner.getInstance(inst.id);
    expect(isPayloadRef(raw!.data)).toBe(true);
    expect((await readdir(directory)).length).toBeGreaterThan(0);
    await engine.close();
  });

  it('reports a reference the store has lost as corrupt storage, naming the instance and the field', async () => {
    const inner = new MemoryStorage();
    const storage = new PayloadStoreStorage(inner, { store: { put: async () => undefined, get: async () => undefined }, offloadAboveBytes: 256 });
    const engine = new WorkflowEngine({ storage, logger: silentLogger, actions: { ok: () => ActionResult.success() }, definitions: [{ name: 'f', steps: { a: { action: 'ok' } } }] });
    const inst = await engine.start('f', { blob: 'x'.repeat(1000) });
    await expect(storage.getInstance(inst.id)).rejects.toMatchObject({ code: 'WF_STORAGE_CORRUPT', message: expect.stringContaining(`The data of instance ${inst.id} refers to sha256-`) });
    await engine.close().catch(() => undefined);
  });
});

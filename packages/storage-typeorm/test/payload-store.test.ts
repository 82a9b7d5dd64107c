/** The 2 MB step result on SQLite (limit 1 MiB): refused and failed once without a payload store, completed with one. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { ActionResult, FilePayloadStore, PayloadStoreStorage, silentLogger, WorkflowEngine, type StorageAdapter } from '@workflow-mastery/core';
import { TypeOrmStorage } from '../src/index.js';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function run(storage: StorageAdapter) {
  let calls = 0;
  const engine = new WorkflowEngine({
    storage,
    logger: silentLogger,
    actions: {
      big: () => {
        calls++;
        return ActionResult.success({ report: 'r'.repeat(2 * 1_048_576) });
      },
    },
    definitions: [{ name: 'big', steps: { big: { action: 'big', retry_attempts: 3, retry_delay: 0 } } }],
  });
  const inst = await engine.waitFor((await engine.start('big')).id, { until: 'terminal', timeoutMs: 20_000 });
  await engine.close();
  return { inst, calls };
}

describe('a 2 MB step result on SQLite', () => {
  it('fails the step once with WF_PAYLOAD_TOO_LARGE on the bare storage', async () => {
    const { inst, calls } = await run(new TypeOrmStorage({ type: 'better-sqlite3', database: ':memory:' }));
    expect([inst.state, inst.error?.code, calls]).toEqual(['FAILED', 'WF_PAYLOAD_TOO_LARGE', 1]);
  });

  it('completes through a file payload store', async () => {
    const directory = await mkdtemp(path.join(tmpdir(), 'wm-payloads-'));
    dirs.push(directory);
    const storage = new PayloadStoreStorage(new TypeOrmStorage({ type: 'better-sqlite3', database: ':memory:' }), { store: new FilePayloadStore({ directory }) });
    const { inst, calls } = await run(storage);
    expect([inst.state, calls, String(inst.data.report).length]).toEqual(['COMPLETED', 1, 2 * 1_048_576]);
  });
});

/**
 * Retiring an encryption key on every database: instances written under key A, an engine rotated
 * to B keeps working them while a separate connection (another process, as the CLI's `reencrypt`)
 * runs the re-encryption pass; afterwards an engine given only key B reads and finishes everything.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from '@jest/globals';
import { ActionResult, EncryptedStorage, silentLogger, WorkflowEngine, type WorkflowDefinitionInput } from '@workflow-mastery/core';
import { uniquePrefix } from './support/databases.js';
import { availableTargets, closeStorages, openStorage, type Target } from './support/targets.js';

const targets = await availableTargets();
afterAll(async () => {
  await closeStorages();
  for (const target of targets) await target.cleanup();
});

const A = randomBytes(32);
const B = randomBytes(32);

const flow: WorkflowDefinitionInput = {
  name: 'card_payment',
  version: '1',
  steps: { hold: { action: 'hold' }, charge: { action: 'charge' } },
  transitions: [{ from: 'hold', to: 'charge' }],
};

function encrypted(target: Target, prefix: string, keys: Record<string, Buffer>, currentKeyId: string): EncryptedStorage {
  return new EncryptedStorage(openStorage(target, prefix), { keys, currentKeyId });
}

async function engineOn(storage: EncryptedStorage, owner: string): Promise<WorkflowEngine> {
  await storage.init();
  const engine = new WorkflowEngine({ storage, owner, logger: silentLogger, pollIntervalMs: 20, leaseMs: 2_000, shutdownTimeoutMs: 50 });
  engine.registerAction('hold', () => ActionResult.wait({ signal: 'go' }));
  engine.registerAction('charge', (ctx) => ActionResult.success({ receipt: `receipt-of-${String(ctx.data.card)}` }));
  engine.registerDefinition(flow);
  return engine;
}

describe.each(targets.map((t) => [t.name, t] as const))('retiring key A on %s', (_name, target) => {
  it('an engine rotated to B works on during the pass; then key B alone reads and finishes everything', async () => {
    const prefix = uniquePrefix('rekey');
    const first = await engineOn(encrypted(target, prefix, { A }, 'A'), 'first');
    const ids: string[] = [];
    for (let n = 0; n < 6; n++) ids.push((await first.start('card_payment', { card: `4111-${n}` })).id);
    for (const id of ids.slice(0, 3)) {
      await first.signal(id, 'go', { note: 'early' });
      expect((await first.waitFor(id, { until: 'terminal', timeoutMs: 10_000 })).state).toBe('COMPLETED');
    }
    for (const id of ids.slice(3)) expect((await first.waitFor(id)).state).toBe('WAITING');
    await first.close();

    const rotatedEngine = await engineOn(encrypted(target, prefix, { A, B }, 'B'), 'rotated');
    const pass = encrypted(target, prefix, { A, B }, 'B');
    const [result] = await Promise.all([
      pass.reencrypt({ batchSize: 2 }),
      (async () => {
        for (const id of ids.slice(3)) await rotatedEngine.signal(id, 'go', { note: 'during the pass' });
      })(),
    ]);
    expect(result).toMatchObject({ instances: 6, done: true });
    for (const id of ids) expect((await rotatedEngine.waitFor(id, { until: 'terminal', timeoutMs: 10_000 })).state).toBe('COMPLETED');
    await rotatedEngine.close();
    // Whatever the pass did not rewrite (the engine got there first), the engine wrote under B.
    const usage = await pass.keyUsage();
    expect(usage).toMatchObject({ instances: 6, unencrypted: 0, done: true });
    expect(Object.keys(usage.keys)).toEqual(['B']);
    await pass.close();

    const onlyB = encrypted(target, prefix, { B }, 'B');
    const last = await engineOn(onlyB, 'only-b');
    for (const [n, id] of ids.entries()) {
      const inst = await last.getInstance(id);
      expect(inst.data).toMatchObject({ card: `4111-${n}`, receipt: `receipt-of-4111-${n}` });
      const history = await last.getHistory(id);
      expect(history.some((e) => JSON.stringify(e.data ?? {}).includes(`4111-${n}`))).toBe(true);
    }
    await last.close();
  });
});

/**
 * Two WorkflowEngines sharing one database through two TypeOrmStorages: workflows with a retry
 * (a durable timer) all complete, every attempt runs exactly once, and the commits go through
 * group commit.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { ActionResult, silentLogger, WorkflowEngine, type ActionContext, type WorkflowDefinitionInput } from '@workflow-mastery/core';
import { uniquePrefix } from './support/databases.js';
import { availableTargets, openStorage } from './support/targets.js';

const targets = await availableTargets();
afterAll(async () => {
  for (const target of targets) await target.cleanup();
});

const flow: WorkflowDefinitionInput = {
  name: 'ship',
  version: '1',
  steps: {
    reserve: { action: 'reserve' },
    charge: { action: 'charge', retry_attempts: 2, retry_delay: '20ms' },
    notify: { action: 'notify' },
  },
  transitions: [
    { from: 'reserve', to: 'charge' },
    { from: 'charge', to: 'notify' },
  ],
};

describe.each(targets.map((t) => [t.name, t] as const))('two engines on %s', (_name, target) => {
  it('complete every workflow, running each attempt once', async () => {
    const prefix = uniquePrefix('eng');
    const runs = new Map<string, number>();
    const count = (name: string) => (ctx: ActionContext) => {
      const k = `${name}/${ctx.workflowId}/${ctx.attempt}`;
      runs.set(k, (runs.get(k) ?? 0) + 1);
    };
    // Both open at once: their migrations take turns (advisory lock / GET_LOCK / SQLite's queue).
    const engines = await Promise.all(
      ['one', 'two'].map(async (owner) => {
        const storage = openStorage(target, prefix);
        await storage.init();
        const engine = new WorkflowEngine({ storage, owner, logger: silentLogger, pollIntervalMs: 20, leaseMs: 2_000 });
        engine.registerAction('reserve', (ctx) => (count('reserve')(ctx), ActionResult.success({ reserved: true })));
        engine.registerAction('charge', (ctx) => {
          count('charge')(ctx);
          return ctx.attempt === 1 ? ActionResult.failure('card declined, try again') : ActionResult.success({ charged: true });
        });
        engine.registerAction('notify', (ctx) => (count('notify')(ctx), ActionResult.success()));
        engine.registerDefinition(flow);
        return { engine, storage };
      }),
    );
    const [a, b] = engines as [(typeof engines)[0], (typeof engines)[0]];
    const started = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).engine.start('ship', { order: i })));
    const done = await Promise.all(started.map((inst) => a.engine.waitFor(inst.id, { timeoutMs: 15_000 })));
    expect(done.map((d) => d.state)).toEqual(Array(20).fill('COMPLETED'));
    expect(done.every((d) => d.data.charged === true && d.steps.charge!.attempt === 2)).toBe(true);
    expect(runs.size).toBe(20 * 4);
    expect([...runs.values()].every((n) => n === 1)).toBe(true);
    expect((await a.storage.claimWork({ owner: 'probe', until: Date.now() + 1 }, Date.now() + 60_000, 10))).toEqual([]);
    await Promise.all(engines.map((e) => e.engine.close()));
  });
});

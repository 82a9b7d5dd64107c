/** The engine over the storage's definition store: every instance can be continued by any engine with the actions. */
import { describe, expect, it } from '@jest/globals';
import { ActionResult } from '../actions/action-result.js';
import type { WorkflowDefinitionInput } from '../definition/definition.types.js';
import { silentLogger } from '../logger.js';
import type { HistoryEvent, InstanceRecord } from '../model/instance.types.js';
import { MemoryStorage } from '../storage/memory-storage.js';
import type { Lease } from '../storage/storage-adapter.js';
import { ManualClock } from './clock.js';
import { WorkflowEngine } from './workflow-engine.js';

const waitThenDone = (steps: string[]): WorkflowDefinitionInput => ({
  name: 'restore_test',
  version: '1.0',
  steps: Object.fromEntries(steps.map((id) => [id, { action: id }])),
  transitions: steps.slice(1).map((to, i) => ({ from: steps[i]!, to })),
});

function engineOn(storage: MemoryStorage, actions: Record<string, () => unknown> = {}) {
  const engine = new WorkflowEngine({ storage, logger: silentLogger, clock: new ManualClock(), shutdownTimeoutMs: 10 });
  engine.registerAction('a', () => ActionResult.wait({ signal: 'go' }));
  for (const name of ['b', 'c']) engine.registerAction(name, () => ActionResult.success());
  for (const [name, fn] of Object.entries(actions)) engine.registerAction(name, fn as () => ActionResult);
  return engine;
}

const codeOf = (promise: Promise<unknown>) => promise.then(() => 'resolved', (e: { code?: string }) => e.code);

describe('definitions are stored with the instances', () => {
  it('an instance started with an inline definition is finished by a second engine that never registered it', async () => {
    const storage = new MemoryStorage();
    const first = engineOn(storage, { b: () => ActionResult.success({ b: 1 }) });
    const started = await first.start(waitThenDone(['a', 'b']), { order: 'A-1' });
    expect((await first.waitFor(started.id)).state).toBe('WAITING');
    await first.close();

    const second = engineOn(storage, { b: () => ActionResult.success({ b: 2 }) });
    await second.signal(started.id, 'go', { approved: true });
    const done = await second.waitFor(started.id, { until: 'terminal' });
    expect(done.state).toBe('COMPLETED');
    expect(done.data).toEqual({ order: 'A-1', approved: true, b: 2 });
    expect(second.getDefinition('restore_test', '1.0').steps.b).toBeDefined();
    await second.close();
  });

  it('instances of version 1 go on after a release that registers only version 2; new starts take version 2', async () => {
    const storage = new MemoryStorage();
    const v1 = engineOn(storage);
    v1.registerDefinition({ ...waitThenDone(['a', 'b']), name: 'orders', version: '1' });
    const old = await v1.start('orders');
    await v1.waitFor(old.id);
    await v1.close();

    const v2 = engineOn(storage, { b: () => ActionResult.success({ path: 'v1' }), c: () => ActionResult.success({ path: 'v2' }) });
    v2.registerDefinition({ ...waitThenDone(['a', 'c']), name: 'orders', version: '2' });
    const fresh = await v2.start('orders');
    expect(fresh.definitionVersion).toBe('2');
    await v2.signal(old.id, 'go');
    expect((await v2.waitFor(old.id, { until: 'terminal' })).data).toEqual({ path: 'v1' });
    expect((await v2.listDefinitionVersions('orders')).map((d) => [d.version, d.stored, d.loaded])).toEqual([
      ['1', true, true],
      ['2', true, true],
    ]);
    await v2.close();
  });

  it('a changed version 1 is refused with WF_DEFINITION_CONFLICT, and the waiting instance keeps its graph', async () => {
    const storage = new MemoryStorage();
    const engine = engineOn(storage, { b: () => ActionResult.success({ via: 'b' }), c: () => ActionResult.success({ via: 'c' }) });
    engine.registerDefinition({ ...waitThenDone(['a', 'b']), version: '1' });
    const inst = await engine.start('restore_test');
    await engine.waitFor(inst.id);
    expect(() => engine.registerDefinition({ ...waitThenDone(['a', 'c']), version: '1' })).toThrow(
      expect.objectContaining({ code: 'WF_DEFINITION_CONFLICT' }) as unknown as Error,
    );
    expect(await codeOf(engine.start({ ...waitThenDone(['a', 'c']), version: '1' }))).toBe('WF_DEFINITION_CONFLICT');
    // The same content written another way (key order, numeric version) is the same definition.
    const same = { transitions: [{ to: 'b', from: 'a' }], steps: { b: { action: 'b' }, a: { action: 'a' } }, version: 1 as unknown as string, name: 'restore_test' };
    expect(engine.registerDefinition(same)).toBe(engine.getDefinition('restore_test', '1'));
    await engine.signal(inst.id, 'go');
    expect((await engine.waitFor(inst.id, { until: 'terminal' })).data).toEqual({ via: 'b' });
    await engine.close();

    // Another process registering the changed version: nothing runs on the wrong graph.
    const other = engineOn(storage, { b: () => ActionResult.success({ via: 'b' }), c: () => ActionResult.success({ via: 'c' }) });
    other.registerDefinition({ ...waitThenDone(['a', 'c']), version: '1' });
    expect(await codeOf(other.start('restore_test', {}, { version: '1' }))).toBe('WF_DEFINITION_CONFLICT');
    await other.close();
  });

  it('two engines racing to store one version with different content: exactly one definition wins', async () => {
    const storage = new MemoryStorage();
    const engines = [engineOn(storage), engineOn(storage)];
    const defs = [waitThenDone(['a', 'b']), waitThenDone(['a', 'c'])];
    const results = await Promise.all(engines.map((e, i) => codeOf(e.start(defs[i]!))));
    expect(results.sort()).toEqual(['WF_DEFINITION_CONFLICT', 'resolved']);
    expect(await storage.listDefinitions()).toHaveLength(1);
    // The same content from both: both start.
    const same = await Promise.all(engines.map((e) => codeOf(e.start({ ...defs[0]!, version: '2' }))));
    expect(same).toEqual(['resolved', 'resolved']);
    await Promise.all(engines.map((e) => e.close()));
  });

  it('a start whose instance write fails leaves only a harmless stored definition', async () => {
    class FailingCreate extends MemoryStorage {
      failNext = true;
      override async createInstance(instance: InstanceRecord, events: HistoryEvent[], key?: string, lease?: Lease) {
        if (this.failNext) {
          this.failNext = false;
          throw new Error('connection lost');
        }
        return super.createInstance(instance, events, key, lease);
      }
    }
    const storage = new FailingCreate();
    const engine = engineOn(storage);
    await expect(engine.start(waitThenDone(['a', 'b']))).rejects.toThrow('connection lost');
    expect((await storage.listInstances()).items).toEqual([]);
    expect(await storage.listDefinitions()).toHaveLength(1);
    const inst = await engine.start(waitThenDone(['a', 'b']));
    expect(inst.definitionVersion).toBe('1.0');
    await engine.close();
  });

  it('a command to an instance whose stored version differs from the registered one is refused with the conflict', async () => {
    const storage = new MemoryStorage();
    const first = engineOn(storage);
    const inst = await first.start(waitThenDone(['a', 'b']));
    await first.waitFor(inst.id);
    await first.close();
    const other = engineOn(storage, { c: () => ActionResult.success() });
    other.registerDefinition(waitThenDone(['a', 'c']));
    expect(await codeOf(other.signal(inst.id, 'go'))).toBe('WF_DEFINITION_CONFLICT');
    expect((await other.getInstance(inst.id)).state).toBe('WAITING');
    await other.close();
  });
});

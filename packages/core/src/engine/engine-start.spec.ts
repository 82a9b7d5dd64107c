/** WorkflowEngine: Starting instances, and definitions and their versions. */
import { describe, expect, it } from '@jest/globals';
import { ActionResult } from '../actions/action-result.js';
import type { WorkflowDefinitionInput } from '../definition/definition.types.js';
import type { InstanceRecord } from '../model/instance.types.js';
import { silentLogger } from '../logger.js';
import { MemoryStorage } from '../storage/memory-storage.js';
import { WorkflowEngine } from './workflow-engine.js';
import { setup, ok, tick } from '../../test/support/engine-setup.js';

describe('WorkflowEngine: start', () => {
  it('is idempotent on an idempotency key', async () => {
    const { engine, storage } = setup();
    engine.registerAction('a', ok);
    engine.registerDefinition({ name: 'one', steps: { a: { action: 'a' } } });
    const [x, y] = await Promise.all([engine.start('one', {}, { idempotencyKey: 'order-42' }), engine.start('one', {}, { idempotencyKey: 'order-42' })]);
    const z = await engine.start('one', { other: 1 }, { idempotencyKey: 'order-42' });
    expect(y.id).toBe(x.id);
    expect(z.id).toBe(x.id);
    expect((await storage.listInstances()).items).toHaveLength(1);
    await engine.close();
  });

  it('refuses an unknown action before storing anything', async () => {
    const { engine, storage } = setup();
    engine.registerAction('a', ok);
    engine.registerDefinition({ name: 'missing', steps: { a: { action: 'a', compensation: 'undo_a' }, b: { action: 'nope' } }, transitions: [{ from: 'a', to: 'b' }] });
    await expect(engine.start('missing')).rejects.toMatchObject({
      code: 'WF_DEFINITION_INVALID',
      message: expect.stringContaining('steps.b.action: no action registered as "nope"'),
    });
    await expect(engine.start('missing')).rejects.toThrow(/steps\.a\.compensation: no action registered as "undo_a"/);
    expect((await storage.listInstances()).items).toHaveLength(0);
    await engine.close();
  });

  it('validates start data against the input schema and stores nothing when it is bad', async () => {
    const { engine, storage } = setup();
    engine.registerAction('a', ok);
    engine.registerDefinition({
      name: 'typed',
      input: {
        type: 'object',
        required: ['order'],
        properties: { order: { type: 'object', required: ['id', 'total'], properties: { id: { type: 'string' }, total: { type: 'number', minimum: 0 } } } },
      },
      steps: { a: { action: 'a' } },
    });
    await expect(engine.start('typed', { order: { id: 7, total: -1 } })).rejects.toMatchObject({
      code: 'WF_INPUT_INVALID',
      issues: [
        { path: 'order.id', message: 'must be string' },
        { path: 'order.total', message: 'must be >= 0' },
      ],
    });
    await expect(engine.start('typed', {})).rejects.toThrow(/order: is required/);
    expect((await storage.listInstances()).items).toHaveLength(0);
    const good = await engine.start('typed', { order: { id: 'A1', total: 5 } });
    expect((await engine.waitFor(good.id)).state).toBe('COMPLETED');
    await engine.close();
  });

  it('keeps running instances on the version they started with; start by name takes the latest', async () => {
    const { engine } = setup();
    engine.registerAction('wait', () => ActionResult.wait({ signal: 'go' }));
    engine.registerAction('v1', () => ({ path: 'v1' }));
    engine.registerAction('v2', () => ({ path: 'v2' }));
    const def = (version: string, action: string): WorkflowDefinitionInput => ({
      name: 'versioned',
      version,
      steps: { w: { action: 'wait' }, end: { action } },
      transitions: [{ from: 'w', to: 'end' }],
    });
    engine.registerDefinition(def('2.0', 'v1'));
    const old = await engine.start('versioned');
    engine.registerDefinition(def('2.1', 'v2'));
    const fresh = await engine.start('versioned');
    const pinned = await engine.start('versioned', {}, { version: '2.0' });
    for (const i of [old, fresh, pinned]) await engine.signal(i.id, 'go');
    expect((await engine.waitFor(old.id)).data.path).toBe('v1');
    expect((await engine.waitFor(fresh.id)).data.path).toBe('v2');
    expect((await engine.waitFor(pinned.id)).definitionVersion).toBe('2.0');
    expect(engine.getDefinition('versioned').version).toBe('2.1');
    await engine.close();
  });

  it('accepts actions as functions, classes and instances', async () => {
    const { engine } = setup();
    class AsClass {
      execute() {
        return ActionResult.success({ cls: true });
      }
    }
    engine.registerAction('fn', () => ({ fn: true }));
    engine.registerAction('cls', AsClass);
    engine.registerAction('obj', { execute: () => ActionResult.success({ obj: true }) });
    engine.registerDefinition({ name: 'forms', steps: { a: { action: 'fn' }, b: { action: 'cls' }, c: { action: 'obj' } }, transitions: [{ from: 'a', to: 'b' }, { from: 'b', to: 'c' }] });
    const inst = await engine.waitFor((await engine.start('forms')).id);
    expect(inst.data).toEqual({ fn: true, cls: true, obj: true });
    await engine.close();
  });
});

describe('WorkflowEngine: definitions registered late', () => {
  it('parks work of a version neither registered nor stored and picks it up once it is registered', async () => {
    const storage = new MemoryStorage();
    const first = new WorkflowEngine({ storage, logger: silentLogger, shutdownTimeoutMs: 10 });
    first.registerAction('a', () => new Promise(() => undefined));
    first.registerDefinition({ name: 'late', version: '3', steps: { a: { action: 'a' } } });
    const inst = await first.start('late');
    await tick();

    // The same records without the stored definition: an instance written before definitions were stored.
    const legacy = new MemoryStorage();
    await legacy.createInstance(await storage.getInstance(inst.id) as InstanceRecord, await storage.getHistory(inst.id));
    const second = new WorkflowEngine({ storage: legacy, logger: silentLogger });
    second.registerAction('a', () => ({ ran: true }));
    await second.ready;
    await tick();
    expect((await second.getInstance(inst.id)).state).toBe('RUNNING');
    second.registerDefinition({ name: 'late', version: '3', steps: { a: { action: 'a' } } });
    expect((await second.waitFor(inst.id)).data).toEqual({ ran: true });
    // Using it stored it: the next engine needs nothing registered.
    expect((await legacy.getDefinition('late', '3'))?.hash).toMatch(/^[0-9a-f]{64}$/);
    await second.close();
  });
});

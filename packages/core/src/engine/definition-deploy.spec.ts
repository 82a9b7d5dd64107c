/** deployDefinition: definitions deployed at run time, validated fully, stored once, never replaced. */
import { describe, expect, it } from '@jest/globals';
import { ActionResult } from '../actions/action-result.js';
import type { WorkflowDefinitionInput } from '../definition/definition.types.js';
import { silentLogger } from '../logger.js';
import { MemoryStorage } from '../storage/memory-storage.js';
import { ManualClock } from './clock.js';
import { WorkflowEngine } from './workflow-engine.js';

const approval: WorkflowDefinitionInput = {
  name: 'approval',
  version: '2',
  steps: { review: { action: 'review' }, publish: { action: 'publish' } },
  transitions: [{ from: 'review', to: 'publish', condition: 'data.approved == true' }, { from: 'review', to: 'publish' }],
};

function engineOn(storage = new MemoryStorage(), actions = ['review', 'publish']) {
  const engine = new WorkflowEngine({ storage, logger: silentLogger, clock: new ManualClock() });
  for (const name of actions) engine.registerAction(name, () => ActionResult.success({ [name]: true }));
  return { engine, storage };
}

const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (e: unknown) => e as { code?: string; message: string; details?: Record<string, unknown> });

describe('deployDefinition', () => {
  it('stores a new version, returns it, and it can be started by name at once', async () => {
    const { engine, storage } = engineOn();
    const deployed = await engine.deployDefinition(approval);
    expect(deployed).toMatchObject({ name: 'approval', version: '2', created: true, unknownActions: [] });
    expect(deployed.hash).toMatch(/^[0-9a-f]{64}$/);
    expect((await storage.getDefinition('approval', '2'))?.hash).toBe(deployed.hash);
    const inst = await engine.start('approval');
    expect((await engine.waitFor(inst.id)).data).toEqual({ review: true, publish: true });
    await engine.close();
  });

  it('deploying the same content again is a no-op; other content for that version is a conflict', async () => {
    const { engine, storage } = engineOn();
    const first = await engine.deployDefinition(approval);
    const again = await engine.deployDefinition(JSON.parse(JSON.stringify(approval)) as WorkflowDefinitionInput);
    expect(again).toMatchObject({ created: false, hash: first.hash, storedAt: first.storedAt });
    const error = await failure(engine.deployDefinition({ ...approval, steps: { ...approval.steps, publish: { action: 'review' } } }));
    expect(error?.code).toBe('WF_DEFINITION_CONFLICT');
    expect(error?.message).toContain('give this one a new version');
    expect(await storage.listDefinitions()).toHaveLength(1);
    await engine.close();
  });

  it('reports every problem of an invalid definition at once and stores nothing', async () => {
    const { engine, storage } = engineOn();
    const error = await failure(
      engine.deployDefinition({ name: 'bad', steps: { a: { action: 'review', timeout: '30x' } }, transitions: [{ from: 'a', to: 'nowhere' }], bogus: 1 } as unknown as WorkflowDefinitionInput),
    );
    expect(error?.code).toBe('WF_DEFINITION_INVALID');
    const paths = (error?.details?.issues as Array<{ path: string }>).map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['bogus', 'steps.a.timeout', 'transitions[0].to']));
    expect(await storage.listDefinitions()).toEqual([]);
    await engine.close();
  });

  it('refuses hostile input (deep nesting, prototype keys) before parsing, storing nothing', async () => {
    const { engine, storage } = engineOn();
    let deep: Record<string, unknown> = {};
    const root = deep;
    for (let i = 0; i < 100; i++) deep = deep.x = {};
    const deepError = await failure(engine.deployDefinition({ ...approval, metadata: root } as unknown as WorkflowDefinitionInput));
    expect(deepError?.code).toBe('WF_INPUT_INVALID');
    const proto = JSON.parse('{"name":"p","steps":{"a":{"action":"review","config":{"__proto__":{"polluted":true}}}}}') as WorkflowDefinitionInput;
    expect((await failure(engine.deployDefinition(proto)))?.code).toBe('WF_INPUT_INVALID');
    expect(await storage.listDefinitions()).toEqual([]);
    await engine.close();
  });

  it('names the actions this engine lacks; an API-only node may allow them explicitly', async () => {
    const { engine, storage } = engineOn(new MemoryStorage(), ['review']);
    const refused = await failure(engine.deployDefinition(approval));
    expect(refused?.code).toBe('WF_DEFINITION_INVALID');
    expect(refused?.message).toContain('"publish"');
    expect(await storage.listDefinitions()).toEqual([]);
    const allowed = await engine.deployDefinition(approval, { allowUnknownActions: true });
    expect(allowed).toMatchObject({ created: true, unknownActions: ['publish'] });
    await engine.close();
  });

  it('lists stored versions next to registered ones; another engine loads a deployed version on demand', async () => {
    const storage = new MemoryStorage();
    const { engine: api } = engineOn(storage, []);
    await api.deployDefinition(approval, { allowUnknownActions: true });
    await api.deployDefinition({ ...approval, version: '10' }, { allowUnknownActions: true });
    const { engine: worker } = engineOn(storage);
    worker.registerDefinition({ ...approval, version: '1' });
    expect((await worker.listDefinitionVersions('approval')).map((v) => [v.version, v.stored, v.loaded])).toEqual([
      ['1', false, true],
      ['2', true, false],
      ['10', true, false],
    ]);
    expect((await worker.loadDefinition('approval')).version).toBe('10');
    expect((await worker.loadDefinition('approval', '2')).steps.publish?.action).toBe('publish');
    const inst = await worker.start('approval', {}, { version: '2' });
    expect((await worker.waitFor(inst.id)).state).toBe('COMPLETED');
    const missing = await failure(worker.loadDefinition('approval', '7'));
    expect(missing?.code).toBe('WF_DEFINITION_NOT_FOUND');
    expect(missing?.message).toContain('1, 2, 10');
    await Promise.all([api.close(), worker.close()]);
  });
});

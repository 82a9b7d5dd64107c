import { describe, expect, it } from '@jest/globals';
import { ActionResult } from '../actions/action-result.js';
import { silentLogger } from '../logger.js';
import { MemoryStorage } from '../storage/memory-storage.js';
import { WorkflowEngine } from './workflow-engine.js';

function setup() {
  const engine = new WorkflowEngine({ storage: new MemoryStorage(), logger: silentLogger });
  engine.registerAction('spawn', (ctx) => ActionResult.startChild({ workflow: 'child', data: { n: ctx.data.n as number } }));
  engine.registerAction('double', (ctx) => ({ doubled: (ctx.data.n as number) * 2 }));
  engine.registerAction('wait', () => ActionResult.wait({ signal: 'go' }));
  engine.registerAction('fail', () => ActionResult.failure('child broke', { retryable: false }));
  engine.registerDefinition({ name: 'parent', steps: { spawn: { action: 'spawn' } } });
  return engine;
}

describe('child workflows', () => {
  it('a step starts a child and completes with its data', async () => {
    const engine = setup();
    engine.registerDefinition({ name: 'child', steps: { d: { action: 'double' } } });
    const parent = await engine.waitFor((await engine.start('parent', { n: 21 })).id, { until: 'terminal' });
    expect(parent.state).toBe('COMPLETED');
    expect(parent.data.spawn).toEqual({ n: 21, doubled: 42 });
    const children = (await engine.listInstances({ definitionName: 'child' })).items;
    expect(children).toHaveLength(1);
    expect(children[0]!.parent).toEqual({ instanceId: parent.id, stepId: 'spawn', run: 1 });
    await engine.close();
  });

  it('a failed child fails the parent step', async () => {
    const engine = setup();
    engine.registerDefinition({ name: 'child', steps: { f: { action: 'fail' } } });
    const parent = await engine.waitFor((await engine.start('parent', { n: 1 })).id, { until: 'terminal' });
    expect(parent.state).toBe('FAILED');
    expect(parent.error).toMatchObject({ code: 'WF_CHILD_FAILED', message: expect.stringContaining('ended FAILED: child broke') });
    await engine.close();
  });

  it('cancelling the parent cancels the child', async () => {
    const engine = setup();
    engine.registerDefinition({ name: 'child', steps: { w: { action: 'wait' } } });
    const { id } = await engine.start('parent', { n: 1 });
    expect((await engine.waitFor(id)).state).toBe('WAITING');
    const [child] = (await engine.listInstances({ definitionName: 'child' })).items;
    await engine.cancel(id, 'order withdrawn');
    expect((await engine.waitFor(child!.id)).state).toBe('CANCELLED');
    await engine.close();
  });

  it('an unknown child definition fails the step with a clear error', async () => {
    const engine = setup();
    const parent = await engine.waitFor((await engine.start('parent', { n: 1 })).id, { until: 'terminal' });
    expect(parent.state).toBe('FAILED');
    expect(parent.error?.message).toContain('Could not start child workflow "child": No definition "child"');
    await engine.close();
  });
});

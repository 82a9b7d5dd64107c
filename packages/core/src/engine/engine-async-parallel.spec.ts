/** WorkflowEngine: Async steps and parallel groups. */
import { describe, expect, it } from '@jest/globals';
import { ActionResult } from '../actions/action-result.js';
import { WorkflowEngine } from './workflow-engine.js';
import { setup, tick } from '../../test/support/engine-setup.js';

describe('WorkflowEngine: async steps, parallel groups', () => {
  it('routes on without waiting for an async step; its failure is an event, not a workflow failure', async () => {
    const { engine } = setup();
    let release!: () => void;
    const order: string[] = [];
    engine.registerAction('a', () => void order.push('a'));
    engine.registerAction('notify', () => new Promise<ActionResult>((r) => (release = () => (order.push('notify'), r(ActionResult.failure('smtp down', { retryable: false }))))));
    engine.registerAction('c', () => void order.push('c'));
    engine.registerDefinition({
      name: 'async',
      steps: { a: { action: 'a' }, notify: { action: 'notify', async: true }, c: { action: 'c' } },
      transitions: [
        { from: 'a', to: 'notify' },
        { from: 'notify', to: 'c' },
      ],
    });
    const failures: string[] = [];
    engine.on('step.failed', (e) => failures.push(e.stepId!));
    const { id } = await engine.start('async');
    await tick();
    expect(order).toEqual(['a', 'c']);
    release();
    const inst = await engine.waitFor(id);
    expect(inst.state).toBe('COMPLETED');
    expect(failures).toEqual(['notify']);
    expect(inst.steps.notify!.status).toBe('FAILED');
    await engine.close();
  });

  it('fans out to a parallel group and joins when all branches are done (skipped counts as done)', async () => {
    const { engine } = setup();
    for (const n of ['start', 'legal', 'compliance', 'final']) engine.registerAction(n, () => ActionResult.success({ [n]: true }));
    engine.registerDefinition({
      name: 'par',
      steps: {
        start: { action: 'start' },
        legal: { action: 'legal' },
        compliance: { action: 'compliance', conditions: ['value > 100000'] },
        final: { action: 'final' },
      },
      parallel_groups: { reviews: ['legal', 'compliance'] },
      transitions: [
        { from: 'start', to: 'reviews' },
        { from: 'reviews', to: 'final', join: 'all' },
      ],
    });
    const inst = await engine.waitFor((await engine.start('par', { value: 10 })).id);
    expect(inst.state).toBe('COMPLETED');
    expect(inst.steps.compliance!.status).toBe('SKIPPED');
    expect(inst.data).toMatchObject({ start: true, legal: true, final: true });
    await engine.close();
  });
});

/** Loops: a step entered again is new work (run 2, 3...), never mistaken for the run still finishing. */
import { describe, expect, it } from '@jest/globals';
import { ActionResult } from '../actions/action-result.js';
import { setup, types } from '../../test/support/engine-setup.js';

describe('WorkflowEngine: loops', () => {
  it('a step that routes back to itself runs once per entry', async () => {
    const { engine } = setup();
    engine.registerAction('poll', (ctx) => ActionResult.success({ polls: Number(ctx.data.polls ?? 0) + 1 }));
    engine.registerAction('done', () => ActionResult.success({ done: true }));
    engine.registerAction('begin', () => ActionResult.success());
    engine.registerDefinition({
      name: 'self_loop',
      steps: { begin: { action: 'begin' }, poll: { action: 'poll' }, finish: { action: 'done' } },
      transitions: [
        { from: 'begin', to: 'poll' },
        { from: 'poll', to: 'poll', condition: 'polls < 3' },
        { from: 'poll', to: 'finish' },
      ],
    });
    const inst = await engine.waitFor((await engine.start('self_loop')).id, { until: 'terminal' });
    expect(inst.state).toBe('COMPLETED');
    expect(inst.data).toEqual({ polls: 3, done: true });
    expect(inst.steps.poll!.run).toBe(3);
    expect(types(await engine.getHistory(inst.id)).filter((t) => t === 'step.completed:poll')).toHaveLength(3);
    await engine.close();
  });

  it('a two-step loop re-enters its first step as many times as the condition says', async () => {
    const { engine } = setup();
    engine.registerAction('draft', (ctx) => ActionResult.success({ drafts: Number(ctx.data.drafts ?? 0) + 1 }));
    engine.registerAction('review', () => ActionResult.success());
    engine.registerAction('begin', () => ActionResult.success());
    engine.registerDefinition({
      name: 'review_loop',
      steps: { begin: { action: 'begin' }, draft: { action: 'draft' }, review: { action: 'review' } },
      transitions: [
        { from: 'begin', to: 'draft' },
        { from: 'draft', to: 'review' },
        { from: 'review', to: 'draft', condition: 'drafts < 4' },
      ],
    });
    const inst = await engine.waitFor((await engine.start('review_loop')).id, { until: 'terminal' });
    expect(inst.data).toEqual({ drafts: 4 });
    expect(inst.steps.draft!.run).toBe(4);
    await engine.close();
  });
});

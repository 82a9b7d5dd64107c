/** replayHistory, re-exported: a history recorded on the test engine replays against its definition, and a renamed step is reported. */
import { describe, expect, it } from '@jest/globals';
import type { WorkflowDefinitionInput } from '@workflow-mastery/core';
import { createTestEngine, replayHistory } from '@workflow-mastery/testing';
import { checkout } from './fixtures.js';

describe('replayHistory from the kit', () => {
  it('accepts the run (retries, an expired task, an escalation) and reports a renamed step', async () => {
    const t = createTestEngine({ definitions: [checkout], actions: { refund_card: () => undefined, prepare_approval: () => undefined, ship: () => undefined, notify_director: () => undefined } });
    try {
      t.mockAction('charge_card', [{ fail: 'down' }, { fail: 'down' }, {}]);
      const started = await t.start('checkout', { order: 7 });
      await t.advance('3d');
      const { history } = await t.instance(started.id);
      expect(replayHistory(history, checkout, { actions: t.engine.actions })).toMatchObject({ valid: true, events: history.length });

      const { escalate, ...steps } = checkout.steps;
      const renamed: WorkflowDefinitionInput = {
        ...checkout,
        version: '2',
        steps: { ...steps, page_director: escalate },
        transitions: checkout.transitions.map((tr) => (tr.to === 'escalate' ? { ...tr, to: 'page_director' } : tr)),
      };
      const result = replayHistory(history, renamed);
      expect(result.valid).toBe(false);
      if (!result.valid) expect(result.divergence.reason).toMatch(/escalate/);
    } finally {
      await t.close();
    }
  });
});

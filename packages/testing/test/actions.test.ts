/** Actions: mocks (implementations and result lists), recorded calls, and the errors for actions nobody gives. */
import { describe, expect, it } from '@jest/globals';
import { ActionResult, type ActionContext, WorkflowAction } from '@workflow-mastery/core';
import { createTestEngine } from '@workflow-mastery/testing';
import { checkout } from './fixtures.js';

const rest = { refund_card: () => undefined, prepare_approval: () => undefined, ship: () => undefined, notify_director: () => undefined };

describe('actions', () => {
  it('a result list gives successive attempts: failures, an Error, then success data', async () => {
    const t = createTestEngine({ definitions: [checkout], actions: rest });
    try {
      t.mockAction('charge_card', [{ fail: 'card declined' }, new Error('socket hang up'), { charge: { id: 'ch_1' } }]);
      const inst = await t.start('checkout', { amount: 10 });
      await t.advance('1m');
      const after = await t.instance(inst.id);
      expect(after.state).toBe('WAITING');
      expect(after.data.charge).toEqual({ id: 'ch_1' });
      expect(after.steps.charge).toMatchObject({ status: 'COMPLETED', attempt: 3 });
      const retries = after.history.filter((e) => e.type === 'step.retrying').map((e) => (e.data?.error as { message: string }).message);
      expect(retries).toEqual(['card declined', 'socket hang up']);
    } finally {
      await t.close();
    }
  });

  it('says clearly when a result list is used up', async () => {
    const t = createTestEngine({ definitions: [checkout], actions: rest });
    try {
      t.mockAction('charge_card', [{ fail: 'down' }]);
      const inst = await t.start('checkout');
      await t.advance('30s');
      const failed = await t.instance(inst.id);
      expect(failed.state).toBe('FAILED');
      expect(failed.steps.charge!.error!.message).toBe(
        `mockAction('charge_card'): its 1 result(s) are used up (this is call 2: attempt 2 of step "charge" of instance ${inst.id}); give more results or an implementation`,
      );
    } finally {
      await t.close();
    }
  });

  it('a non-retryable failure, an ActionResult and a function item', async () => {
    const t = createTestEngine({ definitions: [checkout], actions: rest });
    try {
      t.mockAction('charge_card', [{ fail: 'fraud', retryable: false, code: 'FRAUD' }]);
      const failed = await t.start('checkout');
      expect(failed.state).toBe('FAILED');
      expect(failed.steps.charge!.error).toMatchObject({ message: 'fraud', code: 'FRAUD' });

      t.mockAction('charge_card', [ActionResult.failure('soft'), (ctx: ActionContext) => ({ tries: ctx.attempt })]);
      const second = await t.start('checkout');
      await t.advance('30s');
      expect((await t.instance(second.id)).data.tries).toBe(2);
    } finally {
      await t.close();
    }
  });

  it('records every call, mocked or real, with the data the attempt saw', async () => {
    const t = createTestEngine({ definitions: [checkout], actions: { ...rest, charge_card: (ctx: ActionContext) => ActionResult.success({ charged: ctx.data.amount }) } });
    try {
      t.mockAction('prepare_approval', (ctx) => ({ prepared_for: ctx.config.fields }));
      const t0 = t.now();
      const inst = await t.start('checkout', { amount: 42 });
      expect(t.calls('charge_card')).toEqual([{ instanceId: inst.id, stepId: 'charge', attempt: 1, data: { amount: 42 }, config: {}, at: t0, compensating: false }]);
      expect(t.calls('prepare_approval')).toEqual([
        { instanceId: inst.id, stepId: 'approve', attempt: 1, data: { amount: 42, charged: 42 }, config: { fields: ['approved'] }, at: t0, compensating: false },
      ]);
      expect(t.calls('ship')).toEqual([]);
    } finally {
      await t.close();
    }
  });

  it('takes @WorkflowAction classes, with the options their decorator gives', async () => {
    @WorkflowAction('charge_card', { retry: { attempts: 2, delay: '10s' } })
    class ChargeCard {
      calls = 0;
      execute() {
        return ++this.calls < 3 ? ActionResult.failure('busy') : ActionResult.success({ charged: true });
      }
    }
    const def = { ...checkout, steps: { ...checkout.steps, charge: { action: ChargeCard, compensation: 'refund_card' } } };
    const t = createTestEngine({ definitions: [def], actions: [ChargeCard] });
    t.mockAction('refund_card', () => undefined).mockAction('prepare_approval', () => undefined).mockAction('ship', () => undefined).mockAction('notify_director', () => undefined);
    try {
      const t0 = t.now();
      const inst = await t.start('checkout');
      await t.advance('20s');
      expect(t.calls('charge_card').map((c) => (c.at - t0) / 1000)).toEqual([0, 10, 20]);
      expect((await t.instance(inst.id)).state).toBe('WAITING');
    } finally {
      await t.close();
    }
  });

  it('refuses a mock for an action no definition uses, naming it and the ones they use', () => {
    const t = createTestEngine({ definitions: [checkout] });
    expect(() => t.mockAction('charge_crad', [{}])).toThrow(
      expect.objectContaining({
        code: 'WF_INPUT_INVALID',
        message: `mockAction('charge_crad'): no definition of this test engine uses an action "charge_crad"; the definitions use: charge_card, notify_director, prepare_approval, refund_card, ship.`,
      }),
    );
    expect(() => t.mockAction('ship', 42 as never)).toThrow(/mock must be a function, a class or object with execute\(ctx\), or an array/);
    return t.close();
  });

  it('refuses to start an instance whose actions are neither given nor mocked, naming them (t.start and t.engine.start)', async () => {
    const t = createTestEngine({ definitions: [checkout], actions: { charge_card: () => undefined, ship: () => undefined } });
    try {
      await expect(t.start('checkout')).rejects.toMatchObject({
        code: 'WF_ACTION_NOT_FOUND',
        message: `start('checkout'): its actions "refund_card", "prepare_approval", "notify_director" are neither given nor mocked; pass them in createTestEngine({ actions }) or call t.mockAction('refund_card', ...) first.`,
      });
      await expect(t.engine.start('checkout')).rejects.toMatchObject({ code: 'WF_DEFINITION_INVALID', message: expect.stringContaining('no action registered as "prepare_approval"') });
      expect(await t.engine.listInstances()).toMatchObject({ items: [] });
    } finally {
      await t.close();
    }
  });
});

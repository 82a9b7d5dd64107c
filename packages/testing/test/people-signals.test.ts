/** People and signals: completeTask by step, signal, and the errors when no task is open. */
import { describe, expect, it } from '@jest/globals';
import { ActionResult } from '@workflow-mastery/core';
import { assertPath, assertState, createTestEngine } from '@workflow-mastery/testing';
import { checkout, invoice } from './fixtures.js';

const checkoutActions = { charge_card: () => undefined, refund_card: () => undefined, prepare_approval: () => undefined, ship: () => undefined, notify_director: () => undefined };
const invoiceActions = { send_invoice: () => undefined, await_payment: () => ActionResult.wait({ signal: 'paid', timeout: '3d' }), book_payment: () => undefined };

describe('people and signals', () => {
  it('completeTask finds the open task of a step, completes it and runs on', async () => {
    const t = createTestEngine({ definitions: [checkout], actions: checkoutActions });
    try {
      const inst = await t.start('checkout');
      expect(inst.steps.approve!.task).toMatchObject({ state: 'OPEN', assignedTo: 'managers' });
      const done = await t.completeTask(inst.id, 'approve', { approved: true });
      assertState(done, 'COMPLETED');
      assertPath(done, ['charge', 'approve', 'ship']);
      expect(done.steps.approve!.task).toMatchObject({ state: 'COMPLETED', completedBy: 'test-user' });
      expect(done.history.find((e) => e.type === 'task.completed')).toBeDefined();
    } finally {
      await t.close();
    }
  });

  it('completes a claimed task as its claimer, and as the given user otherwise', async () => {
    const t = createTestEngine({ definitions: [checkout], actions: checkoutActions });
    try {
      const a = await t.start('checkout');
      await t.engine.claimTask(a.steps.approve!.task!.id, 'alice');
      expect((await t.completeTask(a.id, 'approve', { approved: false })).steps.approve!.task).toMatchObject({ completedBy: 'alice' });
      const b = await t.start('checkout');
      const done = await t.completeTask(b.id, 'approve', { approved: true }, 'bob');
      expect(done.steps.approve!.task).toMatchObject({ completedBy: 'bob' });
    } finally {
      await t.close();
    }
  });

  it('completeTask on a step with no open task names the step and its status', async () => {
    const t = createTestEngine({ definitions: [checkout], actions: checkoutActions });
    try {
      const inst = await t.start('checkout');
      await expect(t.completeTask(inst.id, 'charge', {})).rejects.toMatchObject({
        code: 'WF_ILLEGAL_TRANSITION',
        message: `completeTask('${inst.id}', 'charge'): step "charge" has no open task: its status is COMPLETED, with no task; the instance is WAITING.`,
      });
      await expect(t.completeTask(inst.id, 'ship', {})).rejects.toMatchObject({
        message: `completeTask('${inst.id}', 'ship'): step "ship" has no open task: it has not been reached (steps so far: charge, approve); the instance is WAITING.`,
      });
      await t.advance('2d');
      await expect(t.completeTask(inst.id, 'approve', { approved: true })).rejects.toMatchObject({
        message: `completeTask('${inst.id}', 'approve'): step "approve" has no open task: its status is TIMED_OUT and its task is EXPIRED; the instance is COMPLETED.`,
      });
    } finally {
      await t.close();
    }
  });

  it('signal resumes a waiting step and runs until idle', async () => {
    const t = createTestEngine({ definitions: [invoice], actions: invoiceActions });
    try {
      const inst = await t.start('invoice');
      expect(inst.steps.wait_for_payment!.status).toBe('WAITING');
      await t.advance('1d');
      const paid = await t.signal(inst.id, 'paid', { amount: 120 });
      assertState(paid, 'COMPLETED');
      assertPath(paid, ['send_invoice', 'wait_for_payment', 'book']);
      expect(paid.data).toMatchObject({ amount: 120 });
      expect(t.calls('book_payment')[0]!.data).toMatchObject({ amount: 120 });
    } finally {
      await t.close();
    }
  });

  it('a wait timeout, its retry a day later, then the 7-day deadline', async () => {
    const t = createTestEngine({ definitions: [invoice], actions: invoiceActions });
    try {
      const t0 = t.now();
      const inst = await t.start('invoice');
      await t.advance('6d');
      expect(t.calls('await_payment').map((c) => [c.attempt, (c.at - t0) / 86_400_000])).toEqual([
        [1, 0],
        [2, 4],
      ]);
      expect((await t.instance(inst.id)).state).toBe('WAITING');
      await t.advance('1d');
      const late = await t.instance(inst.id);
      assertState(late, 'FAILED', 'WF_TIMEOUT');
      expect(late.history.find((e) => e.type === 'workflow.timed_out')!.at - t0).toBe(7 * 86_400_000);
    } finally {
      await t.close();
    }
  });
});

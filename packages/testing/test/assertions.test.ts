/** Plain assertions: the path notation, readable diffs, states and history events. */
import { AssertionError } from 'node:assert';
import { describe, expect, it } from '@jest/globals';
import { assertHistoryContains, assertPath, assertState, createTestEngine, pathOf, type TestInstance } from '@workflow-mastery/testing';
import { checkout } from './fixtures.js';

const actions = { refund_card: () => undefined, prepare_approval: () => undefined, ship: () => undefined, notify_director: () => undefined };

async function run(mock: Parameters<ReturnType<typeof createTestEngine>['mockAction']>[1], approved?: boolean): Promise<TestInstance> {
  const t = createTestEngine({ definitions: [checkout], actions });
  try {
    t.mockAction('charge_card', mock);
    const inst = await t.start('checkout');
    if (approved === undefined) return await t.instance(inst.id);
    return await t.completeTask(inst.id, 'approve', { approved });
  } finally {
    await t.close();
  }
}

function thrown(fn: () => unknown): AssertionError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AssertionError);
    return error as AssertionError;
  }
  throw new Error('expected an AssertionError');
}

describe('pathOf', () => {
  it('lists completed steps, marks skipped ones', async () => {
    expect(pathOf(await run(() => undefined, false))).toEqual(['charge', 'approve', 'ship(skipped)']);
  });

  it('marks a failed step and the compensations of a saga', async () => {
    const t = createTestEngine({ definitions: [checkout], actions: { ...actions, charge_card: () => undefined } });
    try {
      t.mockAction('ship', [{ fail: 'no courier', retryable: false }]);
      const inst = await t.start('checkout');
      const failed = await t.completeTask(inst.id, 'approve', { approved: true });
      expect(pathOf(failed)).toEqual(['charge', 'approve', 'ship(failed)', '↩refund_card']);
      expect(pathOf(failed.history)).toEqual(pathOf(failed));
    } finally {
      await t.close();
    }
  });

  it('marks a task that ran out of time', async () => {
    const t = createTestEngine({ definitions: [checkout], actions: { ...actions, charge_card: () => undefined } });
    try {
      const inst = await t.start('checkout');
      await t.advance('2d');
      expect(pathOf(await t.instance(inst.id))).toEqual(['charge', 'approve(timed out)', 'escalate']);
    } finally {
      await t.close();
    }
  });

  it('refuses a record without history, saying how to get one', () => {
    expect(() => pathOf({} as TestInstance)).toThrow('pathOf(instance): the instance has no history; read it with `await t.instance(id)`');
  });
});

describe('assertions', () => {
  it('assertPath passes on the path and shows a line diff otherwise', async () => {
    const inst = await run(() => undefined, true);
    assertPath(inst, ['charge', 'approve', 'ship']);
    const error = thrown(() => assertPath(inst, ['charge', 'ship', 'celebrate']));
    expect(error.message).toBe(
      [`Path of instance ${inst.id} (checkout@1, COMPLETED) differs (- expected, + actual):`, '    charge', '  + approve', '    ship', '  - celebrate'].join('\n'),
    );
    expect(error.actual).toEqual(['charge', 'approve', 'ship']);
    expect(error.expected).toEqual(['charge', 'ship', 'celebrate']);
  });

  it('assertState checks the state and the error code, listing the steps when wrong', async () => {
    const inst = await run([{ fail: 'card declined', retryable: false, code: 'DECLINED' }]);
    assertState(inst, 'FAILED');
    assertState(inst, 'FAILED', 'DECLINED');
    const error = thrown(() => assertState(inst, 'COMPLETED'));
    expect(error.message).toContain(`Expected instance ${inst.id} (checkout@1, FAILED DECLINED) to be COMPLETED, but it is FAILED with DECLINED.`);
    expect(error.message).toContain('charge: FAILED — card declined');
    expect(thrown(() => assertState(inst, 'FAILED', 'WF_TIMEOUT')).message).toContain('to be FAILED with WF_TIMEOUT, but it is FAILED with DECLINED');
  });

  it('assertHistoryContains matches type, step, attempt and data partially; lists the events otherwise', async () => {
    const inst = await run([{ fail: 'busy' }, {}], undefined);
    // The retry is still waiting: only attempt 1 ran.
    const [retrying] = assertHistoryContains(inst, 'step.retrying', { stepId: 'charge', data: { error: { message: 'busy' } } });
    expect(retrying!.attempt).toBe(1);
    assertHistoryContains(inst, 'workflow.started');
    const error = thrown(() => assertHistoryContains(inst, 'step.retrying', { data: { error: { message: 'other' } } }));
    expect(error.message).toContain('to contain step.retrying matching {"data":{"error":{"message":"other"}}}; its step.retrying events are:\n  #');
    const none = thrown(() => assertHistoryContains(inst, 'task.opened'));
    expect(none.message).toContain('it has no task.opened event; its events are:\n  #1 workflow.started');
  });
});

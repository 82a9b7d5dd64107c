/** The Jest entry: matchers on `expect`, and engines closed after each test. */
import { describe, expect, it } from '@jest/globals';
import { createTestEngine, type TestEngine, useTestEngine } from '@workflow-mastery/testing/jest';
import { checkout } from './fixtures.js';

const actions = { charge_card: () => undefined, refund_card: () => undefined, prepare_approval: () => undefined, ship: () => undefined, notify_director: () => undefined };

describe('Jest matchers', () => {
  it('toHaveTakenPath, toHaveState, toHaveHistoryEvent, and their .not', async () => {
    const t = createTestEngine({ definitions: [checkout], actions });
    const inst = await t.start('checkout');
    const done = await t.completeTask(inst.id, 'approve', { approved: false });
    expect(done).toHaveTakenPath(['charge', 'approve', 'ship(skipped)']);
    expect(done).not.toHaveTakenPath(['charge', 'approve', 'ship']);
    expect(done).toHaveState('COMPLETED');
    expect(done).not.toHaveState('FAILED');
    expect(done).toHaveHistoryEvent('task.completed', { stepId: 'approve', data: { by: 'test-user' } });
    expect(done).not.toHaveHistoryEvent('step.retrying');

    expect(() => expect(done).toHaveTakenPath(['charge', 'ship'])).toThrow('differs (- expected, + actual):\n    charge\n  - ship\n  + approve\n  + ship(skipped)');
    expect(() => expect(done).not.toHaveState('COMPLETED')).toThrow(`Expected instance ${inst.id} (checkout@1, COMPLETED) not to be COMPLETED.`);
    expect(() => expect(done).toHaveHistoryEvent('step.failed')).toThrow('it has no step.failed event');
    expect(() => expect({ state: 'COMPLETED' }).toHaveTakenPath([])).toThrow('toHaveTakenPath: expected an instance with its history (read it with `await t.instance(id)`)');
  });

  it('toHaveFailedWith reads the error code', async () => {
    const t = useTestEngine({ definitions: [checkout], actions });
    t.mockAction('charge_card', [{ fail: 'nope', retryable: false, code: 'DECLINED' }]);
    const failed = await t.start('checkout');
    expect(failed).toHaveFailedWith('DECLINED');
    expect(failed).not.toHaveFailedWith('WF_TIMEOUT');
    expect(() => expect(failed).toHaveFailedWith('WF_TIMEOUT')).toThrow('to be FAILED with WF_TIMEOUT, but it is FAILED with DECLINED');
  });

  let previous: TestEngine | undefined;
  it('(makes an engine)', async () => {
    previous = createTestEngine({ definitions: [checkout], actions });
    await previous.start('checkout');
  });

  it('closes the engines of the previous test after it', async () => {
    expect(previous!.clock.pending).toBe(0);
    await expect(previous!.start('checkout')).rejects.toMatchObject({ code: 'WF_ENGINE_CLOSED' });
  });
});

import { describe, expect, it } from '@jest/globals';
import { makeInstance, makeStep } from '@workflow-mastery/core/testing';
import { taskRows, timerRows, workRows } from './work-rows.js';

describe('workRows', () => {
  const steps = {
    a: makeStep({ attempt: 2 }),
    b: makeStep({ status: 'RETRY_WAIT' }),
    c: makeStep({ status: 'COMPLETED', compensation: { status: 'SCHEDULED', action: 'undo', attempt: 3 } }),
  };

  it('lists SCHEDULED steps while RUNNING or WAITING', () => {
    for (const state of ['RUNNING', 'WAITING'] as const) {
      expect(workRows(makeInstance({ state, steps }))).toEqual([{ kind: 'step', stepId: 'a', attempt: 2 }]);
    }
  });

  it('lists SCHEDULED compensations while COMPENSATING', () => {
    expect(workRows(makeInstance({ state: 'COMPENSATING', steps }))).toEqual([{ kind: 'compensation', stepId: 'c', attempt: 3 }]);
  });

  it('lists nothing while PENDING, PAUSED or finished', () => {
    for (const state of ['PENDING', 'PAUSED', 'COMPLETED', 'FAILED', 'CANCELLED'] as const) expect(workRows(makeInstance({ state, steps }))).toEqual([]);
  });
});

describe('timerRows', () => {
  const timers = [
    { id: 'r', kind: 'retry' as const, fireAt: 5, stepId: 'a' },
    { id: 'd', kind: 'deadline' as const, fireAt: 9 },
  ];

  it('copies every timer; claimable unless the instance finished', () => {
    expect(timerRows(makeInstance({ state: 'PAUSED', timers }))).toEqual([
      { timerId: 'r', kind: 'retry', fireAt: 5, stepId: 'a', claimable: 1 },
      { timerId: 'd', kind: 'deadline', fireAt: 9, stepId: null, claimable: 1 },
    ]);
    expect(timerRows(makeInstance({ state: 'COMPLETED', timers })).map((t) => t.claimable)).toEqual([0, 0]);
  });
});

describe('taskRows', () => {
  it('copies the task of each step that has one', () => {
    const task = { id: 'i.a.1', assignedTo: 'ops', state: 'OPEN' as const, openedAt: 1, dueAt: 50, form: {} };
    const record = makeInstance({ steps: { a: makeStep({ status: 'WAITING', task }), b: makeStep() } });
    expect(taskRows(record)).toEqual([{ id: 'i.a.1', stepId: 'a', assignedTo: 'ops', state: 'OPEN', dueAt: 50 }]);
    expect(taskRows(makeInstance({ steps: { a: makeStep({ task: { ...task, dueAt: undefined } }) } }))[0]!.dueAt).toBeNull();
  });
});

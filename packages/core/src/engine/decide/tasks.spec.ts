/** Human tasks: ids, opening, claiming and completing, and what happens when a task falls due. */
import { describe, expect, it } from '@jest/globals';
import type { WorkflowDefinitionInput } from '../../definition/definition.types.js';
import { ErrorCode, IllegalTransitionError } from '../../errors.js';
import type { InstanceRecord } from '../../model/instance.types.js';
import { decide, parseTaskId } from './index.js';
import { apply, envOf, expectIgnored, fire, NOW, ok, play, runs, statuses, trail } from '../../../test/support/decide-setup.js';
import type { DecisionInput } from './types.js';

const DAY = 86_400_000;

/** submit, then a task for managers (prepared by its action, due in 2 days), then archive or reject. */
const review = (escalate?: { condition?: string }): WorkflowDefinitionInput => ({
  name: 'review',
  steps: {
    submit: { action: 'x' },
    approve: { action: 'prepare', assigned_to: 'managers', timeout: '2d', config: { fields: ['approved'] } },
    archive: { action: 'x' },
    reject: { action: 'x' },
    ...(escalate ? { escalate: { action: 'x' } } : {}),
  },
  transitions: [
    { from: 'submit', to: 'approve' },
    { from: 'approve', to: 'archive', condition: 'approved === true' },
    { from: 'approve', to: 'reject' },
    ...(escalate ? [{ from: 'approve', to: 'escalate', on_timeout: true, ...escalate }] : []),
  ],
});

const TASK = 'i1.approve.1';
const claim = (by: string, taskId = TASK): DecisionInput => ({ type: 'task.claim', taskId, by });
const complete = (by: string, data = {}, taskId = TASK): DecisionInput => ({ type: 'task.complete', taskId, by, data });

/** The review instance with its task open (data from the preparing action merged). */
function opened(def = review()) {
  return play(envOf(def), [ok('submit'), ok('approve', { prepared: true })]);
}

describe('parseTaskId', () => {
  it.each([
    { id: 'i1.approve.1', parts: { instanceId: 'i1', stepId: 'approve', run: 1 } },
    { id: 'order.2024.05.ship_it.12', parts: { instanceId: 'order.2024.05', stepId: 'ship_it', run: 12 } },
    { id: 'a-b.step-1.3', parts: { instanceId: 'a-b', stepId: 'step-1', run: 3 } },
    { id: 'approve.1', parts: undefined },
    { id: 'i1.approve.x', parts: undefined },
    { id: '', parts: undefined },
  ])('$id → $parts', ({ id, parts }) => {
    expect(parseTaskId(id)).toEqual(parts);
  });
});

describe('opening a task', () => {
  it('waits with an OPEN task, the prepared data merged, and a due timer', () => {
    const { instance, events, effects } = opened();
    expect(instance.state).toBe('WAITING');
    expect(instance.data).toEqual({ prepared: true });
    expect(instance.steps.approve).toMatchObject({
      status: 'WAITING',
      task: { id: TASK, assignedTo: 'managers', state: 'OPEN', openedAt: NOW, dueAt: NOW + 2 * DAY, form: { fields: ['approved'] } },
    });
    expect(trail(events)).toEqual(['task.opened:approve']);
    expect(events[0]!.data).toEqual({ taskId: TASK, assignedTo: 'managers', dueAt: NOW + 2 * DAY, output: { prepared: true } });
    expect(effects).toEqual([{ type: 'arm', timer: { id: 'task/approve', kind: 'task_due', fireAt: NOW + 2 * DAY, stepId: 'approve' } }]);
  });

  it('a task without a timeout has no due date and no timer', () => {
    const def = review();
    delete def.steps.approve!.timeout;
    const { instance, effects } = opened(def);
    expect(instance.steps.approve!.task!.dueAt).toBeUndefined();
    expect(effects).toEqual([]);
  });
});

describe('claiming and completing', () => {
  it.each([
    { approved: true, next: 'archive' },
    { approved: false, next: 'reject' },
  ])('completing with approved=$approved routes to $next and disarms the due timer', ({ approved, next }) => {
    const { env, instance } = opened();
    const claimed = apply(env, instance, claim('alice'));
    expect(claimed.instance.steps.approve!.task).toMatchObject({ state: 'CLAIMED', claimedBy: 'alice', claimedAt: NOW });
    const done = apply(env, claimed.instance, { ...complete('alice', { approved }), from: '10.0.0.1' } as DecisionInput);
    expect(trail(done.events)).toEqual(['task.completed:approve', 'step.completed:approve', `step.scheduled:${next}`]);
    expect(done.events[0]!.data).toEqual({ taskId: TASK, by: 'alice', from: '10.0.0.1', data: { approved } });
    expect(done.effects).toEqual([{ type: 'disarm', timerId: 'task/approve' }, { type: 'run', stepId: next, attempt: 1, kind: 'step', run: 1 }]);
    expect(done.instance.steps.approve!.task).toMatchObject({ state: 'COMPLETED', completedBy: 'alice' });
    expect(done.instance.data).toEqual({ prepared: true, approved });
  });

  it('an open task may be completed without a claim', () => {
    const { env, instance } = opened();
    expect(apply(env, instance, complete('bob', { approved: true })).instance.steps.archive!.status).toBe('SCHEDULED');
  });

  it('claiming again by the same user is ignored', () => {
    const { env, instance } = opened();
    expectIgnored(decide(env, apply(env, instance, claim('alice')).instance, claim('alice')), 'already claimed by the same user');
  });

  const refusals: Array<{ name: string; prepare: (env: ReturnType<typeof envOf>, i: InstanceRecord) => InstanceRecord; input: DecisionInput; message: RegExp }> = [
    { name: 'an unknown task id', prepare: (_, i) => i, input: complete('bob', {}, 'i1.approve.2'), message: /earlier run of the step/ },
    { name: 'a malformed task id', prepare: (_, i) => i, input: claim('bob', 'nonsense'), message: /is not open/ },
    { name: 'a task claimed by someone else', prepare: (env, i) => apply(env, i, claim('alice')).instance, input: complete('bob'), message: /claimed by alice/ },
    { name: 'a claim of a task claimed by someone else', prepare: (env, i) => apply(env, i, claim('alice')).instance, input: claim('bob'), message: /claimed by alice/ },
    { name: 'a completed task', prepare: (env, i) => apply(env, i, complete('alice')).instance, input: claim('bob'), message: /the task is COMPLETED/ },
    { name: 'completing while paused', prepare: (env, i) => apply(env, i, { type: 'pause' }).instance, input: complete('bob'), message: /resume the instance first/ },
  ];
  it.each(refusals)('refuses $name', ({ prepare, input, message }) => {
    const { env, instance } = opened();
    const before = prepare(env, instance);
    expect(() => decide(env, before, input)).toThrow(IllegalTransitionError);
    expect(() => decide(env, before, input)).toThrow(message);
  });

  it('a paused instance still lets a task be claimed', () => {
    const { env, instance } = opened();
    const paused = apply(env, instance, { type: 'pause' }).instance;
    expect(apply(env, paused, claim('alice')).instance.steps.approve!.task!.state).toBe('CLAIMED');
  });
});

describe('a task falling due', () => {
  it.each([
    {
      name: 'with an on_timeout route: escalates',
      def: review({}),
      state: 'RUNNING',
      trail: ['task.expired:approve', 'step.scheduled:escalate'],
      steps: { approve: 'TIMED_OUT', escalate: 'SCHEDULED' },
      runs: ['step:escalate#1'],
    },
    {
      name: 'with an on_timeout route whose condition holds: escalates',
      def: review({ condition: 'prepared === true' }),
      state: 'RUNNING',
      trail: ['task.expired:approve', 'step.scheduled:escalate'],
      steps: { approve: 'TIMED_OUT', escalate: 'SCHEDULED' },
      runs: ['step:escalate#1'],
    },
    {
      name: 'with an on_timeout route whose condition fails: fails',
      def: review({ condition: 'prepared === false' }),
      state: 'FAILED',
      trail: ['task.expired:approve', 'step.failed:approve', 'workflow.failed:approve'],
      steps: { approve: 'FAILED' },
      runs: [],
    },
    {
      name: 'without an on_timeout route: fails with WF_TIMEOUT, not retried',
      def: review(),
      state: 'FAILED',
      trail: ['task.expired:approve', 'step.failed:approve', 'workflow.failed:approve'],
      steps: { approve: 'FAILED' },
      runs: [],
    },
  ])('$name', ({ def, state, trail: expected, steps, runs: expectedRuns }) => {
    def.steps.approve!.retry_attempts = 3;
    const { env, instance } = opened(def);
    const due = apply(env, instance, fire('task/approve'));
    expect(due.instance.state).toBe(state);
    expect(trail(due.events)).toEqual(expected);
    expect(statuses(due.instance)).toMatchObject(steps);
    expect(runs(due.effects)).toEqual(expectedRuns);
    expect(due.instance.steps.approve!.task!.state).toBe('EXPIRED');
    if (state === 'FAILED') expect(due.instance.steps.approve!.error).toMatchObject({ code: ErrorCode.Timeout, retryable: false, message: expect.stringContaining('add an on_timeout transition') });
  });

  it('a claimed task falls due too; a completed one has no timer left', () => {
    const { env, instance } = opened(review({}));
    const claimed = apply(env, instance, claim('alice')).instance;
    expect(apply(env, claimed, fire('task/approve')).instance.steps.approve!.status).toBe('TIMED_OUT');
    const done = apply(env, instance, complete('alice', { approved: true })).instance;
    expectIgnored(decide(env, done, fire('task/approve')), 'no timer task/approve');
  });
});

/** Operator controls: which states allow them, and what retry from a step, skip a step and update data record. */
import { describe, expect, it } from '@jest/globals';
import type { WorkflowDefinitionInput } from '../../definition/definition.types.js';
import { ErrorCode, IllegalTransitionError, WorkflowError } from '../../errors.js';
import { decide } from './index.js';
import { apply, at, envOf, expectIgnored, fail, NOW, ok, play, runs, statuses, trail, undone, type Played } from '../../../test/support/decide-setup.js';
import type { DecisionInput } from './types.js';

/** a (undoable) → b (undoable) → c, with a 1h deadline. */
const chain = (onFailure: 'fail' | 'compensate' = 'fail'): WorkflowDefinitionInput => ({
  name: 'ops',
  timeout: '1h',
  steps: { a: { action: 'x', compensation: 'undo_a' }, b: { action: 'x', compensation: 'undo_b' }, c: { action: 'x' } },
  transitions: [
    { from: 'a', to: 'b' },
    { from: 'b', to: 'c' },
  ],
  error_handling: { on_failure: onFailure },
});

const waitFor = (stepId: string, signal: string, timeoutMs?: number): DecisionInput => ({ type: 'step.wait', stepId, attempt: 1, signal, ...(timeoutMs ? { timeoutMs } : {}) });
const retryFrom = (stepId: string, by = 'ops'): DecisionInput => ({ type: 'retry_from', stepId, by });
const skip = (stepId: string, data = {}, by = 'ops'): DecisionInput => ({ type: 'skip_step', stepId, data, by });
const patch = (p: Record<string, unknown>, by = 'ops'): DecisionInput => ({ type: 'update_data', patch: p as never, by });

/** An instance in each state a control may meet; `b` is the step the controls name. */
const in_: Record<string, () => Played> = {
  'RUNNING (b scheduled)': () => play(envOf(chain()), [ok('a')]),
  'WAITING (b waits)': () => play(envOf(chain()), [ok('a'), waitFor('b', 'go')]),
  'PAUSED (b scheduled)': () => play(envOf(chain()), [ok('a'), { type: 'pause' }]),
  'RUNNING (b done, c runs)': () => play(envOf(chain()), [ok('a'), ok('b')]),
  COMPENSATING: () => play(envOf(chain('compensate')), [ok('a'), fail('b')]),
  COMPLETED: () => play(envOf(chain()), [ok('a'), ok('b'), ok('c')]),
  'FAILED (b failed)': () => play(envOf(chain()), [ok('a'), fail('b')]),
  'FAILED after its saga': () => play(envOf(chain('compensate')), [ok('a'), fail('b'), undone('a')]),
  CANCELLED: () => play(envOf(chain()), [ok('a'), { type: 'cancel' }]),
};

describe('which states allow an operator control (on step b)', () => {
  it.each<[DecisionInput['type'], string, string]>([
    ['retry_from', 'RUNNING (b done, c runs)', 'RUNNING'],
    ['retry_from', 'FAILED (b failed)', 'RUNNING'],
    ['retry_from', 'RUNNING (b scheduled)', 'step "b" is SCHEDULED, still in progress; skip it, or retry from a step that has ended'],
    ['retry_from', 'COMPLETED', 'it has ended and reported its outcome; start a new instance instead'],
    ['retry_from', 'CANCELLED', 'it has ended and reported its outcome; start a new instance instead'],
    ['retry_from', 'COMPENSATING', 'wait for its compensation to finish'],
    ['retry_from', 'FAILED after its saga', 'its saga was compensated; start a new instance instead'],
    ['skip_step', 'RUNNING (b scheduled)', 'RUNNING'],
    ['skip_step', 'WAITING (b waits)', 'RUNNING'],
    ['skip_step', 'PAUSED (b scheduled)', 'PAUSED'],
    ['skip_step', 'FAILED (b failed)', 'RUNNING'],
    ['skip_step', 'RUNNING (b done, c runs)', 'step "b" is COMPLETED; only a scheduled, retrying or waiting step (or the failed step of a failed instance) can be skipped'],
    ['skip_step', 'COMPLETED', 'it has ended and reported its outcome'],
    ['skip_step', 'COMPENSATING', 'wait for its compensation to finish'],
    ['skip_step', 'FAILED after its saga', 'its saga was compensated'],
    ['update_data', 'RUNNING (b scheduled)', 'RUNNING'],
    ['update_data', 'PAUSED (b scheduled)', 'PAUSED'],
    ['update_data', 'COMPENSATING', 'COMPENSATING'],
    ['update_data', 'FAILED (b failed)', 'FAILED'],
    ['update_data', 'COMPLETED', "a finished instance's data is its outcome; start a new instance instead"],
    ['update_data', 'CANCELLED', "a finished instance's data is its outcome"],
  ])('%s on %s → %s', (type, state, outcome) => {
    const { env, instance } = in_[state]!();
    const input = type === 'retry_from' ? retryFrom('b') : type === 'skip_step' ? skip('b') : patch({ k: 1 });
    if (/^[A-Z]+$/.test(outcome)) {
      const d = apply(env, instance, input);
      expect(d.instance.state).toBe(outcome);
      // The actor is in the control's event.
      expect(d.events.find((e) => e.type.startsWith('instance.') || e.type === 'step.skipped_by_operator')!.data).toMatchObject({ by: 'ops' });
    } else {
      expect(() => decide(env, instance, input)).toThrow(IllegalTransitionError);
      expect(() => decide(env, instance, input)).toThrow(outcome);
    }
  });

  it.each(['retry_from', 'skip_step'] as const)('%s of a step the definition lacks is WF_INPUT_INVALID naming it and the steps', (type) => {
    const { env, instance } = in_['WAITING (b waits)']!();
    const input = type === 'retry_from' ? retryFrom('nope') : skip('nope');
    expect(() => decide(env, instance, input)).toThrow(WorkflowError);
    expect(() => decide(env, instance, input)).toThrow(/has no step "nope"; its steps are a, b, c/);
    try {
      decide(env, instance, input);
    } catch (error) {
      expect((error as WorkflowError).code).toBe(ErrorCode.InputInvalid);
    }
  });
});

describe('retry from a step', () => {
  it('clears the steps after it (records, compensation, open waits and timers) and runs it again as a new run', () => {
    const { env, instance } = play(envOf(chain()), [ok('a', { x: 1 }), ok('b'), waitFor('c', 'go', 60_000)]);
    const d = apply(env, instance, retryFrom('a'));
    expect(d.events.map((e) => [e.type, e.data])).toEqual([
      ['instance.retried_from', { stepId: 'a', cleared: ['b', 'c'], by: 'ops' }],
      ['step.scheduled', { action: 'x', run: 2 }],
    ]);
    expect(statuses(d.instance)).toEqual({ a: 'SCHEDULED' });
    expect(d.instance.timers.map((t) => t.id)).toEqual(['deadline']);
    expect(d.effects).toEqual([{ type: 'disarm', timerId: 'wait/c' }, { type: 'run', stepId: 'a', attempt: 1, kind: 'step', run: 2 }]);
    // The data keeps what the cleared steps merged; the steps run again with new run numbers.
    expect(d.instance.data).toEqual({ x: 1 });
    const again = apply(env, d.instance, ok('a'));
    expect(again.instance.steps.b).toMatchObject({ status: 'SCHEDULED', run: 2, attempt: 1 });
  });

  it('aborts running attempts of the steps it clears', () => {
    const { env, instance } = play(envOf(chain()), [ok('a'), ok('b')]);
    const d = apply(env, instance, retryFrom('b'));
    expect(d.effects).toContainEqual({ type: 'abort', stepIds: ['c'], reason: 'instance retried from step "b"' });
    expect(runs(d.effects)).toEqual(['step:b#1']);
    // A late result of the cleared attempt is stale.
    expectIgnored(decide(env, d.instance, ok('c')));
  });

  it('reopens a failed instance, re-arms its deadline, and a later saga compensates each step once', () => {
    const env = envOf(chain('compensate'));
    const failed = play(envOf(chain()), [ok('a'), ok('b'), fail('c')]).instance;
    const d = apply(at(env, NOW + 10), failed, retryFrom('a'));
    expect(d.instance).toMatchObject({ state: 'RUNNING', error: undefined, completedAt: undefined });
    expect(d.instance.timers).toEqual([{ id: 'deadline', kind: 'deadline', fireAt: NOW + 10 + 3_600_000 }]);
    let inst = apply(env, d.instance, ok('a')).instance;
    inst = apply(env, inst, fail('b')).instance;
    expect(inst.state).toBe('COMPENSATING');
    // Only a (re-done) is compensated: b's earlier completion was cleared.
    expect(Object.entries(inst.steps).filter(([, r]) => r.compensation).map(([id]) => id)).toEqual(['a']);
  });

  it('refuses a step that has not run', () => {
    const { env, instance } = play(envOf(chain()), [ok('a')]);
    expect(() => decide(env, instance, retryFrom('c'))).toThrow('step "c" has not run in this instance; retry from one that has (a, b)');
  });

  it('re-runs one member of a parallel group; the group joins again and routes on', () => {
    const env = envOf({
      name: 'par',
      steps: { s: { action: 'x' }, m1: { action: 'x' }, m2: { action: 'x' }, after: { action: 'x' } },
      parallel_groups: { both: ['m1', 'm2'] },
      transitions: [
        { from: 's', to: 'both' },
        { from: 'both', to: 'after' },
      ],
    });
    const { instance } = play(env, [ok('s'), ok('m1'), ok('m2')]);
    const d = apply(env, instance, retryFrom('m1'));
    expect(d.events[0]!.data).toMatchObject({ cleared: ['after'] });
    expect(statuses(d.instance)).toEqual({ s: 'COMPLETED', m1: 'SCHEDULED', m2: 'COMPLETED' });
    expect(statuses(apply(env, d.instance, ok('m1')).instance)).toMatchObject({ after: 'SCHEDULED' });
  });
});

describe('skip a step', () => {
  it('completes a running step with the data, routes on, and aborts the attempt (its outcome still recorded)', () => {
    const { env, instance } = play(envOf(chain()), [ok('a')]);
    const d = apply(env, instance, skip('b', { approved: true }));
    expect(trail(d.events)).toEqual(['step.skipped_by_operator:b', 'step.scheduled:c']);
    expect(d.events[0]!.data).toEqual({ stepId: 'b', status: 'SCHEDULED', data: { approved: true }, by: 'ops' });
    expect(d.instance.steps.b).toMatchObject({ status: 'COMPLETED', output: { approved: true } });
    expect(d.instance.data).toEqual({ approved: true });
    expect(d.effects).toContainEqual({ type: 'abort', stepIds: ['b'], reason: 'step "b" was skipped by an operator', recordLate: true });
    expect(runs(d.effects)).toEqual(['step:c#1']);
  });

  it.each([
    ['succeeded', ok('b', { approved: false })],
    ['failed', fail('b')],
  ])('refuses the late outcome (%s) of the attempt that ran, with an event, once', (_, late) => {
    const { env, instance } = play(envOf(chain()), [ok('a')]);
    const skipped = apply(env, instance, skip('b', { approved: true })).instance;
    const d = apply(env, skipped, late);
    expect(d.events).toEqual([
      expect.objectContaining({ type: 'step.outcome_discarded', stepId: 'b', attempt: 1, data: expect.objectContaining({ outcome: late.type, reason: expect.stringContaining('skipped by an operator') }) }),
    ]);
    expect(d.instance.data).toEqual({ approved: true });
    expect(d.instance.steps.c!.status).toBe('SCHEDULED');
    expectIgnored(decide(env, d.instance, late));
  });

  it('refuses the late outcome even once the instance has completed', () => {
    const { env, instance } = play(envOf(chain()), [ok('a'), ok('b')]);
    const done = apply(env, instance, skip('c')).instance;
    expect(done.state).toBe('COMPLETED');
    expect(trail(apply(env, done, ok('c')).events)).toEqual(['step.outcome_discarded:c']);
  });

  it('skips a wait: disarms its timeout and routes on', () => {
    const { env, instance } = play(envOf(chain()), [ok('a'), waitFor('b', 'go', 60_000)]);
    const d = apply(env, instance, skip('b'));
    expect(d.effects).toContainEqual({ type: 'disarm', timerId: 'wait/b' });
    expect(d.effects.some((e) => e.type === 'abort')).toBe(false);
    expect(d.instance.steps.b!.skipped).toBeUndefined();
  });

  it('skips an open task: the task is cancelled, its due timer disarmed', () => {
    const env = envOf({ name: 'task', steps: { t: { action: 'x', assigned_to: 'managers', timeout: '1d' }, n: { action: 'x' } }, transitions: [{ from: 't', to: 'n' }] });
    const { instance } = play(env, [ok('t')]);
    expect(instance.steps.t!.task!.state).toBe('OPEN');
    const d = apply(env, instance, skip('t', { approved: true }));
    expect(d.instance.steps.t!.task!.state).toBe('CANCELLED');
    expect(d.effects).toContainEqual({ type: 'disarm', timerId: 'task/t' });
    expect(statuses(d.instance)).toEqual({ t: 'COMPLETED', n: 'SCHEDULED' });
  });

  it('skips a step waiting to retry: its retry timer is disarmed', () => {
    const env = envOf({ name: 'r', steps: { a: { action: 'x', retry_attempts: 3, retry_delay: '1m' }, n: { action: 'x' } }, transitions: [{ from: 'a', to: 'n' }] });
    const { instance } = play(env, [fail('a', 1, true)]);
    expect(instance.steps.a!.status).toBe('RETRY_WAIT');
    const d = apply(env, instance, skip('a'));
    expect(d.effects).toContainEqual({ type: 'disarm', timerId: 'retry/a' });
    expect(d.instance.timers).toEqual([]);
    expect(statuses(d.instance)).toEqual({ a: 'COMPLETED', n: 'SCHEDULED' });
  });

  it('skips a step waiting for a child: the child is cancelled, and its end no longer reaches the step', () => {
    const { env, instance } = play(envOf(chain()), [ok('a'), { type: 'step.child', stepId: 'b', attempt: 1, childId: 'kid', workflow: 'sub' }]);
    const d = apply(env, instance, skip('b'));
    expect(d.effects).toContainEqual({ type: 'cancelChild', childId: 'kid', reason: 'step "b" was skipped by an operator' });
    expectIgnored(decide(env, d.instance, { type: 'child.finished', stepId: 'b', childId: 'kid', state: 'CANCELLED', data: {} }));
  });

  it('skips a step of a paused instance: it routes on, but the next step starts on resume', () => {
    const { env, instance } = in_['PAUSED (b scheduled)']!();
    const d = apply(env, instance, skip('b'));
    expect(statuses(d.instance)).toMatchObject({ b: 'COMPLETED', c: 'SCHEDULED' });
    expect(runs(d.effects)).toEqual([]);
    expect(runs(apply(env, d.instance, { type: 'resume' }).effects)).toEqual(['step:c#1']);
  });

  it('skips the failed step of a failed instance: it runs again from there', () => {
    const { env, instance } = play(envOf(chain()), [ok('a'), fail('b')]);
    const d = apply(env, instance, skip('b', { fixed: true }));
    expect(d.instance).toMatchObject({ state: 'RUNNING', error: undefined, data: { fixed: true } });
    expect(runs(d.effects)).toEqual(['step:c#1']);
  });
});

describe('update data', () => {
  it('shallow-merges the patch, a null removes a key, and the patch is in the history with the actor', () => {
    const { env, instance } = play(envOf(chain()), [], { keep: 1, drop: 2, nested: { a: 1 } });
    const d = apply(env, instance, patch({ drop: null, nested: { b: 2 }, added: 'x' }));
    expect(d.instance.data).toEqual({ keep: 1, nested: { b: 2 }, added: 'x' });
    expect(Object.isFrozen(d.instance.data.nested)).toBe(true);
    expect(d.events).toEqual([
      expect.objectContaining({ type: 'instance.data_updated', data: { keys: ['drop', 'nested', 'added'], patch: { drop: null, nested: { b: 2 }, added: 'x' }, by: 'ops' } }),
    ]);
    expect(d.effects).toEqual([]);
  });

  it('refuses an empty patch', () => {
    const { env, instance } = play(envOf(chain()));
    expect(() => decide(env, instance, patch({}))).toThrow('updateData(id, patch): the patch is empty');
  });
});

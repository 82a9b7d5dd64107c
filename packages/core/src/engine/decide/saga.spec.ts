/** Failure and the saga: what is undone, in which order, and how a failing compensation ends. */
import { describe, expect, it } from '@jest/globals';
import type { WorkflowDefinitionInput } from '../../definition/definition.types.js';
import { ErrorCode } from '../../errors.js';
import { decide } from './index.js';
import { apply, envOf, expectIgnored, fail, fire, NOW, ok, ONE_QUICK_RETRY, play, runs, statuses, trail, types, undoFailed, undone } from '../../../test/support/decide-setup.js';
import type { DecisionInput } from './types.js';

/** s, then branches a/b/c in parallel, then end; every step but c can be undone. */
const saga: WorkflowDefinitionInput = {
  name: 'saga',
  steps: {
    s: { action: 'x', compensation: 'undo_s' },
    a: { action: 'x', compensation: 'undo_a' },
    b: { action: 'x', compensation: 'undo_b' },
    c: { action: 'x' },
    end: { action: 'x', compensation: 'undo_end' },
  },
  parallel_groups: { branches: ['a', 'b', 'c'] },
  transitions: [
    { from: 's', to: 'branches' },
    { from: 'branches', to: 'end' },
  ],
  error_handling: { on_failure: 'compensate', notification_channels: ['ops'] },
};

describe('saga across parallel branches', () => {
  it.each<{ name: string; inputs: DecisionInput[]; undo: string[]; cancelled: string[] }>([
    { name: 'a, b, c done, end fails', inputs: [ok('s'), ok('a'), ok('b'), ok('c'), fail('end')], undo: ['b', 'a', 's'], cancelled: [] },
    { name: 'b, c, a done, end fails', inputs: [ok('s'), ok('b'), ok('c'), ok('a'), fail('end')], undo: ['a', 'b', 's'], cancelled: [] },
    { name: 'b done, a fails while c runs', inputs: [ok('s'), ok('b'), fail('a')], undo: ['b', 's'], cancelled: ['c'] },
    { name: 'c done, b then a done, end fails', inputs: [ok('s'), ok('c'), ok('b'), ok('a'), fail('end')], undo: ['a', 'b', 's'], cancelled: [] },
  ])('$name: undoes $undo one at a time, latest completed first', ({ inputs, undo, cancelled }) => {
    const failed = play(envOf(saga), inputs);
    expect(failed.instance.state).toBe('COMPENSATING');
    const started = failed.events.find((e) => e.type === 'compensation.started');
    expect(started?.data).toEqual({ steps: undo });
    for (const id of cancelled) expect(failed.instance.steps[id]!.status).toBe('CANCELLED');
    if (cancelled.length) expect(failed.effects).toContainEqual({ type: 'abort', stepIds: cancelled, reason: 'workflow failed' });

    // Each compensation's success schedules the next; the last one ends the saga.
    let inst = failed.instance;
    expect(runs(failed.effects)).toEqual([`compensation:${undo[0]}#1`]);
    for (const [i, id] of undo.entries()) {
      const next = apply(failed.env, inst, undone(id));
      inst = next.instance;
      expect(runs(next.effects)).toEqual(i + 1 < undo.length ? [`compensation:${undo[i + 1]}#1`] : []);
      if (i + 1 === undo.length) expect(types(next.events)).toEqual(['compensation.step_completed', 'compensation.completed', 'workflow.failed']);
    }
    expect(inst.state).toBe('FAILED');
    expect(inst.compensation).toEqual({ status: 'COMPLETED', failed: [] });
  });

  it('a compensation failing after its retry is recorded and the rest still run', () => {
    const env = envOf(saga, ONE_QUICK_RETRY);
    const steps: Array<{ input: DecisionInput; trail: string[]; runs: string[] }> = [
      { input: undoFailed('b', 1), trail: ['compensation.step_failed:b'], runs: ['compensation:b#2'] },
      { input: undoFailed('b', 2), trail: ['compensation.step_failed:b'], runs: ['compensation:a#1'] },
      { input: undone('a'), trail: ['compensation.step_completed:a'], runs: ['compensation:s#1'] },
      { input: undone('s'), trail: ['compensation.step_completed:s', 'compensation.failed', 'workflow.failed:end'], runs: [] },
    ];
    let inst = play(env, [ok('s'), ok('a'), ok('b'), ok('c'), fail('end')]).instance;
    for (const s of steps) {
      const d = apply(env, inst, s.input);
      expect([trail(d.events), runs(d.effects)]).toEqual([s.trail, s.runs]);
      inst = d.instance;
    }
    expect(inst.steps.b!.compensation).toMatchObject({ status: 'FAILED', attempt: 2 });
    expect(inst.compensation).toEqual({ status: 'FAILED', failed: ['b'] });
    expect(inst.state).toBe('FAILED');
  });

  it('the last failure of a compensation says it is final; a retry names the next attempt', () => {
    const env = envOf(saga, ONE_QUICK_RETRY);
    const first = apply(env, play(env, [ok('s'), ok('a'), ok('b'), ok('c'), fail('end')]).instance, undoFailed('b', 1));
    const last = apply(env, first.instance, undoFailed('b', 2));
    expect(first.events[0]!.data).toMatchObject({ nextAttempt: 2, delayMs: 0, action: 'undo_b' });
    expect(last.events[0]!.data).toMatchObject({ final: true, action: 'undo_b' });
  });

  it('a compensation retry with a delay waits on a durable timer', () => {
    const env = envOf(saga); // default: 3 retries, 1s doubling
    const waiting = apply(env, play(env, [ok('s'), ok('a'), ok('b'), ok('c'), fail('end')]).instance, undoFailed('b'));
    expect(waiting.instance.steps.b!.compensation).toMatchObject({ status: 'RETRY_WAIT', attempt: 2 });
    expect(waiting.effects).toEqual([{ type: 'arm', timer: { id: 'compensate/b', kind: 'compensation_retry', fireAt: NOW + 1_000, stepId: 'b' } }]);
    const due = apply(env, waiting.instance, fire('compensate/b'));
    expect(due.effects).toEqual([{ type: 'run', stepId: 'b', attempt: 2, kind: 'compensation', run: 1 }]);
    expect(due.instance.steps.b!.compensation!.status).toBe('SCHEDULED');
  });

  it.each<{ name: string; input: DecisionInput }>([
    { name: 'a result of another attempt', input: undone('b', 2) },
    { name: 'a result of a compensation still pending', input: undone('a') },
    { name: 'a step result while compensating', input: ok('end') },
    { name: 'a step failure while compensating', input: fail('c') },
  ])('ignores $name', ({ input }) => {
    const { env, instance } = play(envOf(saga), [ok('s'), ok('a'), ok('b'), ok('c'), fail('end')]);
    expectIgnored(decide(env, instance, input));
  });

  it('ignores a compensation result when no saga runs', () => {
    const { env, instance } = play(envOf(saga), [ok('s')]);
    expectIgnored(decide(env, instance, undone('s')), 'stale compensation result');
  });
});

describe('failure modes', () => {
  const oneStep = (onFailure: 'fail' | 'notify' | 'compensate' | 'compensate_and_notify'): WorkflowDefinitionInput => ({
    name: 'f',
    steps: { s: { action: 'x', compensation: 'undo_s' }, t: { action: 'x' } },
    transitions: [{ from: 's', to: 't' }],
    error_handling: { on_failure: onFailure, notification_channels: ['ops'] },
  });

  it.each([
    { mode: 'fail', undo: [], trail: ['step.failed:t', 'workflow.failed:t'], notify: undefined },
    { mode: 'notify', undo: [], trail: ['step.failed:t', 'workflow.failed:t'], notify: ['ops'] },
    { mode: 'compensate', undo: [undone('s')], trail: ['compensation.step_completed:s', 'compensation.completed', 'workflow.failed:t'], notify: undefined },
    { mode: 'compensate_and_notify', undo: [undone('s')], trail: ['compensation.step_completed:s', 'compensation.completed', 'workflow.failed:t'], notify: ['ops'] },
  ] as const)('on_failure $mode: $trail', ({ mode, undo, trail: expected, notify }) => {
    const end = play(envOf(oneStep(mode)), [ok('s'), fail('t'), ...undo]);
    expect(end.instance.state).toBe('FAILED');
    expect(trail(end.events)).toEqual(expected);
    const failedEvent = end.events.at(-1)!;
    expect(failedEvent.data).toMatchObject({ error: { message: 't broke', retryable: false } });
    expect((failedEvent.data as { notify?: string[] }).notify).toEqual(notify);
    expect(end.instance.error).toMatchObject({ stepId: 't' });
  });

  it('a failure with nothing to undo still goes through an empty saga', () => {
    const end = play(envOf(oneStep('compensate')), [fail('s')]);
    expect(trail(end.events)).toEqual(['step.failed:s', 'compensation.started', 'compensation.completed', 'workflow.failed:s']);
    expect(end.instance.compensation).toEqual({ status: 'COMPLETED', failed: [] });
  });

  it('a failing member of a group fails the workflow whatever the join, cancelling the others', () => {
    const def: WorkflowDefinitionInput = { ...saga, transitions: [saga.transitions![0]!, { from: 'branches', to: 'end', join: 'any' }], error_handling: {} };
    const end = play(envOf(def), [ok('s'), fail('b')]);
    expect(statuses(end.instance)).toEqual({ s: 'COMPLETED', a: 'CANCELLED', b: 'FAILED', c: 'CANCELLED' });
    expect(end.instance.state).toBe('FAILED');
    expect(end.effects).toEqual([{ type: 'abort', stepIds: ['a', 'c'], reason: 'workflow failed' }]);
  });

  it('a dead end in routing fails with WF_NO_ROUTE, and no step to retry', () => {
    const def: WorkflowDefinitionInput = { name: 'dead', steps: { s: { action: 'x' }, t: { action: 'x' } }, transitions: [{ from: 's', to: 't', condition: 'go == true' }] };
    const end = play(envOf(def), [ok('s')]);
    expect(end.instance.error?.code).toBe(ErrorCode.NoRoute);
    expect(() => decide(end.env, end.instance, { type: 'retry' })).toThrow(/no step failed/);
  });
});

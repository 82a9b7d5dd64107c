/** Results of work: success and its data, retries, waits and buffered signals, child workflows, stale inputs. */
import { describe, expect, it } from '@jest/globals';
import type { StepDefinitionInput, WorkflowDefinitionInput } from '../../definition/definition.types.js';
import { ErrorCode } from '../../errors.js';
import type { InstanceState } from '../../model/instance.types.js';
import { decide } from './index.js';
import { apply, at, envOf, expectIgnored, fail, NOW, ok, play, runs, statuses, trail } from '../../../test/support/decide-setup.js';
import type { DecisionInput } from './types.js';

/** a, then b. */
const pair = (a: Partial<StepDefinitionInput> = {}): WorkflowDefinitionInput => ({
  name: 'pair',
  steps: { a: { action: 'x', ...a }, b: { action: 'x' } },
  transitions: [{ from: 'a', to: 'b' }],
});

const wait = (signal: string, timeoutMs?: number): DecisionInput => ({ type: 'step.wait', stepId: 'a', attempt: 1, signal, ...(timeoutMs ? { timeoutMs } : {}) });
const child: DecisionInput = { type: 'step.child', stepId: 'a', attempt: 1, childId: 'c1', workflow: 'sub' };
const childEnded = (state: InstanceState, childId = 'c1'): DecisionInput => ({
  type: 'child.finished',
  stepId: 'a',
  childId,
  state,
  data: { total: 42 },
  ...(state === 'FAILED' ? { error: { message: 'card declined' } } : {}),
});

describe('a step succeeding', () => {
  it('records its output, merges it into frozen data, and routes on', () => {
    const env = envOf(pair());
    const started = play(env, [], { k: 1 });
    const done = apply(at(env, NOW + 250), started.instance, ok('a', { v: { deep: 1 } }));
    expect(done.instance.steps.a).toMatchObject({ status: 'COMPLETED', completedAt: NOW + 250, completedSeq: 1, output: { v: { deep: 1 } } });
    expect(done.instance.data).toEqual({ k: 1, v: { deep: 1 } });
    expect(Object.isFrozen(done.instance.data) && Object.isFrozen(done.instance.data.v)).toBe(true);
    expect(done.events[0]).toMatchObject({ type: 'step.completed', stepId: 'a', attempt: 1, data: { durationMs: 250, output: { v: { deep: 1 } } } });
    expect(runs(done.effects)).toEqual(['step:b#1']);
  });

  it('numbers completions in order (the saga undoes them backwards)', () => {
    const done = play(envOf(pair()), [ok('a'), ok('b')]).instance;
    expect([done.steps.a!.completedSeq, done.steps.b!.completedSeq, done.completions]).toEqual([1, 2, 2]);
  });

  it("an async step's output is recorded but not merged into the data", () => {
    const env = envOf(pair({ async: true }));
    const done = apply(env, play(env).instance, ok('a', { v: 1 }));
    expect(done.instance.steps.a!.output).toEqual({ v: 1 });
    expect(done.instance.data).toEqual({});
  });
});

describe('a step failing', () => {
  it.each<{ name: string; step: Partial<StepDefinitionInput>; failures: DecisionInput[]; status: string; attempt: number; effects: unknown[] }>([
    { name: 'no retry policy: fails', step: {}, failures: [fail('a', 1, true)], status: 'FAILED', attempt: 1, effects: [] },
    { name: 'not retryable: fails despite the policy', step: { retry_attempts: 2, retry_delay: 0 }, failures: [fail('a', 1, false)], status: 'FAILED', attempt: 1, effects: [] },
    { name: 'no delay: the next attempt runs at once', step: { retry_attempts: 2, retry_delay: 0 }, failures: [fail('a', 1, true)], status: 'SCHEDULED', attempt: 2, effects: [{ type: 'run', stepId: 'a', attempt: 2, kind: 'step', run: 1 }] },
    {
      name: 'fixed delay: waits on a retry timer',
      step: { retry_attempts: 2, retry_delay: '5s' },
      failures: [fail('a', 1, true)],
      status: 'RETRY_WAIT',
      attempt: 2,
      effects: [{ type: 'arm', timer: { id: 'retry/a', kind: 'retry', fireAt: NOW + 5_000, stepId: 'a' } }],
    },
    {
      name: 'exponential delay: doubles for the second retry',
      step: { retry_attempts: 3, retry_delay: '1s', retry_backoff: 'exponential' },
      failures: [fail('a', 1, true), { type: 'timer.fired', timerId: 'retry/a' }, fail('a', 2, true)],
      status: 'RETRY_WAIT',
      attempt: 3,
      effects: [{ type: 'arm', timer: { id: 'retry/a', kind: 'retry', fireAt: NOW + 2_000, stepId: 'a' } }],
    },
    { name: 'retries used up: fails', step: { retry_attempts: 1, retry_delay: 0 }, failures: [fail('a', 1, true), fail('a', 2, true)], status: 'FAILED', attempt: 2, effects: [] },
  ])('$name', ({ step, failures, status, attempt, effects }) => {
    const end = play(envOf(pair(step)), failures);
    expect(end.instance.steps.a).toMatchObject({ status, attempt });
    expect(end.effects).toEqual(effects);
    if (status === 'FAILED') {
      expect(end.instance.state).toBe('FAILED');
      expect(trail(end.events)).toEqual(['step.failed:a', 'workflow.failed:a']);
      expect(end.events[0]!.data).toEqual({ error: { message: 'a broke', retryable: expect.any(Boolean) }, attempts: attempt });
    } else {
      expect(end.events.at(-1)).toMatchObject({ type: 'step.retrying', stepId: 'a', attempt: attempt - 1, data: { nextAttempt: attempt } });
    }
  });
});

describe('a step waiting for a signal', () => {
  it.each([
    { name: 'no signal buffered: waits', buffered: [], timeoutMs: undefined, status: 'WAITING', left: [] },
    { name: 'no signal buffered, with a timeout: waits on a timer', buffered: [], timeoutMs: 60_000, status: 'WAITING', left: [] },
    { name: 'another signal buffered: waits, the other stays', buffered: ['other'], timeoutMs: undefined, status: 'WAITING', left: ['other'] },
    { name: 'the signal buffered: consumes it and completes', buffered: ['go'], timeoutMs: 60_000, status: 'COMPLETED', left: [] },
    { name: 'the signal buffered twice: consumes the first only', buffered: ['go', 'go'], timeoutMs: undefined, status: 'COMPLETED', left: ['go'] },
  ])('$name', ({ buffered, timeoutMs, status, left }) => {
    const signals = buffered.map((name, i): DecisionInput => ({ type: 'signal', name, payload: { n: i } }));
    const end = play(envOf(pair()), [...signals, wait('go', timeoutMs)]);
    expect(end.instance.steps.a!.status).toBe(status);
    expect(end.instance.signals.map((s) => s.name)).toEqual(left);
    if (status === 'COMPLETED') {
      expect(end.instance.data).toEqual({ n: 0 });
      expect(trail(end.events)).toEqual(['step.completed:a', 'step.scheduled:b']);
      expect(end.instance.timers).toEqual([]);
    } else {
      expect(end.instance.state).toBe('WAITING');
      const deadline = timeoutMs === undefined ? {} : { deadline: NOW + timeoutMs };
      expect(end.instance.steps.a!.wait).toEqual({ signal: 'go', ...deadline });
      expect(end.events).toEqual([expect.objectContaining({ type: 'step.waiting', stepId: 'a', data: { signal: 'go', ...deadline } })]);
      expect(end.effects).toEqual(timeoutMs === undefined ? [] : [{ type: 'arm', timer: { id: 'wait/a', kind: 'wait_timeout', fireAt: NOW + timeoutMs, stepId: 'a' } }]);
    }
  });
});

describe('a child workflow', () => {
  it('a step that starts a child waits for it', () => {
    const started = play(envOf(pair()), [child]);
    expect(started.instance).toMatchObject({ state: 'WAITING', steps: { a: { status: 'WAITING', wait: { child: 'c1' } } } });
    expect(started.events).toEqual([expect.objectContaining({ type: 'child.started', stepId: 'a', data: { childId: 'c1', workflow: 'sub' } })]);
  });

  it.each<{ state: InstanceState; step: string; instance: string; message?: string }>([
    { state: 'COMPLETED', step: 'COMPLETED', instance: 'RUNNING' },
    { state: 'FAILED', step: 'FAILED', instance: 'FAILED', message: 'Child workflow c1 ended FAILED: card declined' },
    { state: 'CANCELLED', step: 'FAILED', instance: 'FAILED', message: 'Child workflow c1 ended CANCELLED' },
  ])('child $state: the step is $step, the instance $instance', ({ state, step, instance, message }) => {
    const env = envOf(pair({ retry_attempts: 3, retry_delay: 0 }));
    const end = apply(env, play(env, [child]).instance, childEnded(state));
    expect(end.events[0]).toMatchObject({ type: 'child.finished', stepId: 'a', data: { childId: 'c1', state } });
    expect(statuses(end.instance).a).toBe(step);
    expect(end.instance.state).toBe(instance);
    if (message === undefined) {
      expect(end.instance.data).toEqual({ a: { total: 42 } });
      expect(runs(end.effects)).toEqual(['step:b#1']);
    } else {
      expect(end.instance.steps.a!.error).toEqual({ message, code: ErrorCode.ChildFailed, retryable: false });
      expect(end.instance.data).toEqual({});
    }
  });
});

describe('stale and duplicate inputs are ignored', () => {
  it.each<{ name: string; inputs: DecisionInput[]; input: DecisionInput; reason: string }>([
    { name: 'a result of another attempt', inputs: [], input: ok('a', undefined, 2), reason: 'stale or duplicate step result' },
    { name: 'a second result of the same attempt', inputs: [ok('a')], input: ok('a'), reason: 'stale or duplicate step result' },
    { name: 'a failure after the success', inputs: [ok('a')], input: fail('a'), reason: 'stale or duplicate step result' },
    { name: 'a result of a step never entered', inputs: [], input: ok('b'), reason: 'stale or duplicate step result' },
    { name: 'a result while the step waits', inputs: [wait('go')], input: ok('a'), reason: 'stale or duplicate step result' },
    { name: 'a result after the instance ended', inputs: [ok('a'), ok('b')], input: ok('b'), reason: 'instance is COMPLETED' },
    { name: 'a result after a cancel', inputs: [{ type: 'cancel' }], input: ok('a'), reason: 'instance is CANCELLED' },
    { name: 'the end of a child no step waits for', inputs: [child], input: childEnded('COMPLETED', 'c2'), reason: 'no step waits for this child' },
    { name: 'the end of a child already finished', inputs: [child, childEnded('COMPLETED')], input: childEnded('FAILED'), reason: 'no step waits for this child' },
  ])('$name', ({ inputs, input, reason }) => {
    const { env, instance } = play(envOf(pair()), inputs);
    expectIgnored(decide(env, instance, input), reason);
  });
});

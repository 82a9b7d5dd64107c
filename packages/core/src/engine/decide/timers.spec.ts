/** Durable timers: retries due, wait timeouts, the workflow deadline, and timers that no longer apply. */
import { describe, expect, it } from '@jest/globals';
import type { WorkflowDefinitionInput } from '../../definition/definition.types.js';
import { ErrorCode } from '../../errors.js';
import { decide } from './index.js';
import { apply, envOf, expectIgnored, fail, fire, NOW, ok, play, runs, trail } from '../../../test/support/decide-setup.js';
import type { DecisionInput } from './types.js';

const HOUR = 3_600_000;

/** s (undoable), then a (retried once after 5s), then b; a deadline of 1h. */
const def = (onFailure: 'fail' | 'compensate' = 'fail'): WorkflowDefinitionInput => ({
  name: 'timed',
  timeout: '1h',
  steps: { s: { action: 'x', compensation: 'undo_s' }, a: { action: 'x', retry_attempts: 1, retry_delay: '5s' }, b: { action: 'x' } },
  transitions: [
    { from: 's', to: 'a' },
    { from: 'a', to: 'b' },
  ],
  error_handling: { on_failure: onFailure },
});

const wait = (timeoutMs: number): DecisionInput => ({ type: 'step.wait', stepId: 'a', attempt: 1, signal: 'go', timeoutMs });

describe('timers that no longer apply are ignored', () => {
  it.each<{ name: string; inputs: DecisionInput[]; input: DecisionInput; reason: string }>([
    { name: 'an unknown timer', inputs: [], input: fire('nope'), reason: 'no timer nope' },
    { name: 'a timer disarmed since (the signal came)', inputs: [ok('s'), wait(60_000), { type: 'signal', name: 'go', payload: {} }], input: fire('wait/a'), reason: 'no timer wait/a' },
    { name: 'a timer re-armed for another time', inputs: [ok('s'), fail('a', 1, true)], input: { type: 'timer.fired', timerId: 'retry/a', fireAt: NOW + 1 }, reason: `timer retry/a was re-armed for ${NOW + 5_000}` },
    { name: 'a timer of an ended instance', inputs: [{ type: 'cancel' }], input: fire('deadline'), reason: 'instance is CANCELLED' },
  ])('$name', ({ inputs, input, reason }) => {
    const { env, instance } = play(envOf(def()), inputs);
    expectIgnored(decide(env, instance, input), reason);
  });
});

describe('a retry falling due', () => {
  it.each([
    { name: 'running: the next attempt runs', pause: false, effects: [{ type: 'run', stepId: 'a', attempt: 2, kind: 'step', run: 1 }] },
    { name: 'paused: the next attempt is scheduled but waits for resume', pause: true, effects: [] },
  ])('$name', ({ pause, effects }) => {
    const inputs: DecisionInput[] = [ok('s'), fail('a', 1, true), ...(pause ? [{ type: 'pause' } as const] : [])];
    const waiting = play(envOf(def()), inputs);
    const due = apply(waiting.env, waiting.instance, { type: 'timer.fired', timerId: 'retry/a', fireAt: NOW + 5_000 });
    expect(due.instance.steps.a).toMatchObject({ status: 'SCHEDULED', attempt: 2 });
    expect(due.instance.timers.map((t) => t.id)).toEqual(['deadline']);
    expect(due.events).toEqual([]);
    expect(due.effects).toEqual(effects);
  });
});

describe('a wait timing out', () => {
  it.each([
    { name: 'with a retry left: the step runs again', retries: 1, status: 'RETRY_WAIT', state: 'RUNNING', trail: ['step.retrying:a'] },
    { name: 'without: the step and the workflow fail', retries: 0, status: 'FAILED', state: 'FAILED', trail: ['step.failed:a', 'workflow.failed:a'] },
  ])('$name', ({ retries, status, state, trail: expected }) => {
    const d = def();
    d.steps.a!.retry_attempts = retries;
    const waiting = play(envOf(d), [ok('s'), wait(60_000)]);
    const due = apply(waiting.env, waiting.instance, fire('wait/a'));
    expect(due.instance.steps.a!.status).toBe(status);
    expect(due.instance.state).toBe(state);
    expect(trail(due.events)).toEqual(expected);
    expect(due.events[0]!.data).toMatchObject({ error: { message: 'No signal "go" arrived before the wait\'s timeout', code: ErrorCode.Timeout, retryable: true } });
  });
});

describe('the workflow deadline', () => {
  it('is armed at the start, for the definition timeout', () => {
    const started = play(envOf(def()));
    expect(started.instance.timers).toEqual([{ id: 'deadline', kind: 'deadline', fireAt: NOW + HOUR }]);
  });

  it.each([
    {
      name: 'on_failure fail: cancels the running step and fails',
      mode: 'fail' as const,
      state: 'FAILED',
      trail: ['workflow.timed_out', 'step.cancelled:a', 'workflow.failed'],
      runs: [],
    },
    {
      name: 'on_failure compensate: cancels the running step and undoes the completed ones',
      mode: 'compensate' as const,
      state: 'COMPENSATING',
      trail: ['workflow.timed_out', 'step.cancelled:a', 'compensation.started'],
      runs: ['compensation:s#1'],
    },
  ])('$name', ({ mode, state, trail: expected, runs: expectedRuns }) => {
    const running = play(envOf(def(mode)), [ok('s')]);
    const due = apply(running.env, running.instance, fire('deadline'));
    expect(due.instance.state).toBe(state);
    expect(trail(due.events)).toEqual(expected);
    expect(due.events[0]!.data).toEqual({ timeoutMs: HOUR });
    expect(due.instance.error).toEqual({ message: 'Workflow deadline passed (timeout 1h)', code: ErrorCode.Timeout, retryable: false });
    expect(due.effects).toContainEqual({ type: 'abort', stepIds: ['a'], reason: 'workflow failed' });
    expect(runs(due.effects)).toEqual(expectedRuns);
  });

  it('a paused instance fails on its deadline too', () => {
    const paused = play(envOf(def()), [ok('s'), { type: 'pause' }]);
    expect(apply(paused.env, paused.instance, fire('deadline')).instance.state).toBe('FAILED');
  });

  it('is disarmed when the saga starts, and ignored should it fire while compensating', () => {
    const compensating = play(envOf(def('compensate')), [ok('s'), fail('a')]);
    expect(compensating.instance.state).toBe('COMPENSATING');
    expect(compensating.effects).toContainEqual({ type: 'disarm', timerId: 'deadline' });
    // A record still holding its deadline (fired before the disarm reached the timer service).
    const late = { ...compensating.instance, timers: [{ id: 'deadline', kind: 'deadline' as const, fireAt: NOW + HOUR }] };
    const due = apply(compensating.env, late, fire('deadline'));
    expect(due.instance.state).toBe('COMPENSATING');
    expect(due.instance.timers).toEqual([]);
    expect([due.events, due.effects]).toEqual([[], []]);
  });
});

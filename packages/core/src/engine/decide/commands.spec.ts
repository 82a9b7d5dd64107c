/** Commands: which states allow them, and what pause, resume, cancel, retry and signals record. */
import { describe, expect, it } from '@jest/globals';
import type { WorkflowDefinitionInput } from '../../definition/definition.types.js';
import { ErrorCode, IllegalTransitionError } from '../../errors.js';
import { decide } from './index.js';
import { apply, envOf, fail, NOW, ok, play, runs, statuses, trail, undone, type Played } from '../../../test/support/decide-setup.js';
import type { DecisionInput } from './types.js';

/** s (undoable), then w1 and w2 in parallel (they wait for signals or children); a deadline of 1h. */
const def = (onFailure: 'fail' | 'compensate' = 'fail'): WorkflowDefinitionInput => ({
  name: 'cmd',
  timeout: '1h',
  steps: { s: { action: 'x', compensation: 'undo_s' }, w1: { action: 'x' }, w2: { action: 'x' } },
  parallel_groups: { both: ['w1', 'w2'] },
  transitions: [{ from: 's', to: 'both' }],
  error_handling: { on_failure: onFailure },
});

const waitFor = (stepId: string, signal: string, timeoutMs?: number): DecisionInput => ({ type: 'step.wait', stepId, attempt: 1, signal, ...(timeoutMs ? { timeoutMs } : {}) });

/** An instance in each state a command may meet. */
const in_: Record<string, () => Played> = {
  RUNNING: () => play(envOf(def())),
  WAITING: () => play(envOf(def()), [ok('s'), waitFor('w1', 'go'), waitFor('w2', 'go')]),
  PAUSED: () => play(envOf(def()), [{ type: 'pause' }]),
  COMPENSATING: () => play(envOf(def('compensate')), [ok('s'), fail('w1')]),
  COMPLETED: () => play(envOf(def()), [ok('s'), ok('w1'), ok('w2')]),
  FAILED: () => play(envOf(def()), [ok('s'), fail('w1')]),
  'FAILED after its saga': () => play(envOf(def('compensate')), [ok('s'), fail('w1'), undone('s')]),
  CANCELLED: () => play(envOf(def()), [{ type: 'cancel' }]),
};

describe('which states allow a command', () => {
  it.each<[DecisionInput['type'], string, string]>([
    ['pause', 'RUNNING', 'PAUSED'],
    ['pause', 'WAITING', 'PAUSED'],
    ['pause', 'PAUSED', 'only RUNNING or WAITING instances can be paused'],
    ['pause', 'COMPENSATING', 'only RUNNING or WAITING instances can be paused'],
    ['pause', 'COMPLETED', 'only RUNNING or WAITING instances can be paused'],
    ['resume', 'PAUSED', 'RUNNING'],
    ['resume', 'RUNNING', 'only PAUSED instances can be resumed'],
    ['cancel', 'RUNNING', 'CANCELLED'],
    ['cancel', 'WAITING', 'CANCELLED'],
    ['cancel', 'PAUSED', 'CANCELLED'],
    ['cancel', 'COMPENSATING', 'wait for its compensation to finish'],
    ['cancel', 'COMPLETED', 'it has already ended'],
    ['cancel', 'CANCELLED', 'it has already ended'],
    ['retry', 'FAILED', 'RUNNING'],
    ['retry', 'RUNNING', 'only FAILED instances can be retried'],
    ['retry', 'CANCELLED', 'only FAILED instances can be retried'],
    ['retry', 'FAILED after its saga', 'its saga was compensated; start a new instance instead'],
    ['signal', 'RUNNING', 'RUNNING'],
    ['signal', 'WAITING', 'COMPLETED'],
    ['signal', 'PAUSED', 'PAUSED'],
    ['signal', 'COMPENSATING', 'signals reach only running, waiting or paused instances'],
    ['signal', 'COMPLETED', 'signals reach only running, waiting or paused instances'],
    ['signal', 'FAILED', 'signals reach only running, waiting or paused instances'],
  ])('%s on %s → %s', (type, state, outcome) => {
    const { env, instance } = in_[state]!();
    const input = (type === 'signal' ? { type, name: 'go', payload: {} } : { type }) as DecisionInput;
    if (/^[A-Z]+$/.test(outcome)) {
      expect(apply(env, instance, input).instance.state).toBe(outcome);
    } else {
      expect(() => decide(env, instance, input)).toThrow(IllegalTransitionError);
      expect(() => decide(env, instance, input)).toThrow(`it is ${instance.state}; ${outcome}`);
    }
  });
});

describe('pause and resume', () => {
  it.each([
    { from: 'RUNNING', back: 'RUNNING' },
    { from: 'WAITING', back: 'WAITING' },
  ])('resuming an instance paused while $from makes it $back again', ({ from, back }) => {
    const { env, instance } = in_[from]!();
    const paused = apply(env, instance, { type: 'pause', by: 'ops' });
    expect(paused.instance.pausedFrom).toBe(from);
    expect(paused.events).toEqual([expect.objectContaining({ type: 'workflow.paused', data: { by: 'ops' } })]);
    const resumed = apply(env, paused.instance, { type: 'resume' });
    expect(resumed.instance).toMatchObject({ state: back, pausedFrom: undefined });
  });
});

describe('cancel', () => {
  it('stops every branch, its children and timers, records who and why, and does not compensate', () => {
    const { env, instance } = play(envOf(def('compensate')), [ok('s'), { type: 'step.child', stepId: 'w1', attempt: 1, childId: 'c1', workflow: 'sub' }, waitFor('w2', 'go', 60_000)]);
    const cancelled = apply(env, instance, { type: 'cancel', reason: 'customer left', by: 'ops', from: '10.0.0.1' });
    expect(cancelled.instance).toMatchObject({ state: 'CANCELLED', completedAt: NOW, timers: [], error: { message: 'customer left', code: ErrorCode.Cancelled } });
    expect(statuses(cancelled.instance)).toEqual({ s: 'COMPLETED', w1: 'CANCELLED', w2: 'CANCELLED' });
    expect(cancelled.instance.steps.s!.compensation).toBeUndefined();
    expect(trail(cancelled.events)).toEqual(['step.cancelled:w1', 'step.cancelled:w2', 'workflow.cancelled']);
    expect(cancelled.events.at(-1)!.data).toEqual({ reason: 'customer left', by: 'ops', from: '10.0.0.1' });
    expect(cancelled.effects).toEqual([
      { type: 'cancelChild', childId: 'c1', reason: 'instance cancelled' },
      { type: 'disarm', timerId: 'wait/w2' },
      { type: 'abort', stepIds: ['w1', 'w2'], reason: 'instance cancelled' },
      { type: 'disarm', timerId: 'deadline' },
    ]);
  });

  it('without a reason records "Cancelled"', () => {
    const { env, instance } = in_.RUNNING!();
    expect(apply(env, instance, { type: 'cancel' }).instance.error).toEqual({ message: 'Cancelled', code: ErrorCode.Cancelled });
  });
});

describe('retry', () => {
  it('runs the failed and cancelled steps again from attempt 1 and re-arms the deadline', () => {
    const { env, instance } = in_.FAILED!();
    expect(statuses(instance)).toEqual({ s: 'COMPLETED', w1: 'FAILED', w2: 'CANCELLED' });
    const again = apply(env, instance, { type: 'retry', by: 'ops' });
    expect(again.instance).toMatchObject({ state: 'RUNNING', error: undefined, completedAt: undefined });
    expect(again.instance.steps.w1).toMatchObject({ status: 'SCHEDULED', attempt: 1, error: undefined });
    expect(again.events).toEqual([expect.objectContaining({ type: 'workflow.retried', data: { steps: ['w1', 'w2'], by: 'ops' } })]);
    expect(again.effects).toEqual([
      { type: 'arm', timer: { id: 'deadline', kind: 'deadline', fireAt: NOW + 3_600_000 } },
      { type: 'run', stepId: 'w1', attempt: 1, kind: 'step', run: 1 },
      { type: 'run', stepId: 'w2', attempt: 1, kind: 'step', run: 1 },
    ]);
  });
});

describe('signals', () => {
  it.each<{ name: string; waits: string[]; delivered: string[]; buffered: string[]; state: string }>([
    { name: 'delivered to every step waiting for it', waits: ['go', 'go'], delivered: ['w1', 'w2'], buffered: [], state: 'COMPLETED' },
    { name: 'delivered only to the steps waiting for that name', waits: ['go', 'other'], delivered: ['w1'], buffered: [], state: 'WAITING' },
    { name: 'buffered when no step waits for it', waits: ['other', 'other'], delivered: [], buffered: ['go'], state: 'WAITING' },
  ])('$name', ({ waits, delivered, buffered, state }) => {
    const { env, instance } = play(envOf(def()), [ok('s'), waitFor('w1', waits[0]!, 1_000), waitFor('w2', waits[1]!)]);
    const d = apply(env, instance, { type: 'signal', name: 'go', payload: { ok: true }, by: 'bank' });
    expect(d.events[0]).toMatchObject({ type: 'signal.received', data: { name: 'go', payload: { ok: true }, delivered: delivered.length > 0, steps: delivered, by: 'bank' } });
    expect(d.instance.signals.map((s) => s.name)).toEqual(buffered);
    for (const id of delivered) expect(d.instance.steps[id]).toMatchObject({ status: 'COMPLETED', output: { ok: true } });
    expect(d.instance.state).toBe(state);
    expect(d.effects.filter((e) => e.type === 'disarm' && e.timerId === 'wait/w1')).toHaveLength(delivered.includes('w1') ? 1 : 0);
    expect(runs(d.effects)).toEqual([]);
  });

  it('a buffered signal keeps its payload frozen and its arrival time', () => {
    const { env, instance } = in_.RUNNING!();
    const [sig] = apply(env, instance, { type: 'signal', name: 'go', payload: { n: { m: 1 } } }).instance.signals;
    expect(sig).toEqual({ name: 'go', payload: { n: { m: 1 } }, receivedAt: NOW });
    expect(Object.isFrozen(sig!.payload.n)).toBe(true);
  });
});

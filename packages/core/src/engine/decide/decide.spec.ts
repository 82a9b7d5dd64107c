/** The pure decision function, without storage, runner or actions. */
import { describe, expect, it } from '@jest/globals';
import { parseDefinition } from '../../definition/definition-parser.js';
import type { WorkflowDefinitionInput } from '../../definition/definition.types.js';
import type { InstanceRecord } from '../../model/instance.types.js';
import type { DecideEnv, Decision, DecisionInput } from './index.js';
import { decide, recoveryEffects, startInstance } from './index.js';
import { DEFAULT_COMPENSATION_RETRY } from '../retry-policy.js';

function envOf(input: WorkflowDefinitionInput, now = 1_000): DecideEnv {
  const definition = parseDefinition(input);
  return {
    definition,
    now,
    retryOf: (s) => definition.steps[s]!.retry,
    compensationOf: (s) => definition.steps[s]!.compensation,
    compensationRetryOf: () => DEFAULT_COMPENSATION_RETRY,
  };
}

function start(input: WorkflowDefinitionInput, data = {}) {
  const env = envOf(input);
  return { env, ...startInstance(env, { id: 'i1', data }) };
}

function step(env: DecideEnv, inst: InstanceRecord, input: DecisionInput): Decision & { ignored: false } {
  const d = decide(env, inst, input);
  if (d.ignored) throw new Error(`ignored: ${d.reason}`);
  return d;
}

const ok = (stepId: string, output?: Record<string, never> | Record<string, unknown>, attempt = 1): DecisionInput =>
  ({ type: 'step.succeeded', stepId, attempt, ...(output ? { output } : {}) }) as DecisionInput;

describe('decide', () => {
  const group: WorkflowDefinitionInput = {
    name: 'g',
    steps: { s: { action: 'x' }, a: { action: 'x' }, b: { action: 'x' }, c: { action: 'x' }, end: { action: 'x' } },
    parallel_groups: { branches: ['a', 'b', 'c'] },
    transitions: [
      { from: 's', to: 'branches' },
      { from: 'branches', to: 'end', join: 'any' },
    ],
  };

  it('starts RUNNING with the start step scheduled and a run effect, version 1, gap-free seq', () => {
    const { instance, events, effects } = start({ name: 'one', steps: { a: { action: 'x' } } }, { k: 1 });
    expect(instance).toMatchObject({ state: 'RUNNING', version: 1, seq: 2, data: { k: 1 } });
    expect(instance.steps.a).toMatchObject({ status: 'SCHEDULED', attempt: 1, run: 1 });
    expect(events.map((e) => [e.seq, e.type])).toEqual([
      [1, 'workflow.started'],
      [2, 'step.scheduled'],
    ]);
    expect(effects).toEqual([{ type: 'run', stepId: 'a', attempt: 1, kind: 'step', run: 1 }]);
  });

  it('never mutates the instance it is given', () => {
    const { env, instance } = start({ name: 'one', steps: { a: { action: 'x' } } });
    const snapshot = structuredClone(instance);
    step(env, instance, ok('a', { v: 1 }));
    expect(instance).toEqual(snapshot);
  });

  it('ignores stale and duplicate results', () => {
    const { env, instance } = start({ name: 'one', steps: { a: { action: 'x' } } });
    expect(decide(env, instance, ok('a', undefined, 2))).toEqual({ ignored: true, reason: 'stale or duplicate step result' });
    const done = step(env, instance, ok('a')).instance;
    expect(decide(env, done, ok('a')).ignored).toBe(true);
    expect(decide(env, done, { type: 'timer.fired', timerId: 'nope' }).ignored).toBe(true);
  });

  it('join any: the first branch to finish cancels the rest (abort effect) and routes once', () => {
    const { env, instance } = start(group);
    const fanned = step(env, instance, ok('s'));
    expect(fanned.effects.filter((e) => e.type === 'run').map((e) => (e as { stepId: string }).stepId)).toEqual(['a', 'b', 'c']);
    const joined = step(env, fanned.instance, ok('b'));
    expect(joined.instance.steps.a!.status).toBe('CANCELLED');
    expect(joined.instance.steps.c!.status).toBe('CANCELLED');
    expect(joined.effects).toContainEqual({ type: 'abort', stepIds: ['a', 'c'], reason: 'join "any" of group branches satisfied' });
    expect(joined.instance.steps.end!.status).toBe('SCHEDULED');
    expect(decide(env, joined.instance, ok('a')).ignored).toBe(true);
  });

  it('join N fires on the N-th branch', () => {
    const { env, instance } = start({ ...group, transitions: [group.transitions![0]!, { from: 'branches', to: 'end', join: 2 }] });
    let inst = step(env, instance, ok('s')).instance;
    inst = step(env, inst, ok('c')).instance;
    expect(inst.steps.end).toBeUndefined();
    inst = step(env, inst, ok('a')).instance;
    expect(inst.steps.end!.status).toBe('SCHEDULED');
    expect(inst.steps.b!.status).toBe('CANCELLED');
  });

  it('a paused instance records results but schedules without run effects; resume emits them', () => {
    const { env, instance } = start({ name: 'p', steps: { a: { action: 'x' }, b: { action: 'x' } }, transitions: [{ from: 'a', to: 'b' }] });
    const paused = step(env, instance, { type: 'pause' }).instance;
    const after = step(env, paused, ok('a'));
    expect(after.instance.state).toBe('PAUSED');
    expect(after.instance.steps.b!.status).toBe('SCHEDULED');
    expect(after.effects).toEqual([]);
    const resumed = step(env, after.instance, { type: 'resume' });
    expect(resumed.instance.state).toBe('RUNNING');
    expect(resumed.effects).toEqual([{ type: 'run', stepId: 'b', attempt: 1, kind: 'step', run: 1 }]);
  });

  it('a retry with a delay sets a durable timer; firing it schedules the next attempt', () => {
    const { env, instance } = start({ name: 'r', steps: { a: { action: 'x', retry_attempts: 2, retry_delay: '5s' } } });
    const failed = step(env, instance, { type: 'step.failed', stepId: 'a', attempt: 1, error: { message: 'boom', retryable: true } });
    expect(failed.instance.steps.a).toMatchObject({ status: 'RETRY_WAIT', attempt: 2 });
    expect(failed.effects).toEqual([{ type: 'arm', timer: { id: 'retry/a', kind: 'retry', fireAt: 6_000, stepId: 'a' } }]);
    expect(recoveryEffects(failed.instance)).toEqual([{ type: 'arm', timer: failed.instance.timers[0] }]);
    const fired = step(env, failed.instance, { type: 'timer.fired', timerId: 'retry/a' });
    expect(fired.instance.timers).toEqual([]);
    expect(fired.effects).toEqual([{ type: 'run', stepId: 'a', attempt: 2, kind: 'step', run: 1 }]);
  });

  it('recovery re-runs scheduled steps and compensations, and re-arms every timer', () => {
    const { instance } = start({ name: 'one', timeout: '1h', steps: { a: { action: 'x' } } });
    expect(recoveryEffects(instance)).toEqual([
      { type: 'arm', timer: { id: 'deadline', kind: 'deadline', fireAt: 1_000 + 3_600_000 } },
      { type: 'run', stepId: 'a', attempt: 1, kind: 'step', run: 1 },
    ]);
  });

  it('refuses commands the state forbids, naming operation, id and state', () => {
    const { env, instance } = start({ name: 'one', steps: { a: { action: 'x' } } });
    expect(() => decide(env, instance, { type: 'resume' })).toThrow('Cannot resume instance i1: it is RUNNING; only PAUSED instances can be resumed');
    const done = step(env, instance, ok('a')).instance;
    expect(done.state).toBe('COMPLETED');
    expect(() => decide(env, done, { type: 'signal', name: 'x', payload: {} })).toThrow(/Cannot signal "x" to instance i1: it is COMPLETED/);
  });

  it('an async step does not block routing and its failure does not fail the instance', () => {
    const { env, instance } = start({
      name: 'as',
      steps: { a: { action: 'x' }, n: { action: 'x', async: true }, b: { action: 'x' } },
      transitions: [
        { from: 'a', to: 'n' },
        { from: 'n', to: 'b' },
      ],
    });
    const routed = step(env, instance, ok('a'));
    expect(routed.instance.steps.n!.status).toBe('SCHEDULED');
    expect(routed.instance.steps.b!.status).toBe('SCHEDULED');
    const bDone = step(env, routed.instance, ok('b')).instance;
    expect(bDone.state).toBe('RUNNING'); // waits for the async step to settle
    const end = step(env, bDone, { type: 'step.failed', stepId: 'n', attempt: 1, error: { message: 'x', retryable: false } }).instance;
    expect(end.state).toBe('COMPLETED');
  });
});

/** Routing: exclusive transitions, guards, joins of parallel groups, and the derived instance state. */
import { describe, expect, it } from '@jest/globals';
import type { JsonObject, WorkflowDefinitionInput } from '../../definition/definition.types.js';
import { ErrorCode } from '../../errors.js';
import { apply, at, envOf, ok, play, runs, statuses, trail } from '../../../test/support/decide-setup.js';

describe('exclusive routing', () => {
  const def: WorkflowDefinitionInput = {
    name: 'route',
    steps: { s: { action: 'x' }, big: { action: 'x' }, mid: { action: 'x' }, small: { action: 'x' } },
    transitions: [
      { from: 's', to: 'big', condition: 'amount > 100' },
      { from: 's', to: 'small' },
      { from: 's', to: 'mid', condition: 'amount > 10' },
    ],
  };

  it.each([
    { amount: 500, to: 'big', why: 'the first condition that holds, though a later one holds too' },
    { amount: 50, to: 'mid', why: 'a condition that holds wins over a default listed before it' },
    { amount: 5, to: 'small', why: 'no condition holds: the first default' },
  ])('amount $amount goes to $to ($why)', ({ amount, to }) => {
    const routed = play(envOf(def), [ok('s', { amount })]);
    expect(Object.keys(routed.instance.steps)).toEqual(['s', to]);
    expect(runs(routed.effects)).toEqual([`step:${to}#1`]);
  });

  it('no transition matching and no default fails with WF_NO_ROUTE naming the conditions tried', () => {
    const { small: _unreachable, ...steps } = def.steps;
    const dead: WorkflowDefinitionInput = { ...def, steps, transitions: def.transitions!.filter((t) => t.condition) };
    const end = play(envOf(dead), [ok('s', { amount: 1 })]);
    expect(end.instance.state).toBe('FAILED');
    expect(end.instance.error).toMatchObject({
      code: ErrorCode.NoRoute,
      retryable: false,
      stepId: 's',
      details: { from: 's', conditions: ['amount > 100', 'amount > 10'] },
    });
    expect(trail(end.events)).toEqual(['step.completed:s', 'workflow.failed:s']);
  });

  it('a loop enters a step again as a new run', () => {
    const loop: WorkflowDefinitionInput = {
      name: 'loop',
      steps: { init: { action: 'x' }, s: { action: 'x' }, t: { action: 'x' }, end: { action: 'x' } },
      transitions: [
        { from: 'init', to: 's' },
        { from: 's', to: 't' },
        { from: 't', to: 's', condition: 'again === true' },
        { from: 't', to: 'end' },
      ],
    };
    const again = play(envOf(loop), [ok('init'), ok('s'), ok('t', { again: true })]);
    expect(again.instance.steps.s).toMatchObject({ status: 'SCHEDULED', run: 2, attempt: 1 });
    expect(again.events.at(-1)).toMatchObject({ type: 'step.scheduled', stepId: 's', data: { action: 'x', run: 2 } });
  });
});

describe('guards', () => {
  const def: WorkflowDefinitionInput = {
    name: 'guard',
    steps: { s: { action: 'x' }, check: { action: 'x', conditions: ['amount > 100'] }, end: { action: 'x' } },
    transitions: [
      { from: 's', to: 'check' },
      { from: 'check', to: 'end' },
    ],
  };

  it.each([
    { amount: 50, check: 'SKIPPED', trail: ['step.completed:s', 'step.skipped:check', 'step.scheduled:end'], runs: ['step:end#1'] },
    { amount: 500, check: 'SCHEDULED', trail: ['step.completed:s', 'step.scheduled:check'], runs: ['step:check#1'] },
  ])('amount $amount: check is $check', ({ amount, check, trail: expected, runs: expectedRuns }) => {
    const routed = play(envOf(def), [ok('s', { amount })]);
    expect(routed.instance.steps.check!.status).toBe(check);
    expect(trail(routed.events)).toEqual(expected);
    expect(runs(routed.effects)).toEqual(expectedRuns);
  });

  it('a skipped step records the guard that failed', () => {
    const routed = play(envOf(def), [ok('s', { amount: 1 })]);
    expect(routed.events[1]).toMatchObject({ type: 'step.skipped', stepId: 'check', data: { condition: 'amount > 100' } });
  });
});

describe('joins', () => {
  /** s, then a/b/c in parallel, then end; a guard skips c when `skip_c`, every member when `skip_all`. */
  const groupOf = (join: 'all' | 'any' | number): WorkflowDefinitionInput => ({
    name: 'join',
    steps: {
      s: { action: 'x' },
      a: { action: 'x', conditions: ['skip_all !== true'] },
      b: { action: 'x', conditions: ['skip_all !== true'] },
      c: { action: 'x', conditions: ['skip_c !== true', 'skip_all !== true'] },
      end: { action: 'x' },
    },
    parallel_groups: { branches: ['a', 'b', 'c'] },
    transitions: [
      { from: 's', to: 'branches' },
      { from: 'branches', to: 'end', join },
    ],
  });

  it.each<{ join: 'all' | 'any' | number; data: JsonObject; done: string[]; cancelled: string[] }>([
    { join: 'all', data: {}, done: ['a', 'b', 'c'], cancelled: [] },
    { join: 'all', data: {}, done: ['c', 'a', 'b'], cancelled: [] },
    { join: 'all', data: { skip_c: true }, done: ['b', 'a'], cancelled: [] },
    { join: 'all', data: { skip_all: true }, done: [], cancelled: [] },
    { join: 'any', data: {}, done: ['b'], cancelled: ['a', 'c'] },
    { join: 'any', data: { skip_c: true }, done: [], cancelled: ['a', 'b'] },
    { join: 2, data: {}, done: ['c', 'a'], cancelled: ['b'] },
    { join: 2, data: { skip_c: true }, done: ['b'], cancelled: ['a'] },
    { join: 3, data: { skip_c: true }, done: ['a', 'b'], cancelled: [] },
  ])('join $join with $data: end is entered once $done are done, cancelling $cancelled', ({ join, data, done, cancelled }) => {
    const env = envOf(groupOf(join));
    let d = play(env, [ok('s', data)]);
    let inst = d.instance;
    for (const id of done) {
      expect(inst.steps.end).toBeUndefined();
      const next = apply(env, inst, ok(id));
      inst = next.instance;
      d = { ...d, events: next.events, effects: next.effects };
    }
    expect(inst.steps.end).toMatchObject({ status: 'SCHEDULED', run: 1 });
    // A join that fires as the group is entered still runs its members (then aborts them) first.
    const entered = done.length ? [] : ['a', 'b', 'c'].filter((id) => inst.steps[id]!.status !== 'SKIPPED').map((id) => `step:${id}#1`);
    expect(runs(d.effects)).toEqual([...entered, 'step:end#1']);
    for (const id of cancelled) expect(inst.steps[id]!.status).toBe('CANCELLED');
    const aborts = d.effects.filter((e) => e.type === 'abort');
    expect(aborts).toEqual(cancelled.length ? [{ type: 'abort', stepIds: cancelled, reason: `join "${join}" of group branches satisfied` }] : []);
    // Cancelled members are recorded before the route on.
    const order = trail(d.events).filter((t) => t.startsWith('step.cancelled') || t === 'step.scheduled:end');
    expect(order).toEqual([...cancelled.map((id) => `step.cancelled:${id}`), 'step.scheduled:end']);
  });

  it('join all waits while a member retries', () => {
    const def = groupOf('all');
    def.steps.a = { action: 'x', retry_attempts: 1, retry_delay: '1s' };
    const env = envOf(def);
    const retrying = play(env, [ok('s'), ok('b'), ok('c'), { type: 'step.failed', stepId: 'a', attempt: 1, error: { message: 'flaky' } }]);
    expect(statuses(retrying.instance)).toMatchObject({ a: 'RETRY_WAIT', b: 'COMPLETED', c: 'COMPLETED' });
    expect(retrying.instance.steps.end).toBeUndefined();
  });
});

describe('derived state', () => {
  it.each([
    { name: 'a step scheduled', inputs: [], state: 'RUNNING' },
    { name: 'only a step waiting for a signal', inputs: [{ type: 'step.wait', stepId: 'a', attempt: 1, signal: 'go' } as const], state: 'WAITING' },
    { name: 'nothing left to do', inputs: [ok('a')], state: 'COMPLETED' },
  ])('$name: $state', ({ inputs, state }) => {
    expect(play(envOf({ name: 'one', steps: { a: { action: 'x' } } }), [...inputs]).instance.state).toBe(state);
  });

  it('completing disarms the deadline and reports the duration since the start', () => {
    const env = envOf({ name: 'one', timeout: '1h', steps: { a: { action: 'x' } } });
    const started = play(env);
    const done = apply(at(env, 4_000), started.instance, ok('a'));
    expect(done.instance).toMatchObject({ state: 'COMPLETED', completedAt: 4_000, timers: [] });
    expect(done.effects).toEqual([{ type: 'disarm', timerId: 'deadline' }]);
    expect(done.events.at(-1)).toMatchObject({ type: 'workflow.completed', data: { durationMs: 3_000 } });
  });
});

/** planMigration: where records, tasks, timers and signals go; what it refuses; the late outcomes of renamed steps. */
import { describe, expect, it } from '@jest/globals';
import type { WorkflowDefinitionInput } from '../../definition/definition.types.js';
import { IllegalTransitionError, WorkflowError } from '../../errors.js';
import { decide } from './index.js';
import { planMigration } from './migration.js';
import { apply, envOf, ok, play, statuses, trail } from '../../../test/support/decide-setup.js';
import type { DecisionInput } from './types.js';

const waitFor = (stepId: string, signal: string, timeoutMs?: number): DecisionInput => ({ type: 'step.wait', stepId, attempt: 1, signal, ...(timeoutMs ? { timeoutMs } : {}) });

/** v1: a → w → b → old_end, 1h deadline. */
const v1: WorkflowDefinitionInput = {
  name: 'm',
  version: '1',
  timeout: '1h',
  steps: { a: { action: 'x' }, w: { action: 'x' }, b: { action: 'x' }, old_end: { action: 'x' } },
  transitions: [
    { from: 'a', to: 'w' },
    { from: 'w', to: 'b' },
    { from: 'b', to: 'old_end' },
  ],
};

/** v2: a → hold (w renamed) → c; `side` is reached from nowhere the instance is; no deadline. */
const v2: WorkflowDefinitionInput = {
  name: 'm',
  version: '2',
  steps: { a: { action: 'x' }, hold: { action: 'x', config: { signal: 'late' } }, c: { action: 'x' }, side: { action: 'x' } },
  transitions: [
    { from: 'side', to: 'a' },
    { from: 'a', to: 'hold' },
    { from: 'hold', to: 'c' },
  ],
};

const from = envOf(v1);
const to = envOf(v2);

describe('planMigration', () => {
  it('re-keys the open step, its timer and signals; lists unreachable steps; follows the target deadline', () => {
    const { instance } = play(from, [ok('a'), { type: 'signal', name: 'late', payload: {} }, waitFor('w', 'go', 60_000)]);
    const { plan, decision } = planMigration(to, instance, from.definition, { w: 'hold' }, { by: 'ops' });
    expect(plan).toMatchObject({
      steps: [
        { from: 'a', to: 'a', status: 'COMPLETED', open: false },
        { from: 'w', to: 'hold', status: 'WAITING', open: true },
      ],
      dropped: [],
      timers: [
        { from: 'wait/w', to: 'wait/hold', kind: 'wait_timeout' },
        { from: 'deadline', to: null, kind: 'deadline' },
      ],
      signals: [{ name: 'late', waitingSteps: ['hold'] }],
      unreachable: ['side'],
    });
    expect(decision.instance).toMatchObject({ definitionVersion: '2', stepAliases: { w: 'hold' }, version: instance.version + 1 });
    expect(decision.instance.timers).toEqual([{ id: 'wait/hold', kind: 'wait_timeout', fireAt: expect.any(Number), stepId: 'hold' }]);
    expect(decision.effects).toEqual([
      { type: 'disarm', timerId: 'wait/w' },
      { type: 'arm', timer: decision.instance.timers[0] },
      { type: 'disarm', timerId: 'deadline' },
    ]);
    expect(trail(decision.events)).toEqual(['instance.migrated']);
    expect(decision.events[0]!.data).toEqual({ from: '1', to: '2', stepMap: { w: 'hold' }, by: 'ops' });
    // The instance goes on on the target: the signal reaches the renamed step.
    const signalled = apply(to, decision.instance, { type: 'signal', name: 'go', payload: {} });
    expect(statuses(signalled.instance)).toEqual({ a: 'COMPLETED', hold: 'COMPLETED', c: 'SCHEDULED' });
  });

  it('drops the records of ended steps the target lacks', () => {
    const { instance } = play(from, [ok('a'), ok('w'), ok('b')]);
    const { plan, decision } = planMigration(to, instance, from.definition, { old_end: 'c' });
    expect(plan.dropped).toEqual(['w', 'b']);
    expect(Object.keys(decision.instance.steps)).toEqual(['a', 'c']);
  });

  it('sends the late outcome of an attempt started under a renamed id to the renamed step, once', () => {
    const { instance } = play(from, [ok('a')]);
    const { decision } = planMigration(to, instance, from.definition, { w: 'hold' });
    expect(decision.effects).toEqual([{ type: 'run', stepId: 'hold', attempt: 1, kind: 'step', run: 1 }, { type: 'disarm', timerId: 'deadline' }]);
    const late = apply(to, decision.instance, { type: 'step.succeeded', stepId: 'w', attempt: 1, run: 1, output: { ok: true } });
    expect(trail(late.events)).toEqual(['step.completed:hold', 'step.scheduled:c']);
    expect(decide(to, late.instance, { type: 'step.succeeded', stepId: 'hold', attempt: 1 }).ignored).toBe(true);
  });

  it("sends a child's end to the renamed step that waits for it", () => {
    const { instance } = play(from, [ok('a'), { type: 'step.child', stepId: 'w', attempt: 1, childId: 'kid', workflow: 'sub' }]);
    const { decision } = planMigration(to, instance, from.definition, { w: 'hold' });
    const ended = apply(to, decision.instance, { type: 'child.finished', stepId: 'w', childId: 'kid', state: 'COMPLETED', data: { k: 1 } });
    // A child's data is kept under the id of the step in the version the instance runs on now.
    expect(ended.instance.steps.hold).toMatchObject({ status: 'COMPLETED', output: { hold: { k: 1 } } });
  });

  it('keeps aliases across migrations, and drops one whose old id is a step of the target', () => {
    const { instance } = play(from, [ok('a')]);
    const once = planMigration(to, instance, from.definition, { w: 'hold' }).decision.instance;
    const v3 = envOf({
      name: 'm',
      version: '3',
      steps: { a: { action: 'x' }, hold2: { action: 'x' }, c: { action: 'x' }, w: { action: 'x' } },
      transitions: [
        { from: 'a', to: 'hold2' },
        { from: 'hold2', to: 'c' },
        { from: 'c', to: 'w' },
      ],
    });
    const twice = planMigration(v3, once, to.definition, { hold: 'hold2' }).decision.instance;
    expect(twice.stepAliases).toEqual({ hold: 'hold2' });
    expect(Object.keys(twice.steps)).toEqual(['a', 'hold2']);
  });

  it.each<[string, Record<string, string>, RegExp]>([
    ['an open step the target lacks', {}, /step "w" is WAITING and m@2 has no step "w": place it with stepMap, e\.g\. \{ "w": "<one of a, hold, c, side>" \}/],
    ['a stepMap step the source lacks', { nope: 'hold', w: 'hold' }, /stepMap names step "nope", which m@1 lacks \(its steps: a, w, b, old_end\)/],
    ['a stepMap target the target lacks', { w: 'gone' }, /stepMap sends "w" to "gone", which m@2 lacks/],
    ['two records onto one step', { w: 'a' }, /steps "a" and "w" would both become "a"/],
  ])('refuses %s', (_, stepMap, message) => {
    const { instance } = play(from, [ok('a'), waitFor('w', 'go')]);
    expect(() => planMigration(to, instance, from.definition, stepMap)).toThrow(WorkflowError);
    expect(() => planMigration(to, instance, from.definition, stepMap)).toThrow(message);
  });

  it('refuses an open task moved to a step without assigned_to, and an ended instance', () => {
    const h1 = envOf({ name: 'h', version: '1', steps: { t: { action: 'x', assigned_to: 'ops' }, n: { action: 'x' } }, transitions: [{ from: 't', to: 'n' }] });
    const h2 = envOf({ name: 'h', version: '2', steps: { t: { action: 'x' }, n: { action: 'x' } }, transitions: [{ from: 't', to: 'n' }] });
    const { instance } = play(h1, [ok('t')]);
    expect(() => planMigration(h2, instance, h1.definition, {})).toThrow('step "t" has an open human task but "t" of 2 has no assigned_to');
    const done = play(h1, [ok('t'), { type: 'task.complete', taskId: 'i1.t.1', data: {}, by: 'x' }, ok('n')]).instance;
    expect(done.state).toBe('COMPLETED');
    expect(() => planMigration(h2, done, h1.definition, {})).toThrow(IllegalTransitionError);
  });
});

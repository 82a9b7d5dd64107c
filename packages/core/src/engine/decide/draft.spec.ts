/** The working copy of a decision and the helpers shared by the decide modules. */
import { describe, expect, it } from '@jest/globals';
import type { Json } from '../../definition/definition.types.js';
import type { ErrorInfo, InstanceRecord, StepRecord } from '../../model/instance.types.js';
import { copyInstance, copyStep, deepFreeze, Draft, errorJson, who } from './draft.js';
import { envOf, NOW } from '../../../test/support/decide-setup.js';

// `Required<...>` makes the compiler name any field added to the records and not set here, and
// every field is set, so a copy that forgets one differs.
const fullStep: Required<StepRecord> = {
  status: 'COMPLETED',
  attempt: 2,
  run: 3,
  scheduledAt: 10,
  completedAt: 20,
  output: { o: 1 },
  error: { message: 'm' },
  completedSeq: 4,
  wait: { signal: 's' },
  async: true,
  compensation: { status: 'PENDING', action: 'undo', attempt: 0 },
  task: { id: 't', assignedTo: 'r', state: 'OPEN', openedAt: 1, form: {} },
  skipped: { attempt: 2, run: 3 },
};

const fullInstance: Required<InstanceRecord> = {
  id: 'i1',
  definitionName: 'd',
  definitionVersion: '1.0.0',
  state: 'RUNNING',
  data: { k: 1 },
  steps: { a: fullStep },
  timers: [{ id: 'deadline', kind: 'deadline', fireAt: 99 }],
  signals: [{ name: 'go', payload: {}, receivedAt: 5 }],
  version: 7,
  seq: 12,
  completions: 4,
  createdAt: 1,
  updatedAt: 2,
  completedAt: 3,
  businessKey: 'A-1',
  uniqueBusinessKey: true,
  attributes: { customer: 'C-1' },
  purgeAfter: 4,
  startedBy: 'u',
  idempotencyKey: 'k',
  error: { message: 'e', stepId: 'a' },
  compensation: { status: 'RUNNING', failed: [] },
  pausedFrom: 'WAITING',
  parent: { instanceId: 'p', stepId: 's', run: 1 },
  correlationId: 'c',
  traceContext: { traceparent: 'x' },
  runs: { b: 2 },
  stepAliases: { old: 'a' },
};

describe('record copies', () => {
  it.each([
    { name: 'copyInstance', copy: () => copyInstance(fullInstance), source: fullInstance as object },
    { name: 'copyStep', copy: () => copyStep(fullStep), source: fullStep as object },
  ])('$name copies every field into a new object', ({ copy, source }) => {
    const copied = copy();
    expect(copied).not.toBe(source);
    expect(copied).toStrictEqual(source);
  });

  it('copyInstance gives the copy its own steps map, sharing the step records', () => {
    const copied = copyInstance(fullInstance);
    expect(copied.steps).not.toBe(fullInstance.steps);
    expect(copied.steps.a).toBe(fullStep);
  });
});

describe('deepFreeze', () => {
  it.each<{ name: string; value: Json }>([
    { name: 'an object with nested objects and arrays', value: { a: { b: [1, { c: 2 }] } } },
    { name: 'an array of objects', value: [{ a: 1 }, [2]] },
    { name: 'an empty object', value: {} },
  ])('freezes $name all the way down and returns it', ({ value }) => {
    const frozen = deepFreeze(value);
    expect(frozen).toBe(value);
    const all: unknown[] = [];
    const walk = (v: unknown): void => {
      if (typeof v === 'object' && v !== null) {
        all.push(v);
        Object.values(v).forEach(walk);
      }
    };
    walk(value);
    expect(all.every((v) => Object.isFrozen(v))).toBe(true);
  });

  it.each([null, 1, 'text', true])('returns %p as it is', (value) => {
    expect(deepFreeze(value)).toBe(value);
  });
});

describe('audit and error JSON', () => {
  it.each([
    { input: {}, json: {} },
    { input: { by: 'ann' }, json: { by: 'ann' } },
    { input: { from: '10.0.0.1' }, json: { from: '10.0.0.1' } },
    { input: { by: 'ann', from: '10.0.0.1' }, json: { by: 'ann', from: '10.0.0.1' } },
    { input: { by: '', from: '' }, json: {} },
  ])('who($input) → $json', ({ input, json }) => {
    expect(who(input)).toStrictEqual(json);
  });

  it.each<{ error: ErrorInfo; json: Json }>([
    { error: { message: 'm' }, json: { message: 'm' } },
    { error: { message: 'm', code: 'WF_TIMEOUT', retryable: false }, json: { message: 'm', code: 'WF_TIMEOUT', retryable: false } },
    { error: { message: 'm', details: { x: 1 }, code: undefined }, json: { message: 'm', details: { x: 1 } } },
  ])('errorJson($error) → $json', ({ error, json }) => {
    expect(errorJson(error)).toStrictEqual(json);
  });
});

describe('Draft', () => {
  const source: InstanceRecord = { ...fullInstance, timers: [{ id: 'retry/a', kind: 'retry', fireAt: 50, stepId: 'a' }] };
  const draft = () => new Draft(envOf({ name: 'one', steps: { a: { action: 'x' } } }), source);

  it('starts one version on, updated now, leaving its source alone', () => {
    const d = draft();
    d.setStep('a', { status: 'FAILED' });
    d.emit('step.failed', { stepId: 'a' });
    expect([d.inst.version, d.inst.updatedAt, d.inst.seq]).toEqual([8, NOW, 13]);
    expect([source.version, source.seq, source.steps.a]).toEqual([7, 12, fullStep]);
    expect(d.inst.steps.a).toMatchObject({ status: 'FAILED', attempt: 2 });
  });

  it('numbers its events on from the instance seq', () => {
    const d = draft();
    d.emit('workflow.paused');
    d.emit('workflow.resumed', { data: { by: 'ann' } });
    expect(d.events).toEqual([
      { instanceId: 'i1', seq: 13, type: 'workflow.paused', at: NOW },
      { instanceId: 'i1', seq: 14, type: 'workflow.resumed', at: NOW, data: { by: 'ann' } },
    ]);
  });

  it.each([
    { name: 'arming a new timer', act: (d: Draft) => d.addTimer({ id: 'wait/a', kind: 'wait_timeout', fireAt: 70, stepId: 'a' }), timers: ['retry/a', 'wait/a'], effects: ['arm wait/a'] },
    { name: 'arming a timer again replaces it', act: (d: Draft) => d.addTimer({ id: 'retry/a', kind: 'retry', fireAt: 80, stepId: 'a' }), timers: ['retry/a'], effects: ['arm retry/a'] },
    { name: 'removing a timer disarms it', act: (d: Draft) => d.removeTimer('retry/a'), timers: [], effects: ['disarm retry/a'] },
    { name: 'removing a timer not there does nothing', act: (d: Draft) => d.removeTimer('nope'), timers: ['retry/a'], effects: [] },
    { name: 'clearing timers by a filter', act: (d: Draft) => d.clearTimers((t) => t.kind === 'deadline'), timers: ['retry/a'], effects: [] },
    { name: 'clearing every timer', act: (d: Draft) => d.clearTimers(), timers: [], effects: ['disarm retry/a'] },
  ])('$name', ({ act, timers, effects }) => {
    const d = draft();
    act(d);
    expect(d.inst.timers.map((t) => t.id)).toEqual(timers);
    expect(d.effects.map((e) => (e.type === 'arm' ? `arm ${e.timer.id}` : e.type === 'disarm' ? `disarm ${e.timerId}` : e.type))).toEqual(effects);
    expect(source.timers.map((t) => t.id)).toEqual(['retry/a']);
  });
});

/**
 * Operator controls: retry from a step, skip a step, update the data. Each is one decision (one
 * commit) with the operator in its history event. A control the instance's state forbids throws
 * {@link IllegalTransitionError}, a step the definition lacks a `WF_INPUT_INVALID` WorkflowError;
 * nothing is recorded then. Semantics in docs/semantics.md ("Operator controls").
 */
import type { JsonObject, WorkflowDefinition } from '../../definition/definition.types.js';
import { ErrorCode, IllegalTransitionError, WorkflowError } from '../../errors.js';
import type { InstanceRecord, StepRecord } from '../../model/instance.types.js';
import { isTerminal } from '../../model/instance.types.js';
import { ACTIVE, deepFreeze, Draft, who } from './draft.js';
import { afterStepDone, enterNode, schedule, settle } from './routing.js';
import type { DecideEnv, Decision, DecisionInput } from './types.js';

type OperatorInput = Extract<DecisionInput, { type: 'retry_from' | 'skip_step' | 'update_data' }>;

/** Apply an operator control. @throws IllegalTransitionError, WorkflowError `WF_INPUT_INVALID` */
export function operatorCommand(env: DecideEnv, instance: InstanceRecord, input: OperatorInput): Decision {
  switch (input.type) {
    case 'retry_from':
      return retryFrom(env, instance, input);
    case 'skip_step':
      return skipStep(env, instance, input);
    case 'update_data':
      return updateData(env, instance, input);
  }
}

/** States an operator may retry from a step or skip a step in. */
const LIVE_OR_FAILED: ReadonlySet<string> = new Set(['RUNNING', 'WAITING', 'PAUSED', 'FAILED']);

/**
 * Re-run from a step that has ended: the steps after it are cleared (records, compensation entries,
 * open work), then it runs again as a new run from attempt 1.
 */
function retryFrom(env: DecideEnv, instance: InstanceRecord, input: Extract<OperatorInput, { type: 'retry_from' }>): Decision {
  const { stepId } = input;
  const op = `retry from step "${stepId}" of`;
  requireStep(env.definition, stepId, 'retryFrom');
  checkLiveOrFailed(instance, op);
  const rec = instance.steps[stepId];
  if (!rec) {
    throw new IllegalTransitionError(op, instance.id, instance.state, `step "${stepId}" has not run in this instance; retry from one that has (${Object.keys(instance.steps).join(', ')})`);
  }
  if (ACTIVE.has(rec.status)) {
    throw new IllegalTransitionError(op, instance.id, instance.state, `step "${stepId}" is ${rec.status}, still in progress; skip it, or retry from a step that has ended`);
  }
  const d = new Draft(env, instance);
  const cleared = stepsAfter(env.definition, instance, stepId);
  const aborted: string[] = [];
  for (const id of cleared) {
    const r = d.inst.steps[id]!;
    if (ACTIVE.has(r.status)) {
      d.clearTimers((t) => t.stepId === id);
      if (r.wait?.child) d.effects.push({ type: 'cancelChild', childId: r.wait.child, reason: `instance retried from step "${stepId}"` });
      if (r.status === 'SCHEDULED') aborted.push(id);
    }
    // The run number is kept, so the step's next run has a new idempotency key and task id.
    d.inst.runs = { ...d.inst.runs, [id]: r.run };
    delete d.inst.steps[id];
  }
  if (aborted.length > 0) d.effects.push({ type: 'abort', stepIds: aborted, reason: `instance retried from step "${stepId}"` });
  d.emit('instance.retried_from', { stepId, data: { stepId, cleared, ...who(input) } });
  if (instance.state === 'FAILED') reopen(d, stepId);
  enterNode(d, stepId);
  settle(d);
  return d.result();
}

/**
 * Complete a stuck step (scheduled, retrying, waiting, its task open; or the failed step of a
 * failed instance) with `data` as its result and route on. A running attempt is aborted; its late
 * outcome is refused with a `step.outcome_discarded` event.
 */
function skipStep(env: DecideEnv, instance: InstanceRecord, input: Extract<OperatorInput, { type: 'skip_step' }>): Decision {
  const { stepId } = input;
  const op = `skip step "${stepId}" of`;
  requireStep(env.definition, stepId, 'skipStep');
  checkLiveOrFailed(instance, op);
  const rec = instance.steps[stepId];
  const skippable = instance.state === 'FAILED' ? rec?.status === 'FAILED' : rec !== undefined && ACTIVE.has(rec.status);
  if (!rec || !skippable) {
    throw new IllegalTransitionError(op, instance.id, instance.state,
      `step "${stepId}" is ${rec ? rec.status : 'not reached yet'}; only a scheduled, retrying or waiting step (or the failed step of a failed instance) can be skipped`);
  }
  const d = new Draft(env, instance);
  const running = rec.status === 'SCHEDULED';
  if (running) d.effects.push({ type: 'abort', stepIds: [stepId], reason: `step "${stepId}" was skipped by an operator`, recordLate: true });
  d.clearTimers((t) => t.stepId === stepId && t.kind !== 'compensation_retry');
  if (rec.wait?.child) d.effects.push({ type: 'cancelChild', childId: rec.wait.child, reason: `step "${stepId}" was skipped by an operator` });
  if (instance.state === 'FAILED') reopen(d, stepId);
  d.emit('step.skipped_by_operator', { stepId, attempt: rec.attempt, data: { stepId, status: rec.status, data: input.data, ...who(input) } });
  const output = deepFreeze(input.data);
  d.inst.completions += 1;
  const task = rec.task && (rec.task.state === 'OPEN' || rec.task.state === 'CLAIMED') ? { ...rec.task, state: 'CANCELLED' as const } : rec.task;
  d.setStep(stepId, {
    status: 'COMPLETED',
    completedAt: env.now,
    completedSeq: d.inst.completions,
    output,
    error: undefined,
    wait: undefined,
    task,
    skipped: running ? { attempt: rec.attempt, run: rec.run } : undefined,
  });
  if (!rec.async) {
    d.inst.data = Object.freeze({ ...d.inst.data, ...output });
    afterStepDone(d, stepId);
  }
  settle(d);
  return d.result();
}

/** Shallow-merge a patch into the data; a key set to null is removed. */
function updateData(env: DecideEnv, instance: InstanceRecord, input: Extract<OperatorInput, { type: 'update_data' }>): Decision {
  const { state, id } = instance;
  if (state === 'COMPLETED' || state === 'CANCELLED') {
    throw new IllegalTransitionError('update the data of', id, state, "a finished instance's data is its outcome; start a new instance instead");
  }
  const keys = Object.keys(input.patch);
  if (keys.length === 0) {
    throw new WorkflowError(ErrorCode.InputInvalid, 'updateData(id, patch): the patch is empty; give the keys to set (a key set to null is removed).', { field: 'patch' });
  }
  const d = new Draft(env, instance);
  const data: JsonObject = { ...instance.data };
  for (const key of keys) {
    const value = input.patch[key];
    if (value === null) delete data[key];
    else data[key] = value!;
  }
  d.inst.data = deepFreeze(data);
  d.emit('instance.data_updated', { data: { keys, patch: input.patch, ...who(input) } });
  return d.result();
}

/** @throws WorkflowError `WF_INPUT_INVALID` naming the step and the definition's steps. */
function requireStep(def: WorkflowDefinition, stepId: string, method: string): void {
  if (typeof stepId === 'string' && Object.hasOwn(def.steps, stepId)) return;
  const steps = Object.keys(def.steps);
  throw new WorkflowError(
    ErrorCode.InputInvalid,
    `${method}(id, stepId): ${def.name}@${def.version} has no step ${JSON.stringify(stepId)}; its steps are ${steps.join(', ')}.`,
    { field: 'stepId', stepId, steps },
  );
}

function checkLiveOrFailed(instance: InstanceRecord, op: string): void {
  if (!LIVE_OR_FAILED.has(instance.state)) {
    const why =
      instance.state === 'COMPENSATING'
        ? 'wait for its compensation to finish'
        : isTerminal(instance.state)
          ? 'it has ended and reported its outcome; start a new instance instead'
          : 'only running, waiting, paused or failed instances';
    throw new IllegalTransitionError(op, instance.id, instance.state, why);
  }
  if (instance.state === 'FAILED' && instance.compensation) {
    throw new IllegalTransitionError(op, instance.id, instance.state, 'its saga was compensated; start a new instance instead');
  }
}

/**
 * A FAILED instance runs again (as `retry` does): the deadline is re-armed and the other steps the
 * failure failed or cancelled are scheduled afresh, so that joins can fire.
 */
function reopen(d: Draft, except: string): void {
  d.setState('RUNNING');
  d.inst.error = undefined;
  d.inst.completedAt = undefined;
  if (d.def.timeoutMs !== undefined) d.addTimer({ id: 'deadline', kind: 'deadline', fireAt: d.env.now + d.def.timeoutMs });
  for (const [id, r] of Object.entries(d.inst.steps)) {
    if (id !== except && (r.status === 'FAILED' || r.status === 'CANCELLED') && !r.async) schedule(d, id, { attempt: 1, error: undefined, task: undefined });
  }
}

/**
 * The steps after `stepId` in this instance: those its transitions lead to (directly or not, with
 * the members of the groups they reach and `on_timeout` routes) that have a record, except those
 * that ended before it (a loop back to earlier steps).
 */
export function stepsAfter(def: WorkflowDefinition, instance: InstanceRecord, stepId: string): string[] {
  const reached = reachable(def, [stepId]);
  const from = instance.steps[stepId]!;
  return Object.keys(instance.steps).filter((id) => id !== stepId && reached.has(id) && !endedBefore(instance.steps[id]!, from));
}

function endedBefore(r: StepRecord, from: StepRecord): boolean {
  if (from.completedSeq !== undefined) return r.completedSeq !== undefined && r.completedSeq < from.completedSeq;
  // It never completed (failed, cancelled, timed out, skipped by a guard): what ended by the time it was entered.
  return r.completedAt !== undefined && r.completedAt <= from.scheduledAt;
}

/** Steps (and groups) reachable from `nodes` along every transition, the nodes' own groups included. */
export function reachable(def: WorkflowDefinition, nodes: string[]): Set<string> {
  const seen = new Set<string>();
  const queue: string[] = [];
  for (const n of nodes) {
    queue.push(n);
    const group = def.groupOf[n];
    if (group) queue.push(group);
  }
  while (queue.length > 0) {
    const node = queue.pop()!;
    for (const t of def.outgoing[node] ?? []) {
      if (seen.has(t.to)) continue;
      seen.add(t.to);
      queue.push(t.to);
      for (const member of def.groups[t.to] ?? []) {
        if (!seen.has(member)) {
          seen.add(member);
          queue.push(member);
        }
      }
    }
  }
  return seen;
}

/**
 * Outcomes of work: a step attempt succeeded, failed, waits for a signal, started a child; a child
 * workflow finished; a compensation ended. Stale and duplicate results are ignored here.
 */
import type { JsonObject } from '../../definition/definition.types.js';
import { ErrorCode } from '../../errors.js';
import type { ErrorInfo, InstanceRecord, StepRecord } from '../../model/instance.types.js';
import { retryDelay } from '../retry-policy.js';
import { deepFreeze, Draft, errorJson } from './draft.js';
import { afterStepDone, schedule, settle } from './routing.js';
import { compensationOutcome, failWorkflow } from './saga.js';
import { openTask } from './tasks.js';
import type { DecideEnv, Decision, DecisionInput } from './types.js';

/** Results of steps, children and compensations (timers have their own module). */
export type WorkOutcome = Extract<
  DecisionInput,
  { type: 'step.succeeded' | 'step.failed' | 'step.wait' | 'step.child' | 'child.finished' | 'compensation.succeeded' | 'compensation.failed' }
>;

/** Apply a result of work to a live (not ended) instance. */
export function outcome(env: DecideEnv, instance: InstanceRecord, input: WorkOutcome): Decision {
  input = aliased(instance, input);
  if (input.type === 'child.finished') return childFinished(env, instance, input);
  if (input.type === 'compensation.succeeded' || input.type === 'compensation.failed') return compensationOutcome(env, instance, input);

  const rec = instance.steps[input.stepId];
  if (rec?.skipped !== undefined && isSkippedAttempt(rec.skipped, input)) return discardSkipped(env, instance, input);
  if (!rec || rec.status !== 'SCHEDULED' || rec.attempt !== input.attempt || (input.run !== undefined && input.run !== rec.run) || instance.state === 'COMPENSATING') {
    return { ignored: true, reason: 'stale or duplicate step result' };
  }
  const d = new Draft(env, instance);
  if (input.type === 'step.succeeded') stepSucceeded(d, input.stepId, input.output);
  else if (input.type === 'step.failed') stepAttemptFailed(d, input.stepId, input.error);
  else if (input.type === 'step.child') {
    d.setStep(input.stepId, { status: 'WAITING', wait: { child: input.childId } });
    d.emit('child.started', { stepId: input.stepId, attempt: input.attempt, data: { childId: input.childId, workflow: input.workflow } });
  } else stepWaits(d, input.stepId, input.signal, input.timeoutMs);
  settle(d);
  return d.result();
}

/**
 * The outcome as the instance names its step: one started under a step id a migration renamed goes
 * to the renamed step (`stepAliases`).
 */
export function aliased<T extends { stepId: string }>(instance: InstanceRecord, input: T): T {
  const to = instance.stepAliases?.[input.stepId];
  return to !== undefined && instance.steps[input.stepId] === undefined ? { ...input, stepId: to } : input;
}

type StepAttemptOutcome = Extract<WorkOutcome, { type: 'step.succeeded' | 'step.failed' | 'step.wait' | 'step.child' }>;

/** True for the outcome of the attempt that was running when an operator skipped its step (already aliased). */
export function skippedAttemptOutcome(instance: InstanceRecord, input: WorkOutcome): boolean {
  if (input.type === 'child.finished' || input.type === 'compensation.succeeded' || input.type === 'compensation.failed') return false;
  const skipped = instance.steps[aliased(instance, input).stepId]?.skipped;
  return skipped !== undefined && isSkippedAttempt(skipped, input);
}

function isSkippedAttempt(skipped: NonNullable<StepRecord['skipped']>, input: StepAttemptOutcome): boolean {
  return skipped.attempt === input.attempt && (input.run ?? skipped.run) === skipped.run;
}

/**
 * The late outcome of the attempt that was running when an operator skipped its step: refused, with
 * a `step.outcome_discarded` event (once: the mark is then cleared), never applied.
 */
function discardSkipped(env: DecideEnv, instance: InstanceRecord, input: StepAttemptOutcome): Decision {
  const d = new Draft(env, instance);
  d.setStep(input.stepId, { skipped: undefined });
  d.emit('step.outcome_discarded', {
    stepId: input.stepId,
    attempt: input.attempt,
    data: {
      outcome: input.type,
      reason: 'the step was skipped by an operator while this attempt ran; its outcome is not applied',
      ...(input.type === 'step.failed' ? { error: errorJson(input.error) } : {}),
    },
  });
  return d.result();
}

/**
 * A step's attempt succeeded: open its task if it has one, else complete it, merge its output and
 * route on. `via` is added to the event's data (the buffered signal a wait consumed).
 */
export function stepSucceeded(d: Draft, stepId: string, output: JsonObject | undefined, via?: JsonObject): void {
  const rec = d.inst.steps[stepId]!;
  const frozen = output ? deepFreeze(output) : undefined;
  const assignedTo = d.def.steps[stepId]!.assignedTo;
  if (assignedTo !== undefined && rec.task === undefined) {
    openTask(d, stepId, assignedTo, frozen, via);
    return;
  }
  d.inst.completions += 1;
  d.setStep(stepId, {
    status: 'COMPLETED',
    completedAt: d.env.now,
    completedSeq: d.inst.completions,
    ...(frozen ? { output: frozen } : {}),
    error: undefined,
    wait: undefined,
    ...(rec.task ? { task: { ...rec.task, state: 'COMPLETED' as const } } : {}),
  });
  if (frozen && !rec.async) d.inst.data = Object.freeze({ ...d.inst.data, ...frozen });
  // Built without spreads: this runs once per completed step.
  const data: JsonObject = { durationMs: d.env.now - rec.scheduledAt };
  if (frozen) data.output = frozen;
  if (via) Object.assign(data, via);
  d.emit('step.completed', { stepId, attempt: rec.attempt, data });
  if (!rec.async) afterStepDone(d, stepId);
}

/** A step's attempt failed: retry (now or on a timer) while its policy allows, else fail the step and the workflow. */
export function stepAttemptFailed(d: Draft, stepId: string, error: ErrorInfo): void {
  const rec = d.inst.steps[stepId]!;
  const policy = d.env.retryOf(stepId);
  if (error.retryable !== false && policy && rec.attempt <= policy.attempts) {
    const next = rec.attempt + 1;
    const delayMs = retryDelay(policy, next);
    d.emit('step.retrying', { stepId, attempt: rec.attempt, data: { error: errorJson(error), nextAttempt: next, delayMs } });
    if (delayMs <= 0) {
      schedule(d, stepId, { attempt: next, error, wait: undefined });
    } else {
      d.setStep(stepId, { status: 'RETRY_WAIT', attempt: next, error, wait: undefined });
      d.addTimer({ id: `retry/${stepId}`, kind: 'retry', fireAt: d.env.now + delayMs, stepId });
    }
    return;
  }
  d.setStep(stepId, { status: 'FAILED', completedAt: d.env.now, error, wait: undefined });
  d.emit('step.failed', { stepId, attempt: rec.attempt, data: { error: errorJson(error), attempts: rec.attempt } });
  if (!rec.async) failWorkflow(d, { ...error, stepId });
}

/** A child workflow ended: COMPLETED merges its data under the step id; anything else fails the step. */
function childFinished(env: DecideEnv, instance: InstanceRecord, input: Extract<DecisionInput, { type: 'child.finished' }>): Decision {
  const rec = instance.steps[input.stepId];
  if (rec?.status !== 'WAITING' || rec.wait?.child !== input.childId) return { ignored: true, reason: 'no step waits for this child' };
  const d = new Draft(env, instance);
  d.emit('child.finished', { stepId: input.stepId, data: { childId: input.childId, state: input.state } });
  if (input.state === 'COMPLETED') {
    d.setStep(input.stepId, { status: 'SCHEDULED' });
    stepSucceeded(d, input.stepId, { [input.stepId]: input.data });
  } else {
    d.setStep(input.stepId, { status: 'SCHEDULED' });
    stepAttemptFailed(d, input.stepId, {
      message: `Child workflow ${input.childId} ended ${input.state}${input.error ? `: ${input.error.message}` : ''}`,
      code: ErrorCode.ChildFailed,
      retryable: false,
    });
  }
  settle(d);
  return d.result();
}

/** A step waits for a signal: a buffered one is consumed at once, else it waits (with a timeout timer if given). */
function stepWaits(d: Draft, stepId: string, signalName: string, timeoutMs: number | undefined): void {
  const idx = d.inst.signals.findIndex((s) => s.name === signalName);
  if (idx >= 0) {
    const buffered = d.inst.signals[idx]!;
    d.inst.signals = d.inst.signals.filter((_, i) => i !== idx);
    stepSucceeded(d, stepId, buffered.payload, { signal: signalName });
    return;
  }
  const rec = d.inst.steps[stepId]!;
  const deadline = timeoutMs !== undefined ? d.env.now + timeoutMs : undefined;
  d.setStep(stepId, { status: 'WAITING', wait: { signal: signalName, ...(deadline !== undefined ? { deadline } : {}) } });
  if (deadline !== undefined) d.addTimer({ id: `wait/${stepId}`, kind: 'wait_timeout', fireAt: deadline, stepId });
  d.emit('step.waiting', { stepId, attempt: rec.attempt, data: { signal: signalName, ...(deadline !== undefined ? { deadline } : {}) } });
}

/**
 * Failure and the saga: cancelling branches, failing the workflow, and running compensations one
 * at a time in reverse completion order. Nothing here routes, so routing can build on it.
 */
import type { ErrorInfo, InstanceRecord } from '../../model/instance.types.js';
import { isTerminal } from '../../model/instance.types.js';
import { retryDelay } from '../retry-policy.js';
import { ACTIVE, Draft, errorJson } from './draft.js';
import type { DecideEnv, Decision, DecisionInput } from './types.js';

/** Cancel the given steps: records, their timers, child workflows, and one abort effect for all. */
export function cancelSteps(d: Draft, stepIds: string[], reason: string): void {
  if (stepIds.length === 0) return;
  for (const stepId of stepIds) {
    const rec = d.inst.steps[stepId]!;
    d.setStep(stepId, { status: 'CANCELLED', completedAt: d.env.now, wait: undefined, ...(rec.task ? { task: { ...rec.task, state: 'CANCELLED' as const } } : {}) });
    d.clearTimers((t) => t.stepId === stepId && t.kind !== 'compensation_retry');
    if (rec.wait?.child) d.effects.push({ type: 'cancelChild', childId: rec.wait.child, reason });
    d.emit('step.cancelled', { stepId, attempt: rec.attempt, data: { reason } });
  }
  d.effects.push({ type: 'abort', stepIds, reason });
}

/** Cancel every step still in progress. */
export function cancelActive(d: Draft, reason: string): void {
  cancelSteps(
    d,
    Object.entries(d.inst.steps)
      .filter(([, r]) => ACTIVE.has(r.status))
      .map(([id]) => id),
    reason,
  );
}

/** Fail the workflow: compensate first when the definition says so, else end FAILED. No-op once ended or compensating. */
export function failWorkflow(d: Draft, error: ErrorInfo & { stepId?: string }): void {
  if (isTerminal(d.inst.state) || d.inst.state === 'COMPENSATING') return;
  d.inst.error = error;
  cancelActive(d, 'workflow failed');
  d.clearTimers((t) => t.kind === 'deadline');
  const mode = d.def.onFailure;
  if (mode === 'compensate' || mode === 'compensate_and_notify') {
    const toUndo = Object.entries(d.inst.steps)
      .filter(([id, r]) => r.status === 'COMPLETED' && d.env.compensationOf(id) !== undefined)
      .sort(([, a], [, b]) => (b.completedSeq ?? 0) - (a.completedSeq ?? 0))
      .map(([id]) => id);
    d.inst.compensation = { status: 'RUNNING', failed: [] };
    d.setState('COMPENSATING');
    d.emit('compensation.started', { data: { steps: toUndo } });
    for (const stepId of toUndo) {
      d.setStep(stepId, { compensation: { status: 'PENDING', action: d.env.compensationOf(stepId)!, attempt: 0 } });
    }
    nextCompensation(d);
    return;
  }
  finishFailed(d);
}

/** A compensation's result: the next one runs, or a failure is retried or recorded. Stale results are ignored. */
export function compensationOutcome(
  env: DecideEnv,
  instance: InstanceRecord,
  input: Extract<DecisionInput, { type: 'compensation.succeeded' | 'compensation.failed' }>,
): Decision {
  const comp = instance.steps[input.stepId]?.compensation;
  if (instance.state !== 'COMPENSATING' || comp?.status !== 'SCHEDULED' || comp.attempt !== input.attempt) {
    return { ignored: true, reason: 'stale compensation result' };
  }
  const d = new Draft(env, instance);
  if (input.type === 'compensation.succeeded') {
    d.setStep(input.stepId, { compensation: { ...comp, status: 'COMPLETED' } });
    d.emit('compensation.step_completed', { stepId: input.stepId, attempt: input.attempt, data: { action: comp.action } });
    nextCompensation(d);
  } else {
    compensationFailed(d, input.stepId, input.error);
  }
  return d.result();
}

/** Schedule the latest-completed pending compensation, or end the saga when none is left. */
function nextCompensation(d: Draft): void {
  const next = Object.entries(d.inst.steps)
    .filter(([, r]) => r.compensation?.status === 'PENDING')
    .sort(([, a], [, b]) => (b.completedSeq ?? 0) - (a.completedSeq ?? 0))[0];
  if (next) {
    const [stepId, rec] = next;
    d.setStep(stepId, { compensation: { ...rec.compensation!, status: 'SCHEDULED', attempt: 1 } });
    d.effects.push({ type: 'run', stepId, attempt: 1, kind: 'compensation', run: rec.run });
    return;
  }
  const failed = d.inst.compensation?.failed ?? [];
  d.inst.compensation = { status: failed.length ? 'FAILED' : 'COMPLETED', failed };
  d.emit(failed.length ? 'compensation.failed' : 'compensation.completed', { data: { failed } });
  finishFailed(d);
}

function compensationFailed(d: Draft, stepId: string, error: ErrorInfo): void {
  const comp = d.inst.steps[stepId]!.compensation!;
  const policy = d.env.compensationRetryOf(stepId);
  if (error.retryable !== false && comp.attempt <= policy.attempts) {
    const next = comp.attempt + 1;
    const delayMs = retryDelay(policy, next);
    d.emit('compensation.step_failed', { stepId, attempt: comp.attempt, data: { error: errorJson(error), nextAttempt: next, delayMs, action: comp.action } });
    if (delayMs <= 0) {
      d.setStep(stepId, { compensation: { ...comp, status: 'SCHEDULED', attempt: next, error } });
      d.effects.push({ type: 'run', stepId, attempt: next, kind: 'compensation', run: d.inst.steps[stepId]!.run });
    } else {
      d.setStep(stepId, { compensation: { ...comp, status: 'RETRY_WAIT', attempt: next, error } });
      d.addTimer({ id: `compensate/${stepId}`, kind: 'compensation_retry', fireAt: d.env.now + delayMs, stepId });
    }
    return;
  }
  d.setStep(stepId, { compensation: { ...comp, status: 'FAILED', error } });
  d.inst.compensation = { status: 'RUNNING', failed: [...(d.inst.compensation?.failed ?? []), stepId] };
  d.emit('compensation.step_failed', { stepId, attempt: comp.attempt, data: { error: errorJson(error), final: true, action: comp.action } });
  nextCompensation(d);
}

function finishFailed(d: Draft): void {
  d.clearTimers();
  d.setState('FAILED');
  d.inst.completedAt = d.env.now;
  const error = d.inst.error;
  d.emit('workflow.failed', {
    ...(error?.stepId ? { stepId: error.stepId } : {}),
    data: {
      error: errorJson(error ?? { message: 'failed' }),
      ...(d.inst.compensation ? { compensation: d.inst.compensation.status, compensationFailed: d.inst.compensation.failed } : {}),
      ...(d.def.onFailure === 'notify' || d.def.onFailure === 'compensate_and_notify' ? { notify: d.def.notificationChannels } : {}),
    },
  });
}

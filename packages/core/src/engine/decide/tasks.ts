/**
 * Human tasks: a step with `assignedTo` opens a task once its action has prepared it; the task is
 * claimed and completed by people, and may fall due (escalate through `on_timeout`, else fail).
 *
 * Tasks sit below step outcomes: a task's completion or expiry ends its step through the
 * step-outcome functions, passed in as {@link SucceedStep} and {@link FailStep}.
 */
import type { JsonObject } from '../../definition/definition.types.js';
import { ErrorCode, IllegalTransitionError } from '../../errors.js';
import type { ErrorInfo, InstanceRecord } from '../../model/instance.types.js';
import { Draft, who } from './draft.js';
import { enterNode, settle } from './routing.js';
import type { DecideEnv, Decision, DecisionInput } from './types.js';

/** Ends a step's attempt in success (step outcomes' `stepSucceeded`). */
export type SucceedStep = (d: Draft, stepId: string, output: JsonObject | undefined) => void;

/** Ends a step's attempt in failure, retrying when its policy allows (step outcomes' `stepAttemptFailed`). */
export type FailStep = (d: Draft, stepId: string, error: ErrorInfo) => void;

/** `<instanceId>.<stepId>.<run>` → its parts (step ids have no dots; instance ids may). */
export function parseTaskId(taskId: string): { instanceId: string; stepId: string; run: number } | undefined {
  const m = /^(.+)\.([A-Za-z0-9_-]+)\.(\d+)$/.exec(taskId);
  return m ? { instanceId: m[1]!, stepId: m[2]!, run: Number(m[3]) } : undefined;
}

/**
 * Open the task of a step whose action prepared it: merge the prepared data, arm its due timer. The
 * event keeps the prepared data (`output`), so that a replay merges it too; `via` as in `stepSucceeded`.
 */
export function openTask(d: Draft, stepId: string, assignedTo: string, prepared: JsonObject | undefined, via?: JsonObject): void {
  const rec = d.inst.steps[stepId]!;
  const step = d.def.steps[stepId]!;
  if (prepared) d.inst.data = Object.freeze({ ...d.inst.data, ...prepared });
  const dueAt = step.timeoutMs !== undefined ? d.env.now + step.timeoutMs : undefined;
  const task = {
    id: `${d.inst.id}.${stepId}.${rec.run}`,
    assignedTo,
    state: 'OPEN' as const,
    openedAt: d.env.now,
    ...(dueAt !== undefined ? { dueAt } : {}),
    form: step.config,
  };
  d.setStep(stepId, { status: 'WAITING', task });
  if (dueAt !== undefined) d.addTimer({ id: `task/${stepId}`, kind: 'task_due', fireAt: dueAt, stepId });
  d.emit('task.opened', {
    stepId,
    attempt: rec.attempt,
    data: { taskId: task.id, assignedTo, ...(dueAt !== undefined ? { dueAt } : {}), ...(prepared ? { output: prepared } : {}), ...via },
  });
}

/** A task fell due: take the first `on_timeout` transition that holds, else fail the step (not retryable). */
export function taskOverdue(d: Draft, stepId: string, failStep: FailStep): void {
  const rec = d.inst.steps[stepId]!;
  const task = rec.task!;
  d.emit('task.expired', { stepId, data: { taskId: task.id, assignedTo: task.assignedTo } });
  const escalations = (d.def.outgoing[stepId] ?? []).filter((t) => t.onTimeout);
  const route = escalations.find((t) => !t.condition || t.condition.test(d.inst.data));
  if (route) {
    d.setStep(stepId, { status: 'TIMED_OUT', completedAt: d.env.now, task: { ...task, state: 'EXPIRED' } });
    enterNode(d, route.to);
    return;
  }
  d.setStep(stepId, { status: 'SCHEDULED', task: { ...task, state: 'EXPIRED' } });
  failStep(d, stepId, {
    message: `Task "${stepId}" assigned to ${task.assignedTo} was not completed by its due time (${d.def.source.steps[stepId]?.timeout ?? ''}); add an on_timeout transition to escalate instead of failing`,
    code: ErrorCode.Timeout,
    retryable: false,
  });
}

/** Claim or complete a task. Throws {@link IllegalTransitionError} when the task is not open to this user. */
export function taskCommand(
  env: DecideEnv,
  instance: InstanceRecord,
  input: Extract<DecisionInput, { type: 'task.claim' | 'task.complete' }>,
  succeedStep: SucceedStep,
): Decision {
  const parts = parseTaskId(input.taskId);
  const rec = parts ? instance.steps[parts.stepId] : undefined;
  const task = rec?.task;
  const op = input.type === 'task.claim' ? 'claim' : 'complete';
  if (!parts || !rec || !task || task.id !== input.taskId) {
    throw new IllegalTransitionError(`${op} task ${input.taskId} of`, instance.id, instance.state, 'the task is not open (it belongs to an earlier run of the step)');
  }
  if (task.state !== 'OPEN' && task.state !== 'CLAIMED') {
    throw new IllegalTransitionError(`${op} task ${input.taskId} of`, instance.id, instance.state, `the task is ${task.state}`);
  }
  if (task.state === 'CLAIMED' && task.claimedBy !== input.by) {
    throw new IllegalTransitionError(`${op} task ${input.taskId} of`, instance.id, instance.state, `the task is claimed by ${task.claimedBy}`);
  }
  if (instance.state === 'PAUSED' && input.type === 'task.complete') {
    throw new IllegalTransitionError(`complete task ${input.taskId} of`, instance.id, instance.state, 'resume the instance first');
  }
  const d = new Draft(env, instance);
  if (input.type === 'task.claim') {
    if (task.state === 'CLAIMED') return { ignored: true, reason: 'already claimed by the same user' };
    d.setStep(parts.stepId, { task: { ...task, state: 'CLAIMED', claimedBy: input.by, claimedAt: env.now } });
    d.emit('task.claimed', { stepId: parts.stepId, data: { taskId: task.id, ...who(input) } });
    return d.result();
  }
  d.removeTimer(`task/${parts.stepId}`);
  d.setStep(parts.stepId, { task: { ...task, completedBy: input.by, completedAt: env.now } });
  d.emit('task.completed', { stepId: parts.stepId, data: { taskId: task.id, ...who(input), data: input.data } });
  succeedStep(d, parts.stepId, input.data);
  settle(d);
  return d.result();
}

/**
 * Turning a recorded history back into the inputs that produced it. Each decision's events begin
 * with one that names its input (a step's outcome, a signal, a command, a timer's effect); the
 * rest follow from the definition. Two inputs leave no event of their own: a retry timer (and a
 * compensation's retry timer) firing. They are fired just before the outcome of the attempt they
 * led to.
 */
import type { JsonObject } from '../../definition/definition.types.js';
import type { ErrorInfo, HistoryEvent, InstanceRecord, InstanceState, TimerRecord } from '../../model/instance.types.js';
import type { Audit, DecisionInput } from '../decide/index.js';

/** Events that report an attempt's outcome (the first event of that outcome's decision). */
const ATTEMPT_OUTCOMES: ReadonlySet<string> = new Set(['step.completed', 'task.opened', 'step.retrying', 'step.failed', 'step.waiting', 'child.started']);

function obj(value: unknown): JsonObject | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function audit(data: JsonObject): Audit {
  const by = str(data.by);
  const from = str(data.from);
  return { ...(by !== undefined ? { by } : {}), ...(from !== undefined ? { from } : {}) };
}

function errorOf(value: unknown): ErrorInfo {
  const e = obj(value) ?? {};
  return {
    message: str(e.message) ?? 'failed',
    ...(typeof e.code === 'string' ? { code: e.code } : {}),
    ...(typeof e.retryable === 'boolean' ? { retryable: e.retryable } : {}),
    ...(e.details !== undefined ? { details: e.details } : {}),
  };
}

/**
 * The timer that fired, leaving no event, before `event`: the retry timer of a step whose retried
 * attempt `event` reports, or the retry timer of a compensation `event` reports.
 */
export function silentTimer(inst: InstanceRecord, event: HistoryEvent): TimerRecord | undefined {
  const stepId = event.stepId;
  if (stepId === undefined) return undefined;
  const rec = inst.steps[stepId];
  if (ATTEMPT_OUTCOMES.has(event.type) && rec?.status === 'RETRY_WAIT') return inst.timers.find((t) => t.id === `retry/${stepId}`);
  const compensation = event.type === 'compensation.step_completed' || event.type === 'compensation.step_failed';
  if (compensation && rec?.compensation?.status === 'RETRY_WAIT') return inst.timers.find((t) => t.id === `compensate/${stepId}`);
  return undefined;
}

/**
 * The input whose decision begins with `events[pos]`, read against the instance before it;
 * `undefined` when that event never begins a decision (it follows from one).
 */
export function inputOf(inst: InstanceRecord, events: HistoryEvent[], pos: number): DecisionInput | undefined {
  const event = events[pos]!;
  const data = event.data ?? {};
  const stepId = event.stepId ?? '';
  const attempt = event.attempt ?? inst.steps[stepId]?.attempt ?? 1;
  switch (event.type) {
    case 'step.completed': {
      const signal = str(data.signal);
      if (signal !== undefined) return { type: 'step.wait', stepId, attempt, signal };
      const output = obj(data.output);
      return { type: 'step.succeeded', stepId, attempt, ...(output ? { output } : {}) };
    }
    case 'task.opened': {
      const signal = str(data.signal);
      if (signal !== undefined) return { type: 'step.wait', stepId, attempt, signal };
      const output = obj(data.output);
      return { type: 'step.succeeded', stepId, attempt, ...(output ? { output } : {}) };
    }
    case 'step.retrying':
    case 'step.failed': {
      const rec = inst.steps[stepId];
      // A wait that timed out fails (or retries) its step; anything else is the attempt's own failure.
      if (rec?.status === 'WAITING' && rec.wait?.signal !== undefined) return { type: 'timer.fired', timerId: `wait/${stepId}` };
      return { type: 'step.failed', stepId, attempt, error: errorOf(data.error) };
    }
    case 'step.waiting': {
      const deadline = typeof data.deadline === 'number' ? data.deadline : undefined;
      return { type: 'step.wait', stepId, attempt, signal: str(data.signal) ?? '', ...(deadline !== undefined ? { timeoutMs: deadline - event.at } : {}) };
    }
    case 'child.started':
      return { type: 'step.child', stepId, attempt, childId: str(data.childId) ?? '', workflow: str(data.workflow) ?? '' };
    case 'child.finished': {
      // A completed child's data is merged under the step id: the step.completed that follows shows it.
      const next = events[pos + 1];
      const merged = next?.type === 'step.completed' && next.stepId === stepId ? obj(obj(next.data?.output)?.[stepId]) : undefined;
      return { type: 'child.finished', stepId, childId: str(data.childId) ?? '', state: (str(data.state) ?? 'FAILED') as InstanceState, data: merged ?? {} };
    }
    case 'step.outcome_discarded': {
      const outcome = str(data.outcome);
      if (outcome === 'step.failed') return { type: 'step.failed', stepId, attempt, error: errorOf(data.error) };
      if (outcome === 'step.wait') return { type: 'step.wait', stepId, attempt, signal: '' };
      if (outcome === 'step.child') return { type: 'step.child', stepId, attempt, childId: '', workflow: '' };
      return { type: 'step.succeeded', stepId, attempt };
    }
    case 'compensation.step_completed':
      return { type: 'compensation.succeeded', stepId, attempt };
    case 'compensation.step_failed':
      return { type: 'compensation.failed', stepId, attempt, error: errorOf(data.error) };
    case 'signal.received':
      return { type: 'signal', name: str(data.name) ?? '', payload: obj(data.payload) ?? {}, ...audit(data) };
    case 'task.claimed':
    case 'task.completed': {
      // The task as the replayed instance names it (its id holds the instance id, which an export may lack).
      const taskId = inst.steps[stepId]?.task?.id ?? str(data.taskId) ?? '';
      const by = str(data.by) ?? '';
      if (event.type === 'task.claimed') return { type: 'task.claim', taskId, ...audit(data), by };
      return { type: 'task.complete', taskId, data: obj(data.data) ?? {}, ...audit(data), by };
    }
    case 'task.expired':
      return { type: 'timer.fired', timerId: `task/${stepId}` };
    case 'workflow.timed_out':
      return { type: 'timer.fired', timerId: 'deadline' };
    case 'workflow.paused':
      return { type: 'pause', ...audit(data) };
    case 'workflow.resumed':
      return { type: 'resume', ...audit(data) };
    case 'step.cancelled':
    case 'workflow.cancelled': {
      // A cancel first cancels the steps in progress: its own event follows theirs.
      let i = pos;
      while (events[i]?.type === 'step.cancelled') i++;
      if (events[i]?.type !== 'workflow.cancelled') return undefined;
      const cancelled = events[i]!.data ?? {};
      const reason = str(cancelled.reason);
      return { type: 'cancel', ...(reason !== undefined ? { reason } : {}), ...audit(cancelled) };
    }
    case 'workflow.retried':
      return { type: 'retry', ...audit(data) };
    case 'instance.retried_from':
      return { type: 'retry_from', stepId: str(data.stepId) ?? stepId, ...audit(data) };
    case 'step.skipped_by_operator':
      return { type: 'skip_step', stepId, data: obj(data.data) ?? {}, ...audit(data) };
    case 'instance.data_updated':
      return { type: 'update_data', patch: obj(data.patch) ?? {}, ...audit(data) };
    default:
      return undefined;
  }
}

/** The step an input concerns, when it is a step's outcome (checked to exist before deciding). */
export function outcomeStep(input: DecisionInput): string | undefined {
  switch (input.type) {
    case 'step.succeeded':
    case 'step.failed':
    case 'step.wait':
    case 'step.child':
    case 'child.finished':
    case 'compensation.succeeded':
    case 'compensation.failed':
      return input.stepId;
    default:
      return undefined;
  }
}

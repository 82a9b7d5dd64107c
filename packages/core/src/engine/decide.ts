/**
 * The pure centre of the engine: given a definition, an instance and one input (a step result,
 * a timer, a signal, a command), compute the next instance, the history events to append and the
 * effects to carry out after the commit. No I/O, no clock reads, no randomness: everything it
 * needs comes in through {@link DecideEnv}.
 *
 * Semantics decided here (see DESIGN.md; choices where it is silent are noted):
 * - Routing is exclusive: the first conditional transition that holds is taken, else the first
 *   default. Fan-out happens only through parallel groups.
 * - A group member's failure fails the workflow (whatever the join).
 * - `async` steps do not block routing and their result is not merged into the data; the instance
 *   completes once they have settled too, so their outcome is in the history; their failure is a
 *   `step.failed` event, never a workflow failure.
 * - Pause lets running attempts finish and records their results but starts nothing new; timers
 *   still fire (a retry becomes due and waits for resume). The instance completes only on resume.
 * - Cancel does not compensate. Retry is refused once a saga has unwound.
 * - Compensations run one at a time in reverse completion order; a compensation that fails after
 *   its retries is recorded and the rest still run.
 */
import type { JsonObject, RetryPolicy, WorkflowDefinition } from '../definition/definition.types.js';
import { ErrorCode, IllegalTransitionError } from '../errors.js';
import type {
  ErrorInfo,
  HistoryEvent,
  HistoryEventType,
  InstanceRecord,
  InstanceState,
  StepRecord,
  TimerRecord,
} from '../model/instance.types.js';
import { isTerminal } from '../model/instance.types.js';
import { runnableWork } from '../model/runnable-work.js';
import { retryDelay } from './retry-policy.js';

/** What the pure function may consult besides the instance. */
export interface DecideEnv {
  definition: WorkflowDefinition;
  /** Epoch ms of this decision. */
  now: number;
  /** Effective retry policy of a step (step's own, else its action's default). */
  retryOf(stepId: string): RetryPolicy | undefined;
  /** Effective compensation action of a step, if any. */
  compensationOf(stepId: string): string | undefined;
  /** Retry policy of a step's compensation. */
  compensationRetryOf(stepId: string): RetryPolicy;
}

/** Inputs of {@link decide}. */
export type DecisionInput =
  | { type: 'step.succeeded'; stepId: string; attempt: number; output?: JsonObject }
  | { type: 'step.failed'; stepId: string; attempt: number; error: ErrorInfo }
  | { type: 'step.wait'; stepId: string; attempt: number; signal: string; timeoutMs?: number }
  | { type: 'step.child'; stepId: string; attempt: number; childId: string; workflow: string }
  | { type: 'child.finished'; stepId: string; childId: string; state: InstanceState; data: JsonObject; error?: ErrorInfo }
  | { type: 'compensation.succeeded'; stepId: string; attempt: number }
  | { type: 'compensation.failed'; stepId: string; attempt: number; error: ErrorInfo }
  | { type: 'timer.fired'; timerId: string; /** When given, a timer re-armed since (another fireAt) is not this one. */ fireAt?: number }
  | ({ type: 'signal'; name: string; payload: JsonObject } & Audit)
  | ({ type: 'pause' } & Audit)
  | ({ type: 'resume' } & Audit)
  | ({ type: 'cancel'; reason?: string } & Audit)
  | ({ type: 'retry' } & Audit)
  | ({ type: 'task.claim'; taskId: string; by: string } & Audit)
  | ({ type: 'task.complete'; taskId: string; data: JsonObject; by: string } & Audit);

/** Who asked for a command, and from which address: kept in the history. */
export interface Audit {
  by?: string;
  from?: string;
}

function who(input: Audit): JsonObject {
  return { ...(input.by ? { by: input.by } : {}), ...(input.from ? { from: input.from } : {}) };
}

/** Work the shell carries out after a decision is committed. */
export type Effect =
  | { type: 'run'; stepId: string; attempt: number; kind: 'step' | 'compensation' }
  | { type: 'arm'; timer: TimerRecord }
  | { type: 'disarm'; timerId: string }
  | { type: 'abort'; stepIds: string[]; reason: string }
  | { type: 'cancelChild'; childId: string; reason: string };

/** A decision to commit, or `ignored` for a stale or duplicate input. */
export type Decision =
  | { ignored: false; instance: InstanceRecord; events: HistoryEvent[]; effects: Effect[] }
  | { ignored: true; reason: string };

/** Parameters of {@link startInstance}. */
export interface StartParams {
  id: string;
  data: JsonObject;
  startedBy?: string;
  idempotencyKey?: string;
  parent?: InstanceRecord['parent'];
  /** Address the start came from (audit). */
  startedFrom?: string;
  correlationId?: string;
  traceContext?: Record<string, string>;
}

const ACTIVE: ReadonlySet<string> = new Set(['SCHEDULED', 'RETRY_WAIT', 'WAITING']);

/** Mutable working copy of one decision. */
class Draft {
  readonly events: HistoryEvent[] = [];
  readonly effects: Effect[] = [];
  readonly inst: InstanceRecord;

  constructor(
    readonly env: DecideEnv,
    source: InstanceRecord,
  ) {
    this.inst = copyInstance(source);
    this.inst.version = source.version + 1;
    this.inst.updatedAt = env.now;
  }

  get def(): WorkflowDefinition {
    return this.env.definition;
  }

  emit(type: HistoryEventType, fields: Omit<HistoryEvent, 'instanceId' | 'seq' | 'type' | 'at'> = {}): void {
    this.inst.seq += 1;
    this.events.push({ instanceId: this.inst.id, seq: this.inst.seq, type, at: this.env.now, ...fields });
  }

  /** Replace a step's record (records are never mutated in place). */
  setStep(stepId: string, patch: Partial<StepRecord>): StepRecord {
    const next = copyStep(this.inst.steps[stepId]!);
    Object.assign(next, patch);
    this.inst.steps[stepId] = next;
    return next;
  }

  addTimer(timer: TimerRecord): void {
    this.inst.timers = [...this.inst.timers.filter((t) => t.id !== timer.id), timer];
    this.effects.push({ type: 'arm', timer });
  }

  removeTimer(timerId: string): void {
    if (!this.inst.timers.some((t) => t.id === timerId)) return;
    this.inst.timers = this.inst.timers.filter((t) => t.id !== timerId);
    this.effects.push({ type: 'disarm', timerId });
  }

  clearTimers(filter: (t: TimerRecord) => boolean = () => true): void {
    for (const t of this.inst.timers.filter(filter)) this.removeTimer(t.id);
  }

  setState(state: InstanceState): void {
    this.inst.state = state;
  }

  result(): Decision {
    return { ignored: false, instance: this.inst, events: this.events, effects: this.effects };
  }
}

// Records are copied field by field rather than spread: one object shape keeps the hot path fast.

function copyInstance(s: InstanceRecord): InstanceRecord {
  const steps: Record<string, StepRecord> = {};
  for (const k in s.steps) steps[k] = s.steps[k]!;
  return {
    id: s.id,
    definitionName: s.definitionName,
    definitionVersion: s.definitionVersion,
    state: s.state,
    data: s.data,
    steps,
    timers: s.timers,
    signals: s.signals,
    version: s.version,
    seq: s.seq,
    completions: s.completions,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
    completedAt: s.completedAt,
    startedBy: s.startedBy,
    idempotencyKey: s.idempotencyKey,
    error: s.error,
    compensation: s.compensation,
    pausedFrom: s.pausedFrom,
    parent: s.parent,
    correlationId: s.correlationId,
    traceContext: s.traceContext,
  };
}

function copyStep(r: StepRecord): StepRecord {
  return {
    status: r.status,
    attempt: r.attempt,
    run: r.run,
    scheduledAt: r.scheduledAt,
    completedAt: r.completedAt,
    output: r.output,
    error: r.error,
    completedSeq: r.completedSeq,
    wait: r.wait,
    async: r.async,
    compensation: r.compensation,
    task: r.task,
  };
}

/** Deep-freeze a JSON value so actions cannot mutate stored data. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** The first decision: a new RUNNING instance with its start step (or group) entered. */
export function startInstance(env: DecideEnv, params: StartParams): Decision & { ignored: false } {
  const { definition, now } = env;
  const blank: InstanceRecord = {
    id: params.id,
    definitionName: definition.name,
    definitionVersion: definition.version,
    state: 'RUNNING',
    data: deepFreeze(params.data),
    steps: {},
    timers: [],
    signals: [],
    version: 0,
    seq: 0,
    completions: 0,
    createdAt: now,
    updatedAt: now,
    ...(params.startedBy !== undefined ? { startedBy: params.startedBy } : {}),
    ...(params.idempotencyKey !== undefined ? { idempotencyKey: params.idempotencyKey } : {}),
    ...(params.parent !== undefined ? { parent: params.parent } : {}),
    ...(params.correlationId !== undefined ? { correlationId: params.correlationId } : {}),
    ...(params.traceContext !== undefined ? { traceContext: params.traceContext } : {}),
  };
  const d = new Draft(env, blank);
  d.emit('workflow.started', {
    data: { definition: definition.name, version: definition.version, ...who({ by: params.startedBy, from: params.startedFrom }) },
  });
  if (definition.timeoutMs !== undefined) {
    d.addTimer({ id: 'deadline', kind: 'deadline', fireAt: now + definition.timeoutMs });
  }
  enterNode(d, definition.start);
  settle(d);
  return d.result() as Decision & { ignored: false };
}

/** Apply one input to an instance. Throws {@link IllegalTransitionError} for commands its state forbids. */
export function decide(env: DecideEnv, instance: InstanceRecord, input: DecisionInput): Decision {
  switch (input.type) {
    case 'pause':
    case 'resume':
    case 'cancel':
    case 'retry':
      return command(env, instance, input);
    case 'signal':
      return signal(env, instance, input);
    case 'task.claim':
    case 'task.complete':
      return taskCommand(env, instance, input);
    default:
      return outcome(env, instance, input);
  }
}

/** Effects that re-start an instance after a restart: runnable work and every timer. */
export function recoveryEffects(instance: InstanceRecord): Effect[] {
  const effects: Effect[] = instance.timers.map((timer) => ({ type: 'arm', timer }) as Effect);
  for (const work of runnableWork(instance)) effects.push({ type: 'run', stepId: work.stepId, attempt: work.attempt, kind: work.kind });
  return effects;
}

// ---------------------------------------------------------------------------------------------
// Outcomes of work: step results, compensation results, timers

type OutcomeInput = Exclude<DecisionInput, { type: 'pause' | 'resume' | 'cancel' | 'retry' | 'signal' | 'task.claim' | 'task.complete' }>;

function outcome(env: DecideEnv, instance: InstanceRecord, input: OutcomeInput): Decision {
  if (isTerminal(instance.state)) return { ignored: true, reason: `instance is ${instance.state}` };
  if (input.type === 'timer.fired') return timerFired(env, instance, input.timerId, input.fireAt);
  if (input.type === 'child.finished') return childFinished(env, instance, input);

  const rec = instance.steps[input.stepId];
  if (input.type === 'compensation.succeeded' || input.type === 'compensation.failed') {
    const comp = rec?.compensation;
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

  if (!rec || rec.status !== 'SCHEDULED' || rec.attempt !== input.attempt || instance.state === 'COMPENSATING') {
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

function stepSucceeded(d: Draft, stepId: string, output: JsonObject | undefined): void {
  const rec = d.inst.steps[stepId]!;
  const frozen = output ? deepFreeze(output) : undefined;
  const assignedTo = d.def.steps[stepId]!.assignedTo;
  if (assignedTo !== undefined && rec.task === undefined) {
    openTask(d, stepId, assignedTo, frozen);
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
  d.emit('step.completed', { stepId, attempt: rec.attempt, data: { durationMs: d.env.now - rec.scheduledAt, ...(frozen ? { output: frozen } : {}) } });
  if (!rec.async) afterStepDone(d, stepId);
}

function stepAttemptFailed(d: Draft, stepId: string, error: ErrorInfo): void {
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
      code: 'WF_CHILD_FAILED',
      retryable: false,
    });
  }
  settle(d);
  return d.result();
}

function stepWaits(d: Draft, stepId: string, signalName: string, timeoutMs: number | undefined): void {
  const idx = d.inst.signals.findIndex((s) => s.name === signalName);
  if (idx >= 0) {
    const buffered = d.inst.signals[idx]!;
    d.inst.signals = d.inst.signals.filter((_, i) => i !== idx);
    stepSucceeded(d, stepId, buffered.payload);
    return;
  }
  const rec = d.inst.steps[stepId]!;
  const deadline = timeoutMs !== undefined ? d.env.now + timeoutMs : undefined;
  d.setStep(stepId, { status: 'WAITING', wait: { signal: signalName, ...(deadline !== undefined ? { deadline } : {}) } });
  if (deadline !== undefined) d.addTimer({ id: `wait/${stepId}`, kind: 'wait_timeout', fireAt: deadline, stepId });
  d.emit('step.waiting', { stepId, attempt: rec.attempt, data: { signal: signalName, ...(deadline !== undefined ? { deadline } : {}) } });
}

function timerFired(env: DecideEnv, instance: InstanceRecord, timerId: string, fireAt?: number): Decision {
  const timer = instance.timers.find((t) => t.id === timerId);
  if (!timer) return { ignored: true, reason: `no timer ${timerId}` };
  if (fireAt !== undefined && timer.fireAt !== fireAt) return { ignored: true, reason: `timer ${timerId} was re-armed for ${timer.fireAt}` };
  const d = new Draft(env, instance);
  d.inst.timers = d.inst.timers.filter((t) => t.id !== timerId);
  const stepId = timer.stepId!;
  const rec = d.inst.steps[stepId];
  switch (timer.kind) {
    case 'retry':
      if (rec?.status === 'RETRY_WAIT') schedule(d, stepId, { attempt: rec.attempt });
      break;
    case 'compensation_retry':
      if (rec?.compensation?.status === 'RETRY_WAIT') {
        d.setStep(stepId, { compensation: { ...rec.compensation, status: 'SCHEDULED' } });
        d.effects.push({ type: 'run', stepId, attempt: rec.compensation.attempt, kind: 'compensation' });
      }
      break;
    case 'wait_timeout':
      if (rec?.status === 'WAITING') {
        const signalName = rec.wait?.signal ?? '?';
        d.setStep(stepId, { status: 'SCHEDULED' });
        stepAttemptFailed(d, stepId, {
          message: `No signal "${signalName}" arrived before the wait's timeout`,
          code: ErrorCode.Timeout,
          retryable: true,
        });
      }
      break;
    case 'task_due':
      if (rec?.status === 'WAITING' && rec.task && (rec.task.state === 'OPEN' || rec.task.state === 'CLAIMED')) taskOverdue(d, stepId);
      break;
    case 'deadline':
      if (d.inst.state !== 'COMPENSATING') {
        d.emit('workflow.timed_out', { data: { timeoutMs: env.definition.timeoutMs ?? 0 } });
        failWorkflow(d, {
          message: `Workflow deadline passed (timeout ${env.definition.source.timeout ?? `${env.definition.timeoutMs}ms`})`,
          code: ErrorCode.Timeout,
          retryable: false,
        });
      }
      break;
  }
  settle(d);
  return d.result();
}

// ---------------------------------------------------------------------------------------------
// Signals and commands

function signal(env: DecideEnv, instance: InstanceRecord, input: Extract<DecisionInput, { type: 'signal' }>): Decision {
  if (isTerminal(instance.state) || instance.state === 'COMPENSATING') {
    throw new IllegalTransitionError(`signal "${input.name}" to`, instance.id, instance.state, 'signals reach only running, waiting or paused instances');
  }
  const d = new Draft(env, instance);
  const waiting = Object.entries(d.inst.steps)
    .filter(([, r]) => r.status === 'WAITING' && r.wait?.signal === input.name)
    .map(([id]) => id);
  d.emit('signal.received', { data: { name: input.name, payload: input.payload, delivered: waiting.length > 0, steps: waiting, ...who(input) } });
  if (waiting.length === 0) {
    d.inst.signals = [...d.inst.signals, { name: input.name, payload: deepFreeze(input.payload), receivedAt: env.now }];
  }
  for (const stepId of waiting) {
    d.removeTimer(`wait/${stepId}`);
    stepSucceeded(d, stepId, input.payload);
  }
  settle(d);
  return d.result();
}

function command(env: DecideEnv, instance: InstanceRecord, input: Extract<DecisionInput, { type: 'pause' | 'resume' | 'cancel' | 'retry' }>): Decision {
  const { state, id } = instance;
  const by: JsonObject = who(input);
  const d = new Draft(env, instance);
  switch (input.type) {
    case 'pause':
      if (state !== 'RUNNING' && state !== 'WAITING' && state !== 'PENDING') {
        throw new IllegalTransitionError('pause', id, state, 'only RUNNING or WAITING instances can be paused');
      }
      d.inst.pausedFrom = state;
      d.setState('PAUSED');
      d.emit('workflow.paused', { data: { ...by } });
      return d.result();
    case 'resume': {
      if (state !== 'PAUSED') throw new IllegalTransitionError('resume', id, state, 'only PAUSED instances can be resumed');
      d.setState('RUNNING');
      d.inst.pausedFrom = undefined;
      d.emit('workflow.resumed', { data: { ...by } });
      for (const [stepId, rec] of Object.entries(d.inst.steps)) {
        if (rec.status === 'SCHEDULED') d.effects.push({ type: 'run', stepId, attempt: rec.attempt, kind: 'step' });
      }
      settle(d);
      return d.result();
    }
    case 'cancel': {
      if (isTerminal(state)) throw new IllegalTransitionError('cancel', id, state, 'it has already ended');
      if (state === 'COMPENSATING') throw new IllegalTransitionError('cancel', id, state, 'wait for its compensation to finish');
      cancelActive(d, 'instance cancelled');
      d.clearTimers();
      d.setState('CANCELLED');
      d.inst.completedAt = env.now;
      d.inst.error = { message: input.reason ?? 'Cancelled', code: 'CANCELLED' };
      d.emit('workflow.cancelled', { data: { ...(input.reason ? { reason: input.reason } : {}), ...by } });
      return d.result();
    }
    case 'retry': {
      if (state !== 'FAILED') throw new IllegalTransitionError('retry', id, state, 'only FAILED instances can be retried');
      if (instance.compensation) {
        throw new IllegalTransitionError('retry', id, state, 'its saga was compensated; start a new instance instead');
      }
      const again = Object.entries(instance.steps)
        .filter(([, r]) => (r.status === 'FAILED' || r.status === 'CANCELLED') && !r.async)
        .map(([stepId]) => stepId);
      if (again.length === 0) {
        throw new IllegalTransitionError('retry', id, state, 'no step failed (it failed on routing or its deadline); start a new instance instead');
      }
      d.setState('RUNNING');
      d.inst.error = undefined;
      d.inst.completedAt = undefined;
      d.emit('workflow.retried', { data: { steps: again, ...by } });
      if (env.definition.timeoutMs !== undefined) {
        d.addTimer({ id: 'deadline', kind: 'deadline', fireAt: env.now + env.definition.timeoutMs });
      }
      for (const stepId of again) schedule(d, stepId, { attempt: 1, error: undefined, task: undefined });
      settle(d);
      return d.result();
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Human tasks

/** `<instanceId>.<stepId>.<run>` → its parts (step ids have no dots; instance ids may). */
export function parseTaskId(taskId: string): { instanceId: string; stepId: string; run: number } | undefined {
  const m = /^(.+)\.([A-Za-z0-9_-]+)\.(\d+)$/.exec(taskId);
  return m ? { instanceId: m[1]!, stepId: m[2]!, run: Number(m[3]) } : undefined;
}

function openTask(d: Draft, stepId: string, assignedTo: string, prepared: JsonObject | undefined): void {
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
  d.emit('task.opened', { stepId, attempt: rec.attempt, data: { taskId: task.id, assignedTo, ...(dueAt !== undefined ? { dueAt } : {}) } });
}

function taskOverdue(d: Draft, stepId: string): void {
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
  stepAttemptFailed(d, stepId, {
    message: `Task "${stepId}" assigned to ${task.assignedTo} was not completed by its due time (${d.def.source.steps[stepId]?.timeout ?? ''}); add an on_timeout transition to escalate instead of failing`,
    code: ErrorCode.Timeout,
    retryable: false,
  });
}

function taskCommand(env: DecideEnv, instance: InstanceRecord, input: Extract<DecisionInput, { type: 'task.claim' | 'task.complete' }>): Decision {
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
  stepSucceeded(d, parts.stepId, input.data);
  settle(d);
  return d.result();
}

// ---------------------------------------------------------------------------------------------
// Routing

function enterNode(d: Draft, nodeId: string): void {
  const members = d.def.groups[nodeId];
  if (members) {
    for (const member of members) enterStep(d, member);
    // A group whose members were all skipped joins at once.
    checkJoin(d, nodeId);
  } else {
    enterStep(d, nodeId);
  }
}

function enterStep(d: Draft, stepId: string): void {
  const step = d.def.steps[stepId]!;
  const prev = d.inst.steps[stepId];
  const run = (prev?.run ?? 0) + 1;
  d.inst.steps[stepId] = { status: 'SCHEDULED', attempt: 1, run, scheduledAt: d.env.now, ...(step.async ? { async: true } : {}) };
  const failed = step.conditions.find((c) => !c.test(d.inst.data));
  if (failed) {
    d.setStep(stepId, { status: 'SKIPPED', completedAt: d.env.now });
    d.emit('step.skipped', { stepId, data: { condition: failed.source } });
    if (!d.def.groupOf[stepId]) routeFrom(d, stepId);
    return;
  }
  d.emit('step.scheduled', { stepId, attempt: 1, data: { action: step.action, run } });
  if (d.inst.state === 'RUNNING' || d.inst.state === 'WAITING') d.effects.push({ type: 'run', stepId, attempt: 1, kind: 'step' });
  if (step.async) routeFrom(d, stepId);
}

function schedule(d: Draft, stepId: string, patch: Partial<StepRecord>): void {
  const rec = d.setStep(stepId, { ...patch, status: 'SCHEDULED' });
  if (d.inst.state === 'RUNNING' || d.inst.state === 'WAITING') d.effects.push({ type: 'run', stepId, attempt: rec.attempt, kind: 'step' });
}

function afterStepDone(d: Draft, stepId: string): void {
  const group = d.def.groupOf[stepId];
  if (group) checkJoin(d, group);
  else routeFrom(d, stepId);
}

function checkJoin(d: Draft, group: string): void {
  const members = d.def.groups[group]!;
  const recs = members.map((m) => d.inst.steps[m]);
  // Only a group whose members are all in this run (entered together) can join.
  if (recs.some((r) => r === undefined)) return;
  const done = recs.filter((r) => r!.status === 'COMPLETED' || r!.status === 'SKIPPED').length;
  const active = recs.filter((r) => ACTIVE.has(r!.status)).length;
  const join = d.def.outgoing[group]?.[0]?.join ?? 'all';
  const needed = join === 'all' ? members.length : join === 'any' ? 1 : join;
  if (done < needed) return;
  // Fires once: firing cancels the active members, so no later completion reaches here for `any`/N;
  // `all` fires only when no member is active any more.
  if (join === 'all' && active > 0) return;
  if (active > 0) {
    const rest = members.filter((m) => ACTIVE.has(d.inst.steps[m]!.status));
    cancelSteps(d, rest, `join "${join}" of group ${group} satisfied`);
  }
  routeFrom(d, group);
}

function routeFrom(d: Draft, nodeId: string): void {
  const transitions = d.def.outgoing[nodeId]?.filter((t) => !t.onTimeout);
  if (!transitions || transitions.length === 0) return;
  let chosen = transitions.find((t) => t.condition && t.condition.test(d.inst.data));
  chosen ??= transitions.find((t) => !t.condition);
  if (!chosen) {
    const tried = transitions.map((t) => t.condition!.source);
    failWorkflow(d, {
      message: `No transition from "${nodeId}" matched: tried ${tried.map((c) => `\`${c}\``).join(', ')}; add a default transition (one without a condition) or make the data satisfy one`,
      code: 'WF_NO_ROUTE',
      retryable: false,
      details: { from: nodeId, conditions: tried },
      stepId: nodeId,
    });
    return;
  }
  enterNode(d, chosen.to);
}

// ---------------------------------------------------------------------------------------------
// Failure and saga

function cancelSteps(d: Draft, stepIds: string[], reason: string): void {
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

function cancelActive(d: Draft, reason: string): void {
  cancelSteps(
    d,
    Object.entries(d.inst.steps)
      .filter(([, r]) => ACTIVE.has(r.status))
      .map(([id]) => id),
    reason,
  );
}

function failWorkflow(d: Draft, error: ErrorInfo & { stepId?: string }): void {
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

function nextCompensation(d: Draft): void {
  const next = Object.entries(d.inst.steps)
    .filter(([, r]) => r.compensation?.status === 'PENDING')
    .sort(([, a], [, b]) => (b.completedSeq ?? 0) - (a.completedSeq ?? 0))[0];
  if (next) {
    const [stepId, rec] = next;
    d.setStep(stepId, { compensation: { ...rec.compensation!, status: 'SCHEDULED', attempt: 1 } });
    d.effects.push({ type: 'run', stepId, attempt: 1, kind: 'compensation' });
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
      d.effects.push({ type: 'run', stepId, attempt: next, kind: 'compensation' });
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

/** After any change: derive RUNNING/WAITING and complete when no branch is active. */
function settle(d: Draft): void {
  const state = d.inst.state;
  if (state !== 'RUNNING' && state !== 'WAITING') return;
  let waiting = false;
  let busy = false;
  for (const rec of Object.values(d.inst.steps)) {
    if (rec.status === 'WAITING') waiting = true;
    else if (rec.status === 'SCHEDULED' || rec.status === 'RETRY_WAIT') busy = true;
  }
  if (busy) d.setState('RUNNING');
  else if (waiting) d.setState('WAITING');
  else {
    d.clearTimers();
    d.setState('COMPLETED');
    d.inst.completedAt = d.env.now;
    d.emit('workflow.completed', { data: { durationMs: d.env.now - d.inst.createdAt } });
  }
}

function errorJson(error: ErrorInfo): JsonObject {
  return {
    message: error.message,
    ...(error.code !== undefined ? { code: error.code } : {}),
    ...(error.retryable !== undefined ? { retryable: error.retryable } : {}),
    ...(error.details !== undefined ? { details: error.details } : {}),
  };
}

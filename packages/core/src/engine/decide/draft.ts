/** The mutable working copy of one decision, and the small helpers every decide module shares. */
import type { JsonObject, WorkflowDefinition } from '../../definition/definition.types.js';
import type { ErrorInfo, HistoryEvent, HistoryEventType, InstanceRecord, InstanceState, StepRecord, TimerRecord } from '../../model/instance.types.js';
import { stampRecord } from './record-stamps.js';
import type { Audit, DecideEnv, Decision, Effect } from './types.js';

/** Step statuses of a branch still in progress (a join waits for them; cancel stops them). */
export const ACTIVE: ReadonlySet<string> = new Set(['SCHEDULED', 'RETRY_WAIT', 'WAITING']);

/** Mutable working copy of one decision. */
export class Draft {
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
    stampRecord(this.env, this.inst);
    return { ignored: false, instance: this.inst, events: this.events, effects: this.effects };
  }
}

// Records are copied field by field rather than spread: one object shape keeps the hot path fast.

/** A shallow copy of an instance with its own `steps` map (step records are shared until replaced). */
export function copyInstance(s: InstanceRecord): InstanceRecord {
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
    runs: s.runs,
    stepAliases: s.stepAliases,
    businessKey: s.businessKey,
    uniqueBusinessKey: s.uniqueBusinessKey,
    attributes: s.attributes,
    purgeAfter: s.purgeAfter,
  };
}

/** A shallow copy of a step record. */
export function copyStep(r: StepRecord): StepRecord {
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
    skipped: r.skipped,
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

/** The audit fields a command carries, for its history event (absent ones left out). */
export function who(input: Audit): JsonObject {
  return { ...(input.by ? { by: input.by } : {}), ...(input.from ? { from: input.from } : {}) };
}

/** An error as JSON for a history event (absent fields left out). */
export function errorJson(error: ErrorInfo): JsonObject {
  return {
    message: error.message,
    ...(error.code !== undefined ? { code: error.code } : {}),
    ...(error.retryable !== undefined ? { retryable: error.retryable } : {}),
    ...(error.details !== undefined ? { details: error.details } : {}),
  };
}

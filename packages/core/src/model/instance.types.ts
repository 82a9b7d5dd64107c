/**
 * The durable state of one workflow instance: a record (this file) plus an append-only history
 * of {@link HistoryEvent}s. Both are plain JSON so that every storage can keep them as they are.
 */
import type { Json, JsonObject } from '../definition/definition.types.js';

/** Lifecycle of an instance (the seed's diagram plus COMPENSATING). */
export type InstanceState =
  | 'PENDING'
  | 'RUNNING'
  | 'WAITING'
  | 'PAUSED'
  | 'COMPENSATING'
  | 'COMPLETED'
  | 'FAILED'
  | 'CANCELLED';

/** States an instance never leaves on its own. FAILED may still be retried. */
export const TERMINAL_STATES: readonly InstanceState[] = ['COMPLETED', 'FAILED', 'CANCELLED'];

/** True when `state` is COMPLETED, FAILED or CANCELLED. */
export function isTerminal(state: InstanceState): boolean {
  return state === 'COMPLETED' || state === 'FAILED' || state === 'CANCELLED';
}

/**
 * Status of one step in one instance.
 * - SCHEDULED: an attempt is due (runnable work); re-run after a crash.
 * - RETRY_WAIT: a failed attempt waits on its retry timer.
 * - WAITING: the action returned `wait` (a signal resumes it), or its human task is open.
 * - TIMED_OUT: its task passed its due time and the step's `on_timeout` route was taken.
 */
export type StepStatus =
  | 'TIMED_OUT'
  | 'SCHEDULED'
  | 'RETRY_WAIT'
  | 'WAITING'
  | 'COMPLETED'
  | 'FAILED'
  | 'SKIPPED'
  | 'CANCELLED';

/** An error as recorded in state and history. */
export interface ErrorInfo {
  message: string;
  /** Stable code when the engine raised it (`WF_TIMEOUT`...), else the error's name. */
  code?: string;
  retryable?: boolean;
  /** Extra data the action attached to the failure. */
  details?: Json;
}

/** Lifecycle of a human task. */
export type TaskState = 'OPEN' | 'CLAIMED' | 'COMPLETED' | 'EXPIRED' | 'CANCELLED';

/** The human task of a step with `assigned_to`, opened once its action has prepared it. */
export interface TaskRecord {
  /** `<instanceId>.<stepId>.<run>`: stable, and names the instance it belongs to. */
  id: string;
  assignedTo: string;
  state: TaskState;
  openedAt: number;
  /** From the step's `timeout`. */
  dueAt?: number;
  claimedBy?: string;
  claimedAt?: number;
  completedBy?: string;
  completedAt?: number;
  /** The step's `config`: what the task's form shows. */
  form: JsonObject;
}

/** Saga state of one completed step. */
export interface StepCompensation {
  status: 'PENDING' | 'SCHEDULED' | 'RETRY_WAIT' | 'COMPLETED' | 'FAILED';
  /** Compensation action name. */
  action: string;
  attempt: number;
  error?: ErrorInfo;
}

/** Per-instance state of one step. */
export interface StepRecord {
  status: StepStatus;
  /** Current or last attempt, from 1. */
  attempt: number;
  /** How many times routing entered this step (loops re-enter); part of the idempotency key. */
  run: number;
  scheduledAt: number;
  completedAt?: number;
  /** What the step's last successful attempt returned. */
  output?: JsonObject;
  error?: ErrorInfo;
  /** Order of completion across the instance; compensation runs in reverse of it. */
  completedSeq?: number;
  /** Set while WAITING on a signal or on a child workflow. */
  wait?: { signal?: string; child?: string; deadline?: number };
  /** Dispatched without blocking routing. */
  async?: boolean;
  compensation?: StepCompensation;
  /** The step's human task, once opened. */
  task?: TaskRecord;
  /**
   * Set when an operator skipped the step while an attempt of it was running (`skipStep`): that
   * attempt's late outcome is refused with a `step.outcome_discarded` event, never applied.
   */
  skipped?: { attempt: number; run: number };
}

/** Kinds of durable timer. */
export type TimerKind = 'retry' | 'wait_timeout' | 'deadline' | 'compensation_retry' | 'task_due';

/** A durable timer: kept with the instance, re-armed after a restart. */
export interface TimerRecord {
  /** Unique within the instance, e.g. `retry/process_payment/2`. */
  id: string;
  kind: TimerKind;
  /** Epoch milliseconds. */
  fireAt: number;
  stepId?: string;
}

/** A signal that arrived before anything waited for it. */
export interface BufferedSignal {
  name: string;
  payload: JsonObject;
  receivedAt: number;
}

/** The durable record of one instance. */
export interface InstanceRecord {
  id: string;
  definitionName: string;
  definitionVersion: string;
  state: InstanceState;
  /** The instance's data; step results are shallow-merged into it. */
  data: JsonObject;
  steps: Record<string, StepRecord>;
  timers: TimerRecord[];
  signals: BufferedSignal[];
  /** Compare-and-swap version: 1 after create, +1 per commit. */
  version: number;
  /** Sequence number of the last history event. */
  seq: number;
  /** Counter behind {@link StepRecord.completedSeq}. */
  completions: number;
  createdAt: number;
  updatedAt: number;
  completedAt?: number;
  startedBy?: string;
  idempotencyKey?: string;
  /** Why the instance FAILED or was CANCELLED. */
  error?: ErrorInfo & { stepId?: string };
  /** Set once a saga started unwinding. */
  compensation?: { status: 'RUNNING' | 'COMPLETED' | 'FAILED'; failed: string[] };
  /** The state to go back to on resume. */
  pausedFrom?: InstanceState;
  /** Set on a child workflow: the parent step waiting for it. */
  parent?: { instanceId: string; stepId: string; run: number };
  /**
   * Ties every log line, span and event of this instance to the request that started it (the
   * caller's `X-Request-Id`, or the instance id when none was given). Children inherit it.
   */
  correlationId?: string;
  /**
   * Trace context of the start (W3C `traceparent`/`tracestate`), so that the spans of step
   * attempts, wherever they run, join the starter's trace.
   */
  traceContext?: Record<string, string>;
  /**
   * Last run number of steps whose records `retryFrom` cleared: a step run again gets the next run
   * number (a new idempotency key and task id), never one it had before.
   */
  runs?: Record<string, number>;
  /**
   * Old step id → new, for steps a migration renamed (`stepMap`): the late outcome of an attempt
   * started under the old id, or of a child started by it, is applied to the renamed step.
   */
  stepAliases?: Record<string, string>;
  /**
   * The caller's name for what this instance is about (`A-1003`), given at start; searchable with
   * `listInstances({ businessKey })`. Unique per definition among unfinished instances when
   * {@link InstanceRecord.uniqueBusinessKey} is set.
   */
  businessKey?: string;
  /**
   * Set at start when the caller asked for a unique business key: the storage refuses to create
   * this instance (`WF_BUSINESS_KEY_TAKEN`) while another unfinished instance of the same
   * definition has the same business key. Checked at creation only.
   */
  uniqueBusinessKey?: true;
  /**
   * The definition's declared search attributes, read from `data` at each commit (values as text);
   * searchable with `listInstances({ attributes })`. Stored in clear, even by encrypted storage.
   */
  attributes?: Record<string, string>;
  /**
   * Epoch ms after which a finished instance may be purged (its terminal time plus its retention).
   * Set only on COMPLETED, FAILED or CANCELLED records; absent means keep forever.
   */
  purgeAfter?: number;
}

/** Names of history events; also the names of the engine's events. */
export type HistoryEventType =
  | 'workflow.started'
  | 'workflow.completed'
  | 'workflow.failed'
  | 'workflow.cancelled'
  | 'workflow.paused'
  | 'workflow.resumed'
  | 'workflow.retried'
  | 'workflow.timed_out'
  | 'instance.retried_from'
  | 'instance.data_updated'
  | 'instance.migrated'
  | 'step.scheduled'
  | 'step.completed'
  | 'step.failed'
  | 'step.retrying'
  | 'step.skipped'
  | 'step.waiting'
  | 'step.cancelled'
  | 'step.skipped_by_operator'
  | 'step.outcome_discarded'
  | 'signal.received'
  | 'child.started'
  | 'child.finished'
  | 'task.opened'
  | 'task.claimed'
  | 'task.completed'
  | 'task.expired'
  | 'compensation.started'
  | 'compensation.step_completed'
  | 'compensation.step_failed'
  | 'compensation.completed'
  | 'compensation.failed';

/** One entry of an instance's append-only history. */
export interface HistoryEvent {
  instanceId: string;
  /** 1-based, gap-free per instance. */
  seq: number;
  type: HistoryEventType;
  /** Epoch milliseconds. */
  at: number;
  stepId?: string;
  attempt?: number;
  data?: JsonObject;
}

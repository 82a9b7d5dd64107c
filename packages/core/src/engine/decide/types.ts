/** The vocabulary of the pure decision function: what it consults, takes and returns. */
import type { JsonObject, RetryPolicy, WorkflowDefinition } from '../../definition/definition.types.js';
import type { ErrorInfo, HistoryEvent, InstanceRecord, InstanceState, TimerRecord } from '../../model/instance.types.js';

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
  /**
   * How long a finished instance is kept (ms after it finished), or false: the definition's
   * `retention`, else the engine's. @defaultValue false
   */
  retentionMs?: number | false;
}

/**
 * Inputs of `decide`. A step outcome's `run` is the run of the step its attempt belongs to (the
 * engine sets it): an outcome of an earlier run is stale.
 */
export type DecisionInput =
  | { type: 'step.succeeded'; stepId: string; attempt: number; run?: number; output?: JsonObject }
  | { type: 'step.failed'; stepId: string; attempt: number; run?: number; error: ErrorInfo }
  | { type: 'step.wait'; stepId: string; attempt: number; run?: number; signal: string; timeoutMs?: number }
  | { type: 'step.child'; stepId: string; attempt: number; run?: number; childId: string; workflow: string }
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
  | ({ type: 'task.complete'; taskId: string; data: JsonObject; by: string } & Audit)
  | ({ type: 'retry_from'; stepId: string } & Audit)
  | ({ type: 'skip_step'; stepId: string; data: JsonObject } & Audit)
  | ({ type: 'update_data'; patch: JsonObject } & Audit);

/** Who asked for a command, and from which address: kept in the history. */
export interface Audit {
  by?: string;
  from?: string;
}

/** Work the shell carries out after a decision is committed. */
export type Effect =
  | { type: 'run'; stepId: string; attempt: number; kind: 'step' | 'compensation'; /** The step's run (loops re-enter a step): part of the work's identity. */ run: number }
  | { type: 'arm'; timer: TimerRecord }
  | { type: 'disarm'; timerId: string }
  /** `recordLate`: the attempt's outcome is still recorded (decide refuses it with a history event). */
  | { type: 'abort'; stepIds: string[]; reason: string; recordLate?: boolean }
  | { type: 'cancelChild'; childId: string; reason: string };

/** A decision to commit, or `ignored` for a stale or duplicate input. */
export type Decision =
  | { ignored: false; instance: InstanceRecord; events: HistoryEvent[]; effects: Effect[] }
  | { ignored: true; reason: string };

/** Parameters of `startInstance`. */
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
  businessKey?: string;
  uniqueBusinessKey?: boolean;
}

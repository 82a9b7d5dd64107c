/** The vocabulary of {@link replayHistory}: what it takes and what it reports. */
import type { ActionRegistry } from '../../actions/action-registry.js';
import type { ActionOptions } from '../../actions/action.types.js';
import type { JsonObject } from '../../definition/definition.types.js';
import type { ExpressionOptions } from '../../expression/expression.types.js';
import type { HistoryEvent, InstanceRecord } from '../../model/instance.types.js';

/**
 * A recorded history as the engine and its tools hand it out: `engine.getHistory(id)` or any
 * storage's `getHistory` (an array), the CLI's `history ID --json` (`{ instanceId, events }`), the
 * HTTP API's `GET /instances/:id/history` (`{ items }`), or any of these as JSON text.
 */
export type RecordedHistory = HistoryEvent[] | { events: HistoryEvent[] } | { items: HistoryEvent[] } | string;

/** Options of {@link replayHistory}. */
export interface ReplayOptions {
  /**
   * The options actions were registered with (retry defaults, default compensation), which a
   * definition does not carry: `engine.actions`, or options by action name. Without them, action
   * classes named in a definition given as input bring their `@WorkflowAction` options, and other
   * actions have none (a step then retries only as its own `retry_attempts` says).
   */
  actions?: ActionRegistry | Record<string, ActionOptions>;
  /** The start data, for a history recorded before `workflow.started` kept it (`data.input`). */
  startData?: JsonObject;
  /** Options of the condition compiler, when the definition is given as input and needs them. */
  expressionOptions?: ExpressionOptions;
}

/** Where a recorded history stops being a run of the definition, and why. */
export interface ReplayDivergence {
  /** Sequence number of the first recorded event the definition does not produce (one past the end when the history stops short). */
  seq: number;
  /** That recorded event; absent when the history ends where the definition goes on. */
  event?: HistoryEvent;
  /** What the definition produces instead; absent when it produces nothing there. */
  expected?: HistoryEvent;
  /** The step concerned, when there is one. */
  stepId?: string;
  /** A sentence saying what differs, e.g. `step renamed or removed: recorded step.scheduled of 'charge' but the definition has no step 'charge'`. */
  reason: string;
}

/** What {@link replayHistory} found. */
export type ReplayResult =
  | {
      valid: true;
      /** How many recorded events were replayed (all of them). */
      events: number;
      /** The instance as the definition's decisions leave it after the whole history. */
      instance: InstanceRecord;
    }
  | { valid: false; divergence: ReplayDivergence };

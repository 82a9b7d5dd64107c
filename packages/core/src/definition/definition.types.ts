/**
 * The storable definition format (the seed's array format, snake_case keys) and the compiled form
 * the engine runs on.
 */
import type { Duration } from '../duration.js';
import type { CompiledExpression } from '../expression/expression.types.js';

/** A JSON value. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
/** A JSON object: the data an instance carries. */
export type JsonObject = { [key: string]: Json };

/** How a step's retries are spaced. */
export type RetryBackoff = 'fixed' | 'exponential' | { type: 'fixed' | 'exponential'; max_delay?: Duration };

/** Reference to an action: its registered name, or the class/function itself (persisted as its name). */
export type ActionRef = string | (abstract new (...args: never[]) => unknown) | ((...args: never[]) => unknown);

/** One step of a definition, as written. */
export interface StepDefinitionInput {
  /** Registered action name (or class/function with a registered name). */
  action: ActionRef;
  /** Static configuration handed to the action as `ctx.config`. */
  config?: JsonObject;
  /** Per-attempt timeout. */
  timeout?: Duration;
  /** Retries after the first try. @defaultValue 0 */
  retry_attempts?: number;
  /** Delay before a retry. @defaultValue `1s` */
  retry_delay?: Duration;
  /** Backoff between retries. @defaultValue `fixed` */
  retry_backoff?: RetryBackoff;
  /** Action that undoes this step when the saga unwinds. */
  compensation?: ActionRef;
  /** Guards: every one must hold or the step is SKIPPED. */
  conditions?: string[];
  /** Role or user a human task is assigned to. */
  assigned_to?: string;
  /** Dispatch and go on without waiting for the result. */
  async?: boolean;
  /** Free-form metadata, kept but not interpreted. */
  metadata?: JsonObject;
}

/** One transition, as written. `from`/`to` name a step or a parallel group. */
export interface TransitionInput {
  from: string;
  to: string;
  /** Expression over instance data; absent means "default". */
  condition?: string;
  /** Join of a transition leaving a parallel group: `all`, `any` or a count. @defaultValue `all` */
  join?: 'all' | 'any' | number;
  /** The escalation route of a human task step, taken when its task is overdue. */
  on_timeout?: boolean;
  metadata?: JsonObject;
}

/** What happens when a step fails after its last retry. */
export interface ErrorHandlingInput {
  /** @defaultValue `fail` */
  on_failure?: 'fail' | 'compensate' | 'compensate_and_notify' | 'notify';
  notification_channels?: string[];
}

/** A parallel group in either of the seed's named forms. */
export type ParallelGroupsInput = Record<string, string[]> | Array<{ name: string; steps: string[] }>;

/** A workflow definition in the storable format. */
export interface WorkflowDefinitionInput {
  name: string;
  version?: string;
  description?: string;
  /** JSON Schema the start data must match. */
  input?: Record<string, unknown>;
  steps: Record<string, StepDefinitionInput>;
  transitions?: TransitionInput[];
  parallel_groups?: ParallelGroupsInput;
  error_handling?: ErrorHandlingInput;
  /** Whole-workflow deadline. */
  timeout?: Duration;
  metadata?: JsonObject;
  /**
   * How long a finished (COMPLETED, FAILED, CANCELLED) instance is kept before the purge deletes it,
   * e.g. `'30d'`; `false` keeps it forever. @defaultValue the engine's `retention`
   */
  retention?: Duration | false;
  /**
   * Values of the data indexed for `listInstances({ attributes })`, by attribute name: a dotted path
   * into the data, e.g. `{ customer: 'customer.id' }`. At most 8. Read at every commit; a string,
   * number or boolean is indexed as text (up to 255 characters), anything else is not indexed.
   */
  search_attributes?: Record<string, string>;
}

/** One declared search attribute, compiled. */
export interface SearchAttribute {
  name: string;
  /** Property names from the instance data to the value. */
  path: string[];
}

/** Retry policy of a step, compiled. */
export interface RetryPolicy {
  /** Retries after the first try. */
  attempts: number;
  delayMs: number;
  backoff: 'fixed' | 'exponential';
  /** Cap on an exponential delay. */
  maxDelayMs: number;
}

/** A compiled step. */
export interface StepDefinition {
  id: string;
  /** Registered action name. */
  action: string;
  config: JsonObject;
  timeoutMs?: number;
  /** Retry policy as written; `undefined` lets the action's registered default apply. */
  retry?: RetryPolicy;
  /** Compensation action name as written; `undefined` lets the action's registered default apply. */
  compensation?: string;
  conditions: CompiledExpression[];
  assignedTo?: string;
  async: boolean;
}

/** A compiled transition. */
export interface TransitionDefinition {
  from: string;
  to: string;
  condition?: CompiledExpression;
  join: 'all' | 'any' | number;
  /** Position in the definition's `transitions`, for messages. */
  index: number;
  /** Taken only when the step's task is overdue, never by ordinary routing. */
  onTimeout?: boolean;
}

/** A compiled, validated definition: what the engine runs. */
export interface WorkflowDefinition {
  name: string;
  version: string;
  /** The storable source it was compiled from (actions as names). */
  source: WorkflowDefinitionInput;
  steps: Record<string, StepDefinition>;
  /** Parallel groups by name. */
  groups: Record<string, string[]>;
  /** Outgoing transitions by step or group id, in definition order. */
  outgoing: Record<string, TransitionDefinition[]>;
  /** The single step (or group) no transition leads to. */
  start: string;
  /** Group each step belongs to, if any. */
  groupOf: Record<string, string>;
  onFailure: 'fail' | 'compensate' | 'compensate_and_notify' | 'notify';
  notificationChannels: string[];
  timeoutMs?: number;
  inputSchema?: Record<string, unknown>;
  /** From `retention`: ms after finishing, or false (keep forever); undefined: the engine's. */
  retentionMs?: number | false;
  /** From `search_attributes`; undefined when none are declared. */
  searchAttributes?: SearchAttribute[];
}

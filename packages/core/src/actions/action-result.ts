/**
 * What an action returns: success (with data merged into the instance), failure (retryable unless
 * said otherwise), or wait (for a signal, with an optional timeout).
 */
import type { Json, JsonObject } from '../definition/definition.types.js';
import type { Duration } from '../duration.js';

const BRAND = Symbol.for('workflow-mastery.action-result');

/** Options of {@link ActionResult.failure}. */
export interface FailureOptions {
  /** False: no retry, go straight to error handling. @defaultValue true */
  retryable?: boolean;
  /** A stable code of the action's own, kept in the history. */
  code?: string;
  /** Extra data kept in the history. */
  details?: Json;
}

/** Options of {@link ActionResult.wait}. */
export interface WaitOptions {
  /** Name of the signal that resumes the step; its payload becomes the step's result. */
  signal: string;
  /** How long to wait; passing it fails the attempt (and retries apply). */
  timeout?: Duration;
}

/** Options of {@link ActionResult.startChild}. */
export interface ChildOptions {
  /** Name of a registered definition. */
  workflow: string;
  /** @defaultValue the latest registered */
  version?: string;
  /** The child's start data. @defaultValue `{}` */
  data?: JsonObject;
}

/** The outcome of one action attempt. Build it with the static factories. */
export class ActionResult {
  private constructor(
    readonly kind: 'success' | 'failure' | 'wait' | 'child',
    readonly data: JsonObject | undefined,
    readonly error: ({ message: string } & FailureOptions) | undefined,
    readonly wait: WaitOptions | undefined,
    readonly child?: ChildOptions,
  ) {}

  /**
   * Start a child workflow and wait for it: the step completes with `{ [stepId]: childData }` when
   * the child completes, and fails (not retried) when it fails or is cancelled. Cancelling the
   * parent cancels the child. Started once per step run, even across retries and crashes.
   */
  static startChild(options: ChildOptions): ActionResult {
    return new ActionResult('child', undefined, undefined, undefined, options);
  }

  /** The step succeeded; `data` is shallow-merged into the instance data. */
  static success(data?: JsonObject): ActionResult {
    return new ActionResult('success', data, undefined, undefined);
  }

  /** The step failed; retried per the step's policy unless `retryable: false`. */
  static failure(message: string, options: FailureOptions = {}): ActionResult {
    return new ActionResult('failure', undefined, { message, ...options }, undefined);
  }

  /** The step waits for a signal (buffered signals that already arrived resume it at once). */
  static wait(options: WaitOptions): ActionResult {
    return new ActionResult('wait', undefined, undefined, options);
  }

  /** True for results built by this class (also across duplicated module copies). */
  static is(value: unknown): value is ActionResult {
    return value instanceof ActionResult || (typeof value === 'object' && value !== null && (value as { [BRAND]?: boolean })[BRAND] === true);
  }

  /** @internal */
  get [BRAND](): boolean {
    return true;
  }
}


/** The contract between the engine and user actions. */
import type { JsonObject } from '../definition/definition.types.js';
import type { Duration } from '../duration.js';
import type { Logger } from '../logger.js';
import type { ActionResult } from './action-result.js';

/** What an action receives for one attempt. */
export interface ActionContext {
  workflowId: string;
  definitionName: string;
  definitionVersion: string;
  stepId: string;
  /** Instance data, deeply frozen: return new data in `ActionResult.success` instead of mutating. */
  data: Readonly<JsonObject>;
  /** The step's static `config`. */
  config: Readonly<JsonObject>;
  /** 1 for the first try. */
  attempt: number;
  /** Fires on the attempt's timeout or when the instance is cancelled. */
  signal: AbortSignal;
  /** Stable across retries and crashes of this step run: use it for the action's own side effects. */
  idempotencyKey: string;
  /** True when running as the step's compensation. */
  compensating: boolean;
  /** The instance's correlation id (the starter's request id, else the instance id). */
  correlationId: string;
  /** Bound to workflowId, stepId, attempt and correlationId. */
  logger: Logger;
}

/** What an action may return: an ActionResult, a plain data object (success), or nothing (success). */
export type ActionReturn = ActionResult | JsonObject | void | undefined;

/** An action as a function. */
export type ActionFunction = (ctx: ActionContext) => ActionReturn | Promise<ActionReturn>;

/** An action as an object. */
export interface ActionHandler {
  execute(ctx: ActionContext): ActionReturn | Promise<ActionReturn>;
}

/** An action as a class; built once, by the registry's factory or `new`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ActionClass = new (...args: any[]) => ActionHandler;

/** Any of the three forms. */
export type ActionImplementation = ActionFunction | ActionHandler | ActionClass;

/** Retry defaults an action brings along, used when a step sets none. */
export interface ActionRetryOptions {
  /** Retries after the first try. */
  attempts: number;
  /** @defaultValue `1s` */
  delay?: Duration;
  /** @defaultValue `fixed` */
  backoff?: 'fixed' | 'exponential';
  /** Cap of an exponential delay. @defaultValue 100 × delay */
  maxDelay?: Duration;
}

/** Options of a registered action. */
export interface ActionOptions {
  /** Compensation used when a step running this action sets none. */
  compensation?: string | ActionClass | ActionFunction;
  /** Retry defaults used when a step running this action sets none. */
  retry?: ActionRetryOptions;
}

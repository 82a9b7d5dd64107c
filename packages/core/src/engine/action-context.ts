/**
 * The {@link ActionContext} of one attempt. A class, so that the lazily made `signal` and `logger`
 * are prototype getters (an object literal with a getter is slow to build on the hot path).
 */
import type { ActionContext } from '../actions/action.types.js';
import type { JsonObject } from '../definition/definition.types.js';
import type { Logger } from '../logger.js';
import { childLogger } from '../logger.js';
import type { AttemptControl } from './attempt-control.js';

/** @internal */
export class AttemptContext implements ActionContext {
  private childLog?: Logger;

  constructor(
    readonly workflowId: string,
    readonly definitionName: string,
    readonly definitionVersion: string,
    readonly stepId: string,
    readonly data: Readonly<JsonObject>,
    readonly config: Readonly<JsonObject>,
    readonly attempt: number,
    readonly idempotencyKey: string,
    readonly compensating: boolean,
    private readonly control: AttemptControl,
    private readonly baseLogger: Logger,
    readonly correlationId: string,
  ) {}

  get signal(): AbortSignal {
    return this.control.signal;
  }

  /** A child logger bound to the workflow, step and attempt, made on first use. */
  get logger(): Logger {
    this.childLog ??= childLogger(this.baseLogger, {
      workflowId: this.workflowId,
      stepId: this.stepId,
      attempt: this.attempt,
      correlationId: this.correlationId,
      ...(this.compensating ? { compensation: true } : {}),
    });
    return this.childLog;
  }
}

/**
 * One call of an action: bounded by its timeout, stopped by its abort control, and whatever it
 * returns or throws turned into an {@link ActionResult}.
 */
import { ActionResult } from '../actions/action-result.js';
import type { ActionContext, ActionHandler } from '../actions/action.types.js';
import type { ActionRegistry } from '../actions/action-registry.js';
import type { JsonObject } from '../definition/definition.types.js';
import { ErrorCode } from '../errors.js';
import type { AttemptControl } from './attempt-control.js';
import type { Clock } from './clock.js';

/** @internal Run an action; thrown errors become retryable failures, a timeout a `WF_TIMEOUT` failure. */
export function invokeAction(
  actions: ActionRegistry,
  clock: Clock,
  actionName: string,
  ctx: ActionContext,
  control: AttemptControl,
  timeoutMs: number | undefined,
): Promise<ActionResult> {
  let handler: ActionHandler;
  try {
    handler = actions.resolve(actionName).handler;
  } catch (error) {
    return Promise.resolve(ActionResult.failure((error as Error).message, { retryable: false, code: ErrorCode.ActionNotFound }));
  }
  return new Promise<ActionResult>((resolve) => {
    let timer: unknown;
    let settled = false;
    const finish = (result: ActionResult) => {
      if (settled) return;
      settled = true;
      if (timer !== undefined) clock.clearTimeout(timer);
      resolve(result);
    };
    const fail = (error: unknown) => {
      const err = error instanceof Error ? error : new Error(String(error));
      finish(ActionResult.failure(err.message, { code: err.name }));
    };
    // An aborted attempt ends now, whatever the action does with its signal.
    control.onAbort((cause) => finish(ActionResult.failure(control.reason!.message, { code: cause === 'timeout' ? ErrorCode.Timeout : ErrorCode.Aborted })));
    if (timeoutMs !== undefined) {
      timer = clock.setTimeout(() => control.abort('timeout', `Step "${ctx.stepId}" timed out after ${timeoutMs} ms (attempt ${ctx.attempt})`), timeoutMs);
    }
    let out: unknown;
    try {
      out = handler.execute(ctx);
    } catch (error) {
      fail(error);
      return;
    }
    if (out && typeof (out as PromiseLike<unknown>).then === 'function') {
      (out as PromiseLike<unknown>).then((v) => finish(normalizeReturn(v)), fail);
    } else {
      finish(normalizeReturn(out));
    }
  });
}

function normalizeReturn(value: unknown): ActionResult {
  if (ActionResult.is(value)) return value;
  if (value === undefined || value === null) return ActionResult.success();
  if (typeof value === 'object' && !Array.isArray(value)) return ActionResult.success(value as JsonObject);
  return ActionResult.failure(`Action returned ${Array.isArray(value) ? 'an array' : typeof value}; return ActionResult.success(data), a plain object, or nothing.`, { retryable: false, code: ErrorCode.ActionInvalid });
}

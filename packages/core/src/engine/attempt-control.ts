/**
 * Abort control of one attempt. The AbortController behind `signal` is made only when an action
 * reads it (most never do, and making one per attempt is a measurable cost on the hot path).
 */
import { ErrorCode, WorkflowError } from '../errors.js';

/** Why an attempt was stopped: its step's timeout, the instance moving on without it, or shutdown. */
export type AbortCause = 'timeout' | 'cancel' | 'shutdown';

/** @internal Abort control of one attempt: why it was stopped (its own state) and the signal's reason. */
export class AttemptControl {
  private controller?: AbortController;
  private listener?: (cause: AbortCause) => void;
  /** Set once aborted. */
  cause: AbortCause | undefined = undefined;
  /** The signal's reason once aborted: a `WF_TIMEOUT` or `WF_ABORTED` {@link WorkflowError}. */
  reason: WorkflowError | undefined = undefined;
  /** Cancelled, yet its outcome is to be recorded (its step was skipped: the refusal is kept in the history). */
  recordLate = false;

  /** The attempt's AbortSignal, made on first read. */
  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.reason !== undefined) this.controller.abort(this.reason);
    }
    return this.controller.signal;
  }

  get aborted(): boolean {
    return this.cause !== undefined;
  }

  /** Stop the attempt; `message` says why (the signal's reason is an Error, as `fetch` expects). */
  abort(cause: AbortCause, message: string): void {
    if (this.cause !== undefined) return;
    this.cause = cause;
    // Like AbortSignal.timeout(), whose reason is a TimeoutError: the caller can tell which it was by the code.
    this.reason = new WorkflowError(cause === 'timeout' ? ErrorCode.Timeout : ErrorCode.Aborted, message);
    this.controller?.abort(this.reason);
    this.listener?.(cause);
  }

  /** The engine's own (single) abort hook. */
  onAbort(listener: (cause: AbortCause) => void): void {
    this.listener = listener;
  }
}

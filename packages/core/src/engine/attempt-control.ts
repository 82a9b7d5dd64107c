/**
 * Abort control of one attempt. The AbortController behind `signal` is made only when an action
 * reads it (most never do, and making one per attempt is a measurable cost on the hot path).
 */
export class AttemptControl {
  private controller?: AbortController;
  private listener?: (reason: unknown) => void;
  /** Set once aborted. */
  reason: unknown = undefined;

  /** The attempt's AbortSignal, made on first read. */
  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.reason !== undefined) this.controller.abort(this.reason);
    }
    return this.controller.signal;
  }

  get aborted(): boolean {
    return this.reason !== undefined;
  }

  abort(reason: unknown): void {
    if (this.reason !== undefined) return;
    this.reason = reason;
    this.controller?.abort(reason);
    this.listener?.(reason);
  }

  /** The engine's own (single) abort hook. */
  onAbort(listener: (reason: unknown) => void): void {
    this.listener = listener;
  }
}

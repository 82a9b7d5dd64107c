/**
 * Hooks for tracing and profiling, so that observability packages (OpenTelemetry, custom APMs)
 * wrap the engine's work without the core depending on them.
 */

/** One attempt of a step or of its compensation, as instrumentation sees it. */
export interface AttemptInfo {
  instanceId: string;
  definitionName: string;
  definitionVersion: string;
  stepId: string;
  attempt: number;
  kind: 'step' | 'compensation';
  action: string;
  correlationId: string;
  /** The trace context stored with the instance at its start. */
  traceContext?: Record<string, string>;
}

/** What is known of an instance about to be created. */
export interface StartInfo {
  instanceId: string;
  definitionName: string;
  definitionVersion: string;
  correlationId: string;
  /** Set on a child workflow: the parent's trace context. */
  parentTraceContext?: Record<string, string>;
}

/** Engine option `instrumentation`. Every hook is optional; a hook that throws is logged and skipped. */
export interface EngineInstrumentation {
  /**
   * Called in `start()` before the instance is stored; the returned carrier is stored as the
   * instance's `traceContext` (e.g. the active span's `traceparent`).
   */
  onStart?(info: StartInfo): Record<string, string> | undefined;
  /** Wraps one attempt: call `run` inside (an active span, a timer) and return what it returns. */
  aroundAttempt?<T>(info: AttemptInfo, run: () => Promise<T>): Promise<T>;
}

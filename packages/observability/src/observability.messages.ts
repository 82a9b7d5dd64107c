/** User-facing messages of the observability package, gathered so they stay consistent. */

/** `createWorkflowMetrics()` without an engine. */
export const METRICS_ENGINE_REQUIRED =
  'createWorkflowMetrics: pass the WorkflowEngine to observe as `engine` (its events feed the counters and its storage the active gauges).';

/** A metric name already registered in the given registry. */
export function metricTakenMessage(name: string): string {
  return (
    `createWorkflowMetrics: the registry already has a metric named "${name}". Each engine's metrics need their own registry ` +
    '(omit `registry`), a distinct `prefix`, or `close()` the previous metrics first.'
  );
}

/** `prefix` that Prometheus would refuse. */
export function badPrefixMessage(prefix: string): string {
  return `createWorkflowMetrics: prefix "${prefix}" is not a valid metric name prefix; use letters, digits and underscores, starting with a letter (e.g. "orders_").`;
}

/** `maxActiveScan` not a positive integer. */
export function badScanLimitMessage(value: unknown): string {
  return `createWorkflowMetrics: maxActiveScan must be a positive integer (instances read per scrape), got ${String(value)}.`;
}

/** `startMetricsServer()` without a metrics source. */
export const SERVER_METRICS_REQUIRED =
  'startMetricsServer: pass `metrics` (what createWorkflowMetrics() returns, or any { contentType, metrics(): Promise<string> }).';

/** `startMetricsServer()` with a bad port. */
export function badPortMessage(port: unknown): string {
  return `startMetricsServer: port must be an integer from 0 to 65535 (0 picks a free one), got ${String(port)}.`;
}

/** `otelInstrumentation()` with something that is not a tracer. */
export const TRACER_INVALID =
  'otelInstrumentation: `tracer` must be an OpenTelemetry Tracer (with startSpan and startActiveSpan), and `tracerProvider` a TracerProvider (with getTracer).';

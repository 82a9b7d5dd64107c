/**
 * @workflow-mastery/observability: Prometheus metrics (prom-client) under the seed's names,
 * structured JSON logs (pino) that carry the workflow, step, attempt and correlation ids, and
 * OpenTelemetry spans (API only) per instance and per step attempt, joined across processes.
 *
 * ```ts
 * const engine = new WorkflowEngine({ storage, logger: createLogger({ name: 'orders' }), instrumentation: otelInstrumentation() });
 * const metrics = createWorkflowMetrics({ engine });
 * app.use('/workflow', createWorkflowRouter({ engine, authorize, metrics, publicOperations: ['health.read', 'ready.read', 'metrics.read'] }));
 * // a worker without a web framework:
 * await startMetricsServer({ port: 9464, metrics, readiness: [storageCheck(engine)] });
 * ```
 * @packageDocumentation
 */
export { METRIC_NAMES, WORKFLOW_METRIC, ACTIVE_STATES, type WorkflowMetricName } from './metric-names.js';
export {
  createWorkflowMetrics,
  STEP_DURATION_BUCKETS,
  WORKFLOW_DURATION_BUCKETS,
  type WorkflowMetrics,
  type WorkflowMetricsOptions,
} from './workflow-metrics.js';
export { createLogger, type CreateLoggerOptions } from './create-logger.js';
export { otelInstrumentation, TRACER_NAME, type OtelInstrumentationOptions } from './otel-instrumentation.js';
export { SPAN_ATTRIBUTES } from './span-attributes.js';
export { startMetricsServer, type MetricsServer, type MetricsServerOptions } from './metrics-server.js';

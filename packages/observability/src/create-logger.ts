/**
 * {@link createLogger}: a pino logger for the engine (`new WorkflowEngine({ logger })`). Every line
 * an action writes through `ctx.logger` carries `workflowId`, `stepId`, `attempt` and
 * `correlationId` (the engine binds them with `child()`), and, inside an OpenTelemetry span, the
 * span's `trace_id` and `span_id`.
 */
import { trace } from '@opentelemetry/api';
import { pino } from 'pino';

/** Options of {@link createLogger}. */
export interface CreateLoggerOptions {
  /** Lowest level written. @defaultValue `process.env.LOG_LEVEL`, else `info` */
  level?: pino.LevelWithSilentOrString;
  /** Written as `name` on every line (the service: `orders-api`, `orders-worker`). */
  name?: string;
  /** Fields written on every line. @defaultValue pino's `pid` and `hostname` */
  base?: Record<string, unknown> | null;
  /** Where lines go. @defaultValue stdout, one JSON object per line */
  destination?: pino.DestinationStream;
  /**
   * Add `trace_id` and `span_id` of the active OpenTelemetry span to every line written inside one
   * (the step spans of `otelInstrumentation`), so logs and traces join. @defaultValue true
   */
  traceIds?: boolean;
  /** Any other pino option (redact, serializers, formatters...); the ones above win. */
  pino?: pino.LoggerOptions;
}

/** The trace and span ids of the active span, when there is a valid one. */
function traceFields(): Record<string, string> {
  const spanContext = trace.getActiveSpan()?.spanContext();
  if (!spanContext || !trace.isSpanContextValid(spanContext)) return {};
  const { traceId, spanId, traceFlags } = spanContext;
  return { trace_id: traceId, span_id: spanId, trace_flags: `0${traceFlags.toString(16)}`.slice(-2) };
}

/**
 * A pino logger writing JSON lines, usable as the engine's `logger` (pino's `Logger` satisfies
 * core's `Logger`): `new WorkflowEngine({ logger: createLogger({ name: 'orders' }) })`.
 * Errors logged under `err` (as the engine does) are serialized with their message and stack.
 */
export function createLogger(options: CreateLoggerOptions = {}): pino.Logger {
  const { destination, traceIds = true } = options;
  const base = options.pino ?? {};
  const userMixin = base.mixin;
  const settings: pino.LoggerOptions = {
    ...base,
    level: options.level ?? base.level ?? process.env.LOG_LEVEL ?? 'info',
    ...(options.name !== undefined ? { name: options.name } : {}),
    ...(options.base !== undefined ? { base: options.base } : {}),
    serializers: { err: pino.stdSerializers.err, ...base.serializers },
    ...(traceIds || userMixin
      ? {
          mixin: (mergeObject: object, level: number, logger: pino.Logger) => ({
            ...(traceIds ? traceFields() : {}),
            ...(userMixin ? userMixin(mergeObject, level, logger) : {}),
          }),
        }
      : {}),
  };
  return destination ? pino(settings, destination) : pino(settings);
}

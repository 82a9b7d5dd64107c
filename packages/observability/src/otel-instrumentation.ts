/**
 * {@link otelInstrumentation}: OpenTelemetry spans for the engine, on the API only
 * (`@opentelemetry/api`): the application brings the SDK, exporter and propagator.
 */
import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
  type Tracer,
  type TracerProvider,
} from '@opentelemetry/api';
import { ErrorCode, WorkflowError, type AttemptInfo, type EngineInstrumentation, type StartInfo } from '@workflow-mastery/core';
import { TRACER_INVALID } from './observability.messages.js';
import { SPAN_ATTRIBUTES } from './span-attributes.js';

/** Name of the tracer when none is given. */
export const TRACER_NAME = '@workflow-mastery/observability';

/** Options of {@link otelInstrumentation}. */
export interface OtelInstrumentationOptions {
  /** The tracer spans are made with. @defaultValue `tracerProvider.getTracer('@workflow-mastery/observability')` */
  tracer?: Tracer;
  /** Where the tracer comes from when none is given. @defaultValue the global provider (`trace.getTracerProvider()`) */
  tracerProvider?: TracerProvider;
}

/**
 * Engine `instrumentation` that traces every instance and every step attempt:
 *
 * - `workflow <name>`: made in `start()`, as a child of the active span (the HTTP request that
 *   started it) or, for a child workflow, of its parent's `workflow` span. Its context is injected
 *   with the global propagator (W3C `traceparent` when the SDK registers it) into the carrier the
 *   engine stores on the instance (`traceContext`), so it travels with the instance to any process.
 *   **It ends at once**: it stands for the start of the instance and roots the trace. An instance
 *   may run for days and end in another process (a BullMQ worker) or never in this one, so a span
 *   kept open until its end would be lost on a crash or never exported; its steps are its children
 *   and show the instance's whole life on the trace's timeline.
 * - `step <stepId>` (`compensate <stepId>` for a compensation): one per attempt, wherever it runs, a
 *   child of the instance's `workflow` span (extracted from the stored carrier), active while the
 *   action runs (so `ctx.logger` lines and the action's own spans join it). A failed attempt (an
 *   error result, a throw, a timeout) gets status ERROR and an exception event.
 *
 * Attributes: see {@link SPAN_ATTRIBUTES}. Without a registered SDK the API is a no-op and this
 * costs next to nothing.
 *
 * ```ts
 * const engine = new WorkflowEngine({ storage, instrumentation: otelInstrumentation() });
 * ```
 * @throws WorkflowError `WF_INPUT_INVALID` when `tracer` or `tracerProvider` is not one.
 */
export function otelInstrumentation(options: OtelInstrumentationOptions = {}): EngineInstrumentation {
  if (options.tracer !== undefined && (typeof options.tracer.startSpan !== 'function' || typeof options.tracer.startActiveSpan !== 'function')) throw new WorkflowError(ErrorCode.InputInvalid, TRACER_INVALID);
  if (options.tracerProvider !== undefined && typeof options.tracerProvider.getTracer !== 'function') throw new WorkflowError(ErrorCode.InputInvalid, TRACER_INVALID);
  // Resolved on first use, so a provider registered after the engine is built is still used.
  let tracer = options.tracer;
  const getTracer = () => (tracer ??= (options.tracerProvider ?? trace.getTracerProvider()).getTracer(TRACER_NAME));

  return {
    onStart(info: StartInfo): Record<string, string> | undefined {
      const parent = info.parentTraceContext ? propagation.extract(ROOT_CONTEXT, info.parentTraceContext) : context.active();
      const span = getTracer().startSpan(
        `workflow ${info.definitionName}`,
        { kind: SpanKind.INTERNAL, attributes: startAttributes(info) },
        parent,
      );
      span.end();
      const carrier: Record<string, string> = {};
      propagation.inject(trace.setSpan(parent, span), carrier);
      return Object.keys(carrier).length > 0 ? carrier : undefined;
    },

    aroundAttempt<T>(info: AttemptInfo, run: () => Promise<T>): Promise<T> {
      const parent: Context = info.traceContext ? propagation.extract(ROOT_CONTEXT, info.traceContext) : context.active();
      const name = `${info.kind === 'compensation' ? 'compensate' : 'step'} ${info.stepId}`;
      return getTracer().startActiveSpan(name, { kind: SpanKind.INTERNAL, attributes: attemptAttributes(info) }, parent, async (span) => {
        try {
          const out = await run();
          recordOutcome(span, out);
          return out;
        } catch (error) {
          const err = error instanceof Error ? error : new Error(String(error));
          span.recordException(err);
          span.setStatus({ code: SpanStatusCode.ERROR, message: err.message });
          throw error;
        } finally {
          span.end();
        }
      });
    },
  };
}

function startAttributes(info: Pick<StartInfo, 'instanceId' | 'definitionName' | 'definitionVersion' | 'correlationId'>): Attributes {
  return {
    [SPAN_ATTRIBUTES.workflowId]: info.instanceId,
    [SPAN_ATTRIBUTES.workflowName]: info.definitionName,
    [SPAN_ATTRIBUTES.workflowVersion]: info.definitionVersion,
    [SPAN_ATTRIBUTES.correlationId]: info.correlationId,
  };
}

function attemptAttributes(info: AttemptInfo): Attributes {
  return {
    ...startAttributes(info),
    [SPAN_ATTRIBUTES.stepId]: info.stepId,
    [SPAN_ATTRIBUTES.stepAttempt]: info.attempt,
    [SPAN_ATTRIBUTES.stepKind]: info.kind,
    [SPAN_ATTRIBUTES.stepAction]: info.action,
  };
}

/** The engine hands back an `ActionResult`: mark the span by what it says (a failure is an ERROR). */
function recordOutcome(span: Span, out: unknown): void {
  const result = out as { kind?: unknown; error?: { message?: unknown; code?: unknown; retryable?: unknown } } | null;
  if (typeof result?.kind === 'string') span.setAttribute(SPAN_ATTRIBUTES.stepOutcome, result.kind);
  if (result?.kind !== 'failure') return;
  const message = String(result.error?.message ?? 'step failed');
  const code = typeof result.error?.code === 'string' ? result.error.code : 'ActionFailure';
  span.recordException({ name: code, message });
  span.setAttribute(SPAN_ATTRIBUTES.stepRetryable, result.error?.retryable !== false);
  span.setStatus({ code: SpanStatusCode.ERROR, message });
}

/**
 * Spans through the real OpenTelemetry SDK (sdk-trace-base with an in-memory exporter, the
 * AsyncLocalStorage context manager and the W3C propagator, registered globally as an app does).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { context, propagation, ROOT_CONTEXT, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { ActionResult, MemoryStorage, WorkflowEngine, type ActionContext, type WorkflowRunner, type WorkItem } from '@workflow-mastery/core';
import { otelInstrumentation, SPAN_ATTRIBUTES } from '../src/index.js';
import { definitions, fixtureActions, orders } from './fixtures.js';
import { captureLogger } from './log-capture.js';

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });

beforeAll(() => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
});
afterAll(async () => {
  await provider.shutdown();
  trace.disable();
  context.disable();
  propagation.disable();
});

const engines: WorkflowEngine[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.close()));
  exporter.reset();
});

function makeEngine(options: ConstructorParameters<typeof WorkflowEngine>[0] = {}): WorkflowEngine {
  const engine = new WorkflowEngine({ logger: captureLogger().logger, actions: fixtureActions(), definitions, instrumentation: otelInstrumentation(), ...options });
  engines.push(engine);
  return engine;
}

const spans = (): ReadableSpan[] => exporter.getFinishedSpans();
const named = (name: string): ReadableSpan[] => spans().filter((s) => s.name === name);
const parentOf = (span: ReadableSpan): string | undefined => span.parentSpanContext?.spanId;

describe('otelInstrumentation', () => {
  it('makes a workflow span under the caller span and a step span per attempt in its trace', async () => {
    const engine = makeEngine();
    const request = trace.getTracer('test').startSpan('POST /orders');
    const inst = await context.with(trace.setSpan(context.active(), request), () => engine.start('orders', {}, { correlationId: 'req-42' }));
    request.end();
    expect((await engine.waitFor(inst.id)).state).toBe('COMPLETED');

    // The carrier stored with the instance is the W3C traceparent of the workflow span.
    const [root] = named('workflow orders');
    expect(root).toBeDefined();
    expect(inst.traceContext).toEqual({ traceparent: `00-${root!.spanContext().traceId}-${root!.spanContext().spanId}-01` });
    expect((await engine.getInstance(inst.id)).traceContext).toEqual(inst.traceContext);
    expect(root!.spanContext().traceId).toBe(request.spanContext().traceId);
    expect(parentOf(root!)).toBe(request.spanContext().spanId);
    expect(root!.attributes).toEqual({ 'workflow.id': inst.id, 'workflow.name': 'orders', 'workflow.version': '1', 'workflow.correlation_id': 'req-42' });

    const steps = spans().filter((s) => s.name.startsWith('step '));
    expect(steps.map((s) => `${s.name}#${s.attributes[SPAN_ATTRIBUTES.stepAttempt]}`)).toEqual(['step validate#1', 'step charge#1', 'step charge#2', 'step ship#1']);
    for (const step of steps) {
      expect(step.spanContext().traceId).toBe(root!.spanContext().traceId);
      expect(parentOf(step)).toBe(root!.spanContext().spanId);
    }
    expect(steps[1]!.attributes).toEqual({
      'workflow.id': inst.id,
      'workflow.name': 'orders',
      'workflow.version': '1',
      'workflow.correlation_id': 'req-42',
      'step.id': 'charge',
      'step.attempt': 1,
      'step.kind': 'step',
      'step.action': 'flaky_charge',
      'step.outcome': 'failure',
      'step.retryable': true,
    });
    // The thrown error of attempt 1: status ERROR and an exception event; attempt 2 is fine.
    expect(steps[1]!.status).toEqual({ code: SpanStatusCode.ERROR, message: 'card gateway timeout' });
    expect(steps[1]!.events.map((e) => [e.name, e.attributes?.['exception.message']])).toEqual([['exception', 'card gateway timeout']]);
    expect(steps[2]!.status.code).toBe(SpanStatusCode.UNSET);
    expect(steps[2]!.attributes['step.outcome']).toBe('success');
  });

  it('traces a saga: the failed step and the compensation that undoes reserve', async () => {
    const engine = makeEngine();
    const inst = await engine.start('saga');
    expect((await engine.waitFor(inst.id, { until: 'terminal' })).state).toBe('FAILED');
    const [root] = named('workflow saga');
    const [pay] = named('step pay');
    const [undo] = named('compensate reserve');
    expect(pay!.status).toEqual({ code: SpanStatusCode.ERROR, message: 'card declined' });
    expect(pay!.attributes['step.retryable']).toBe(false);
    expect(undo!.attributes).toMatchObject({ 'step.kind': 'compensation', 'step.action': 'release', 'step.id': 'reserve' });
    for (const span of [pay!, undo!]) expect([span.spanContext().traceId, parentOf(span)]).toEqual([root!.spanContext().traceId, root!.spanContext().spanId]);
  });

  it("puts a child workflow's span under its parent's, in the same trace", async () => {
    const engine = makeEngine({
      actions: { ...fixtureActions(), spawn: () => ActionResult.startChild({ workflow: 'orders' }) },
      definitions: [...definitions, { name: 'parent', steps: { run_child: { action: 'spawn' } } }],
    });
    const inst = await engine.start('parent');
    expect((await engine.waitFor(inst.id, { until: 'terminal' })).state).toBe('COMPLETED');
    const [parent] = named('workflow parent');
    const [child] = named('workflow orders');
    expect(child!.spanContext().traceId).toBe(parent!.spanContext().traceId);
    expect(parentOf(child!)).toBe(parent!.spanContext().spanId);
    expect(named('step ship')[0]!.spanContext().traceId).toBe(parent!.spanContext().traceId);
  });

  it('joins the trace when another engine (a worker) runs the steps from the stored instance', async () => {
    // The BullMQ shape: the API process stores the instance and enqueues work; a worker process
    // reads the instance and runs each attempt. Here the queue is an array both engines share.
    const queue: WorkItem[] = [];
    const queueRunner = (): WorkflowRunner => ({
      delivery: 'external',
      start: () => undefined,
      dispatch: (item) => void queue.push(item),
      armTimer: () => undefined,
      disarmTimer: () => undefined,
      idle: async () => undefined,
      close: async () => undefined,
    });
    const storage = new MemoryStorage();
    const api = makeEngine({ storage, runner: queueRunner(), actions: {} });
    const worker = makeEngine({ storage, runner: queueRunner() });
    const request = trace.getTracer('test').startSpan('POST /orders');
    const inst = await context.with(trace.setSpan(context.active(), request), () => api.start(orders.name, {}));
    request.end();
    // The worker runs outside any span of the API process: only the stored carrier links them.
    await context.with(ROOT_CONTEXT, async () => {
      while (queue.length > 0) await worker.executeWork(queue.shift()!);
    });
    expect((await worker.getInstance(inst.id)).state).toBe('COMPLETED');
    const [root] = named('workflow orders');
    const steps = spans().filter((s) => s.name.startsWith('step '));
    expect(steps).toHaveLength(4);
    for (const step of steps) expect([step.spanContext().traceId, parentOf(step)]).toEqual([request.spanContext().traceId, root!.spanContext().spanId]);
  });

  it('makes the step span active while the action runs: ctx.logger lines carry its trace and span ids', async () => {
    const log = captureLogger();
    const engine = makeEngine({ logger: log.logger, actions: { ...fixtureActions(), ok: (ctx: ActionContext) => (ctx.logger.info({}, `in ${ctx.stepId}`), ActionResult.success()) } });
    const inst = await engine.start('orders');
    await engine.waitFor(inst.id);
    const [ship] = named('step ship');
    expect(log.lines().find((l) => l.msg === 'in ship')).toMatchObject({ workflowId: inst.id, stepId: 'ship', trace_id: ship!.spanContext().traceId, span_id: ship!.spanContext().spanId, trace_flags: '01' });
  });

  it('refuses a tracer that is not one', () => {
    expect(() => otelInstrumentation({ tracer: {} as never })).toThrow('`tracer` must be an OpenTelemetry Tracer');
    expect(() => otelInstrumentation({ tracerProvider: {} as never })).toThrow('`tracerProvider` a TracerProvider');
  });
});

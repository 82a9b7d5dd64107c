import { afterEach, describe, expect, it } from '@jest/globals';
import { InProcessRunner, MemoryStorage, WorkflowEngine, type InstancePage, type InstanceQuery, type WorkflowEngineOptions } from '@workflow-mastery/core';
import { Registry } from 'prom-client';
import { createWorkflowMetrics, METRIC_NAMES } from '../src/index.js';
import { definitions, fixtureActions } from './fixtures.js';
import { captureLogger } from './log-capture.js';
import { Tracked } from './tracked.js';
import { metricType, parseSamples, sampleValue } from './prometheus-text.js';

const tracked = new Tracked();
afterEach(() => tracked.close());

function makeEngine(options: WorkflowEngineOptions = {}) {
  const log = captureLogger();
  const engine = new WorkflowEngine({ logger: log.logger, actions: fixtureActions(), definitions, ...options });
  tracked.engine(engine);
  return { engine, log };
}

/** Two orders (one retry each), a compensated saga, two approvals waiting, one of them cancelled. */
async function runScenario(engine: WorkflowEngine): Promise<void> {
  for (let i = 0; i < 2; i++) expect((await engine.waitFor((await engine.start('orders', { n: i })).id)).state).toBe('COMPLETED');
  const failed = await engine.waitFor((await engine.start('saga')).id, { until: 'terminal' });
  expect(failed).toMatchObject({ state: 'FAILED', compensation: { status: 'COMPLETED' } });
  const waiting = [await engine.start('approval'), await engine.start('approval')];
  for (const inst of waiting) expect((await engine.waitFor(inst.id)).state).toBe('WAITING');
  await engine.cancel(waiting[1]!.id, 'no longer needed');
  await engine.idle();
}

describe('createWorkflowMetrics', () => {
  it('counts starts, ends by status, step attempts, errors, retries and compensations under the seed names', async () => {
    const { engine } = makeEngine();
    const metrics = tracked.metrics(createWorkflowMetrics({ engine }));
    await runScenario(engine);
    const text = await metrics.metrics();

    expect(metricType(text, 'workflow_started_total')).toBe('counter');
    expect(sampleValue(text, 'workflow_started_total', { workflow: 'orders' })).toBe(2);
    expect(sampleValue(text, 'workflow_started_total', { workflow: 'saga' })).toBe(1);
    expect(sampleValue(text, 'workflow_started_total', { workflow: 'approval' })).toBe(2);

    expect(sampleValue(text, 'workflow_completed_total', { workflow: 'orders', status: 'completed' })).toBe(2);
    expect(sampleValue(text, 'workflow_completed_total', { workflow: 'saga', status: 'failed' })).toBe(1);
    expect(sampleValue(text, 'workflow_completed_total', { workflow: 'approval', status: 'cancelled' })).toBe(1);
    expect(sampleValue(text, 'workflow_completed_total', { workflow: 'orders', status: 'failed' })).toBeUndefined();

    expect(metricType(text, 'workflow_step_duration_seconds')).toBe('histogram');
    const stepCount = (workflow: string, step: string) => sampleValue(text, 'workflow_step_duration_seconds_count', { workflow, step });
    expect([stepCount('orders', 'validate'), stepCount('orders', 'charge'), stepCount('orders', 'ship')]).toEqual([2, 4, 2]);
    expect([stepCount('saga', 'reserve'), stepCount('saga', 'pay'), stepCount('approval', 'prepare'), stepCount('approval', 'decide')]).toEqual([1, 1, 2, 2]);
    // Every attempt falls in the +Inf bucket; durations are real (non-negative, small here).
    expect(sampleValue(text, 'workflow_step_duration_seconds_bucket', { workflow: 'orders', step: 'charge', le: '+Inf' })).toBe(4);
    expect(sampleValue(text, 'workflow_step_duration_seconds_sum', { workflow: 'orders', step: 'charge' })).toBeGreaterThanOrEqual(0);
    expect(sampleValue(text, 'workflow_step_duration_seconds_sum', { workflow: 'orders', step: 'charge' })).toBeLessThan(5);

    expect(sampleValue(text, 'workflow_errors_total', { workflow: 'orders' })).toBe(2);
    expect(sampleValue(text, 'workflow_errors_total', { workflow: 'saga' })).toBe(1);
    expect(sampleValue(text, 'workflow_step_retries_total', { workflow: 'orders', step: 'charge' })).toBe(2);
    expect(sampleValue(text, 'workflow_compensations_total', { workflow: 'saga', step: 'reserve', status: 'completed' })).toBe(1);
    expect(sampleValue(text, 'workflow_duration_seconds_count', { workflow: 'orders' })).toBe(2);

    expect(metricType(text, 'workflow_instances_active')).toBe('gauge');
    expect(sampleValue(text, 'workflow_instances_active', { workflow: 'approval', state: 'WAITING' })).toBe(1);
    // Every registered workflow and active state has a series, 0 when none.
    expect(sampleValue(text, 'workflow_instances_active', { workflow: 'orders', state: 'RUNNING' })).toBe(0);
    expect(parseSamples(text).filter((s) => s.name === 'workflow_instances_active')).toHaveLength(3 * 5);
    expect(sampleValue(text, 'workflow_oldest_active_seconds', { workflow: 'approval' })).toBeGreaterThanOrEqual(0);
    expect(sampleValue(text, 'workflow_oldest_active_seconds', { workflow: 'orders' })).toBe(0);
    expect(sampleValue(text, 'workflow_queue_depth')).toBe(0);

    // METRIC_NAMES lists exactly what is registered.
    expect(metrics.registry.getMetricsAsArray().map((m) => m.name).sort()).toEqual([...METRIC_NAMES].sort());
    expect(metrics.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
  });

  it('keeps the active gauge current: it falls to 0 once the instance ends', async () => {
    const { engine } = makeEngine();
    const metrics = tracked.metrics(createWorkflowMetrics({ engine, scanCacheMs: 0 }));
    const inst = await engine.start('approval');
    await engine.waitFor(inst.id);
    expect(sampleValue(await metrics.metrics(), 'workflow_instances_active', { workflow: 'approval', state: 'WAITING' })).toBe(1);
    await engine.signal(inst.id, 'go', {});
    await engine.waitFor(inst.id, { until: 'terminal' });
    const text = await metrics.metrics();
    expect(sampleValue(text, 'workflow_instances_active', { workflow: 'approval', state: 'WAITING' })).toBe(0);
    expect(sampleValue(text, 'workflow_completed_total', { workflow: 'approval', status: 'completed' })).toBe(1);
  });

  it('reads the queue depth from the callback, or from the runner', async () => {
    const { engine } = makeEngine();
    let depth = 7;
    const metrics = tracked.metrics(createWorkflowMetrics({ engine, queueDepth: async () => depth }));
    expect(sampleValue(await metrics.metrics(), 'workflow_queue_depth')).toBe(7);
    depth = 1200;
    expect(sampleValue(await metrics.metrics(), 'workflow_queue_depth')).toBe(1200);

    // A saturated in-process runner: one slot, so attempts queue behind a slow one.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const busy = makeEngine({ runner: new InProcessRunner({ concurrency: 1 }), actions: { ...fixtureActions(), ok: async () => gate } }).engine;
    const fromRunner = tracked.metrics(createWorkflowMetrics({ engine: busy }));
    const started = await Promise.all([busy.start('orders'), busy.start('orders'), busy.start('orders')]);
    expect(sampleValue(await fromRunner.metrics(), 'workflow_queue_depth')).toBe(2);
    release();
    await Promise.all(started.map((i) => busy.waitFor(i.id)));
    expect(sampleValue(await fromRunner.metrics(), 'workflow_queue_depth')).toBe(0);
  });

  it('still serves the counters when storage cannot be read, leaving the active gauges out and logging why', async () => {
    class FlakyStorage extends MemoryStorage {
      down = false;
      override listInstances(query?: InstanceQuery): Promise<InstancePage> {
        return this.down ? Promise.reject(new Error('ECONNREFUSED 10.0.0.5:5432')) : super.listInstances(query);
      }
    }
    const storage = new FlakyStorage();
    const { engine, log } = makeEngine({ storage });
    const metrics = tracked.metrics(createWorkflowMetrics({ engine, scanCacheMs: 0 }));
    await engine.waitFor((await engine.start('orders')).id);
    storage.down = true;
    const text = await metrics.metrics();
    expect(sampleValue(text, 'workflow_started_total', { workflow: 'orders' })).toBe(1);
    expect(parseSamples(text).some((s) => s.name === 'workflow_instances_active')).toBe(false);
    expect(log.lines().find((l) => l.level === 40 && /workflow_instances_active/.test(l.msg))).toMatchObject({ err: { message: 'ECONNREFUSED 10.0.0.5:5432' } });
    storage.down = false;
    expect(sampleValue(await metrics.metrics(), 'workflow_instances_active', { workflow: 'orders', state: 'RUNNING' })).toBe(0);
  });

  it('caps the scan at maxActiveScan, warning once that the counts are lower bounds', async () => {
    const { engine, log } = makeEngine();
    const metrics = tracked.metrics(createWorkflowMetrics({ engine, maxActiveScan: 2, scanCacheMs: 0 }));
    for (let i = 0; i < 3; i++) await engine.waitFor((await engine.start('approval')).id);
    expect(sampleValue(await metrics.metrics(), 'workflow_instances_active', { workflow: 'approval', state: 'WAITING' })).toBe(2);
    await metrics.metrics();
    const warnings = log.lines().filter((l) => l.level === 40 && /maxActiveScan/.test(l.msg));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.msg).toContain('counts only the 2 oldest unfinished instances');
  });

  it('shares a registry under a prefix, refuses a taken name, and unregisters on close', async () => {
    const registry = new Registry();
    const { engine } = makeEngine();
    const metrics = createWorkflowMetrics({ engine, registry, prefix: 'shop_' });
    expect(() => createWorkflowMetrics({ engine, registry, prefix: 'shop_' })).toThrow('the registry already has a metric named "shop_workflow_started_total"');
    await engine.waitFor((await engine.start('orders')).id);
    expect(sampleValue(await registry.metrics(), 'shop_workflow_started_total', { workflow: 'orders' })).toBe(1);
    metrics.close();
    expect(await registry.metrics()).not.toContain('workflow_');
    // Closed: no longer listening, and the names are free again.
    const again = tracked.metrics(createWorkflowMetrics({ engine, registry, prefix: 'shop_' }));
    await engine.waitFor((await engine.start('orders')).id);
    expect(sampleValue(await again.metrics(), 'shop_workflow_started_total', { workflow: 'orders' })).toBe(1);
  });

  it('refuses bad options with messages that say what to pass', () => {
    const { engine } = makeEngine();
    expect(() => createWorkflowMetrics({} as never)).toThrow('pass the WorkflowEngine to observe as `engine`');
    expect(() => createWorkflowMetrics({ engine, prefix: 'my-app' })).toThrow('prefix "my-app" is not a valid metric name prefix');
    expect(() => createWorkflowMetrics({ engine, maxActiveScan: 0 })).toThrow('maxActiveScan must be a positive integer');
  });

  it('can add prom-client process metrics to its registry', async () => {
    const { engine } = makeEngine();
    const metrics = tracked.metrics(createWorkflowMetrics({ engine, defaultMetrics: true }));
    expect(await metrics.metrics()).toContain('process_cpu_user_seconds_total');
  });
});

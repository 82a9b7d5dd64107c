/** The purge counters: what a real engine's purges deleted and archived, read from the exposition text. */
import { afterEach, describe, expect, it } from '@jest/globals';
import { ManualClock, MemoryStorage, WorkflowEngine, type ArchivedInstance, type PurgeListener, type WorkflowEngineOptions } from '@workflow-mastery/core';
import { createWorkflowMetrics } from '../src/index.js';
import { definitions, fixtureActions } from './fixtures.js';
import { captureLogger } from './log-capture.js';
import { Tracked } from './tracked.js';
import { metricType, sampleValue } from './prometheus-text.js';

const HOUR = 3_600_000;
const tracked = new Tracked();
afterEach(() => tracked.close());

/** An engine keeping finished instances one hour, on a manual clock, its purge loop off. */
function makeEngine(options: WorkflowEngineOptions = {}) {
  const clock = new ManualClock();
  const engine = new WorkflowEngine({ clock, storage: new MemoryStorage(), logger: captureLogger().logger, actions: fixtureActions(), definitions, retention: '1h', purge: false, ...options });
  tracked.engine(engine);
  const metrics = createWorkflowMetrics({ engine });
  tracked.metrics(metrics);
  return { engine, clock, metrics };
}

/** Runs `orders` (COMPLETED) `n` times and one `approval` that stays WAITING. */
async function finish(engine: WorkflowEngine, n: number): Promise<void> {
  for (let i = 0; i < n; i++) expect((await engine.waitFor((await engine.start('orders', { n: i })).id, { until: 'terminal' })).state).toBe('COMPLETED');
  const saga = await engine.waitFor((await engine.start('saga')).id, { until: 'terminal' });
  expect(saga.state).toBe('FAILED');
  await engine.waitFor((await engine.start('approval')).id);
}

describe('purge metrics', () => {
  it('counts purged instances by definition, and nothing for a dry run or an empty purge', async () => {
    const { engine, clock, metrics } = makeEngine();
    await finish(engine, 3);
    let text = await metrics.metrics();
    expect(metricType(text, 'workflow_instances_purged_total')).toBe('counter');
    expect(metricType(text, 'workflow_instances_archived_total')).toBe('counter');
    expect(sampleValue(text, 'workflow_instances_purged_total', { definition: 'orders' })).toBeUndefined();
    expect(sampleValue(text, 'workflow_instances_archived_total')).toBe(0);

    await clock.advance(HOUR);
    expect(await engine.purge({ dryRun: true })).toMatchObject({ candidates: 4, purged: 0 });
    expect(sampleValue(await metrics.metrics(), 'workflow_instances_purged_total', { definition: 'orders' })).toBeUndefined();

    expect(await engine.purge({ limit: 2 })).toMatchObject({ purged: 2 });
    expect(await engine.purge()).toMatchObject({ purged: 2 });
    expect(await engine.purge()).toMatchObject({ purged: 0 });
    text = await metrics.metrics();
    expect(sampleValue(text, 'workflow_instances_purged_total', { definition: 'orders' })).toBe(3);
    expect(sampleValue(text, 'workflow_instances_purged_total', { definition: 'saga' })).toBe(1);
    expect(sampleValue(text, 'workflow_instances_purged_total', { definition: 'approval' })).toBeUndefined();
    expect(sampleValue(text, 'workflow_instances_archived_total')).toBe(0);
  });

  it('counts archived instances when the purge archives first', async () => {
    const archived: ArchivedInstance[] = [];
    const { engine, clock, metrics } = makeEngine({ purge: { archive: { archive: async (entries) => void archived.push(...entries) } } });
    await finish(engine, 2);
    await clock.advance(HOUR);
    expect(await engine.purge()).toMatchObject({ purged: 3, archived: 3 });
    const text = await metrics.metrics();
    expect(sampleValue(text, 'workflow_instances_archived_total')).toBe(3);
    expect(sampleValue(text, 'workflow_instances_purged_total', { definition: 'orders' })).toBe(2);
    expect(archived).toHaveLength(3);
  });

  it('unsubscribes from the purges on close, and a new set of metrics starts from 0', async () => {
    /** The engine, counting its purge listeners. */
    class CountingEngine extends WorkflowEngine {
      listeners = 0;
      override onPurge(listener: PurgeListener): () => void {
        this.listeners++;
        const off = super.onPurge(listener);
        return () => {
          this.listeners--;
          off();
        };
      }
    }
    const clock = new ManualClock();
    const engine = new CountingEngine({ clock, logger: captureLogger().logger, actions: fixtureActions(), definitions, retention: '1h', purge: false });
    tracked.engine(engine);
    const metrics = createWorkflowMetrics({ engine });
    expect(engine.listeners).toBe(1);
    await finish(engine, 1);
    await clock.advance(HOUR);
    expect(await engine.purge()).toMatchObject({ purged: 2 });
    expect(sampleValue(await metrics.metrics(), 'workflow_instances_purged_total', { definition: 'orders' })).toBe(1);
    metrics.close();
    metrics.close();
    expect(engine.listeners).toBe(0);

    const again = createWorkflowMetrics({ engine });
    tracked.metrics(again);
    await finish(engine, 1);
    await clock.advance(HOUR);
    expect(await engine.purge()).toMatchObject({ purged: 2 });
    expect(sampleValue(await again.metrics(), 'workflow_instances_purged_total', { definition: 'orders' })).toBe(1);
  });

  it('honours the prefix', async () => {
    const engine = new WorkflowEngine({ clock: new ManualClock(), logger: captureLogger().logger, actions: fixtureActions(), definitions, retention: 0, purge: false });
    tracked.engine(engine);
    const metrics = createWorkflowMetrics({ engine, prefix: 'shop_' });
    tracked.metrics(metrics);
    await engine.waitFor((await engine.start('orders')).id, { until: 'terminal' });
    expect(await engine.purge()).toMatchObject({ purged: 1 });
    expect(sampleValue(await metrics.metrics(), 'shop_workflow_instances_purged_total', { definition: 'orders' })).toBe(1);
  });
});

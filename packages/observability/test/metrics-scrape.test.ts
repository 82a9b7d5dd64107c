/**
 * Real workflows on real storage (memory, and SQLite through TypeORM), scraped over real HTTP as
 * Prometheus would: from an Express app's `GET /metrics` and from `startMetricsServer`.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from '@jest/globals';
import express from 'express';
import { MemoryStorage, WorkflowEngine, type StorageAdapter } from '@workflow-mastery/core';
import { storageCheck } from '@workflow-mastery/core/http';
import { createWorkflowRouter } from '@workflow-mastery/express';
import { TypeOrmStorage } from '@workflow-mastery/storage-typeorm';
import { createWorkflowMetrics, startMetricsServer, type MetricsServer, type WorkflowMetrics } from '../src/index.js';
import { definitions, fixtureActions } from './fixtures.js';
import { captureLogger } from './log-capture.js';
import { sampleValue } from './prometheus-text.js';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

const storages: Array<[string, () => StorageAdapter]> = [
  ['memory storage', () => new MemoryStorage()],
  ['SQLite (TypeORM, better-sqlite3)', () => new TypeOrmStorage({ type: 'better-sqlite3', database: ':memory:' })],
];

async function listen(app: express.Express): Promise<{ url: string; server: Server }> {
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanup.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** Starts through the HTTP API, as a client would, and waits for the instance to settle. */
async function startOver(engine: WorkflowEngine, url: string, workflow: string): Promise<string> {
  const res = await fetch(`${url}/workflows/${workflow}/instances`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-user': 'ops' }, body: JSON.stringify({ data: {} }) });
  expect(res.status).toBe(201);
  const { id } = (await res.json()) as { id: string };
  await engine.waitFor(id, { until: workflow === 'approval' ? 'settled' : 'terminal' });
  return id;
}

function expectScenario(text: string): void {
  expect(sampleValue(text, 'workflow_started_total', { workflow: 'orders' })).toBe(3);
  expect(sampleValue(text, 'workflow_started_total', { workflow: 'saga' })).toBe(1);
  expect(sampleValue(text, 'workflow_started_total', { workflow: 'approval' })).toBe(2);
  expect(sampleValue(text, 'workflow_completed_total', { workflow: 'orders', status: 'completed' })).toBe(3);
  expect(sampleValue(text, 'workflow_completed_total', { workflow: 'saga', status: 'failed' })).toBe(1);
  expect(sampleValue(text, 'workflow_completed_total', { workflow: 'approval', status: 'cancelled' })).toBe(1);
  expect(sampleValue(text, 'workflow_step_duration_seconds_count', { workflow: 'orders', step: 'charge' })).toBe(6);
  expect(sampleValue(text, 'workflow_step_duration_seconds_count', { workflow: 'orders', step: 'ship' })).toBe(3);
  expect(sampleValue(text, 'workflow_step_duration_seconds_count', { workflow: 'saga', step: 'pay' })).toBe(1);
  expect(sampleValue(text, 'workflow_errors_total', { workflow: 'orders' })).toBe(3);
  expect(sampleValue(text, 'workflow_errors_total', { workflow: 'saga' })).toBe(1);
  expect(sampleValue(text, 'workflow_step_retries_total', { workflow: 'orders', step: 'charge' })).toBe(3);
  expect(sampleValue(text, 'workflow_compensations_total', { workflow: 'saga', step: 'reserve', status: 'completed' })).toBe(1);
  expect(sampleValue(text, 'workflow_instances_active', { workflow: 'approval', state: 'WAITING' })).toBe(1);
  expect(sampleValue(text, 'workflow_instances_active', { workflow: 'orders', state: 'RUNNING' })).toBe(0);
  expect(sampleValue(text, 'workflow_queue_depth')).toBe(0);
}

describe.each(storages)('scraping /metrics after real runs on %s', (_name, makeStorage) => {
  async function setup(): Promise<{ engine: WorkflowEngine; metrics: WorkflowMetrics; url: string }> {
    const engine = new WorkflowEngine({ storage: makeStorage(), logger: captureLogger().logger, actions: fixtureActions(), definitions, pollIntervalMs: 20 });
    cleanup.push(() => engine.close());
    await engine.ready;
    const metrics = createWorkflowMetrics({ engine, scanCacheMs: 0 });
    cleanup.push(() => metrics.close());
    const app = express();
    app.use(
      '/api/workflow',
      createWorkflowRouter({
        engine,
        metrics,
        authorize: () => true,
        principal: (req) => req.get('x-user'),
        publicOperations: ['health.read', 'ready.read', 'metrics.read'],
        readiness: [{ name: 'queue', check: async () => undefined }],
      }),
    );
    const { url } = await listen(app);
    return { engine, metrics, url: `${url}/api/workflow` };
  }

  async function runScenario(engine: WorkflowEngine, url: string): Promise<void> {
    for (let i = 0; i < 3; i++) await startOver(engine, url, 'orders');
    await startOver(engine, url, 'saga');
    await startOver(engine, url, 'approval');
    const cancelled = await startOver(engine, url, 'approval');
    const res = await fetch(`${url}/instances/${cancelled}/cancel`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-user': 'ops' }, body: '{}' });
    expect(res.status).toBe(200);
    await engine.idle();
  }

  it('serves the engine metrics from the Express router, without a principal', async () => {
    const { engine, url } = await setup();
    await runScenario(engine, url);
    const res = await fetch(`${url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; ?version=0\.0\.4/);
    expectScenario(await res.text());

    const ready = await fetch(`${url}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ok', checks: [{ name: 'storage', status: 'ok' }, { name: 'queue', status: 'ok' }] });
  });

  it('serves the same metrics from startMetricsServer, with liveness and readiness', async () => {
    const { engine, metrics, url } = await setup();
    const server: MetricsServer = await startMetricsServer({ port: 0, host: '127.0.0.1', metrics, readiness: [storageCheck(engine)] });
    cleanup.push(() => server.close());
    await runScenario(engine, url);
    const res = await fetch(`${server.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(metrics.contentType);
    expectScenario(await res.text());
    expect(await (await fetch(`${server.url}/health`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${server.url}/ready`);
    expect([ready.status, ((await ready.json()) as { checks: Array<{ name: string }> }).checks.map((c) => c.name)]).toEqual([200, ['storage']]);
  });
});

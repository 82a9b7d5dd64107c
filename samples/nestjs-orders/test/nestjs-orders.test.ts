/** End to end over real HTTP: the Nest app on 127.0.0.1:0, SQLite in a temp dir, fetch as the client. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { scaledClock } from '@workflow-mastery/core';
import { TypeOrmStorage } from '@workflow-mastery/storage-typeorm';
import { call, demoOrders, followOrder, pathOf, runDemo } from '../src/demo.js';
import { DASHBOARD_PATH } from '../src/app.module.js';
import { startServer, type RunningServer } from '../src/server.js';
import { expectDashboardServed } from '../../sample-kit/test/dashboard-served.js';

let server: RunningServer;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'nestjs-orders-'));
  server = await startServer({ storage: new TypeOrmStorage({ type: 'better-sqlite3', database: path.join(dir, 'workflows.sqlite') }), clock: scaledClock(1000), logger: false });
});

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

const raw = (method: string, urlPath: string, headers: Record<string, string> = {}, body?: unknown) =>
  fetch(`${server.url}/api${urlPath}`, {
    method,
    headers: { ...headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });

async function waitForStep(id: string, step: string, status: string) {
  for (let i = 0; i < 400; i++) {
    const inst = await call(server.url, 'alice', 'GET', `/instances/${id}`);
    if (inst.steps[step]?.status === status) return inst;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`${step} never ${status}`);
}

describe('NestJS orders sample', () => {
  it('answers 401 without an x-user header', async () => {
    const res = await raw('POST', '/workflows/order_processing/instances', {}, { data: { order: demoOrders[0]!.order } });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('WF_UNAUTHENTICATED');
    expect((await raw('GET', '/instances')).status).toBe(401);
  });

  it('runs a small order to completion through the @WorkflowAction providers', async () => {
    const inst = await call(server.url, 'alice', 'POST', '/workflows/order_processing/instances', { data: { order: demoOrders[0]!.order } });
    expect(inst.startedBy).toBe('alice');
    const done = await followOrder(server.url, inst.id);
    expect(done.state).toBe('COMPLETED');
    expect(await pathOf(server.url, inst.id)).toEqual(['validate_order', 'check_fraud(skipped)', 'reserve_inventory', 'process_payment', 'create_shipment', 'send_notification']);
    expect((done.data.shipment as { tracking: string }).tracking).toBe('TRK-N-1001');
  });

  it('lets only the risk team decide a manual review: 403 for a customer, then completed', async () => {
    const order = demoOrders.find((o) => o.order.id === 'N-1003')!.order;
    const inst = await call(server.url, 'bob', 'POST', '/workflows/order_processing/instances', { data: { order } });
    await waitForStep(inst.id, 'manual_review', 'WAITING');

    const forbidden = await raw('POST', `/instances/${inst.id}/signals/review_decision`, { 'x-user': 'bob' }, { review: { approved: true } });
    expect(forbidden.status).toBe(403);
    expect(((await forbidden.json()) as { error: { code: string } }).error.code).toBe('WF_FORBIDDEN');
    expect((await raw('POST', `/instances/${inst.id}/cancel`, { 'x-user': 'rita' }, {})).status).toBe(403);

    const signalled = await raw('POST', `/instances/${inst.id}/signals/review_decision`, { 'x-user': 'rita' }, { review: { approved: true, reviewer: 'rita' } });
    expect(signalled.status).toBe(200);
    const done = await followOrder(server.url, inst.id);
    expect(done.state).toBe('COMPLETED');
    expect(done.data.review).toEqual({ approved: true, reviewer: 'rita' });
  });

  it('runs the --demo orders as they are meant to end', async () => {
    const lines: string[] = [];
    expect(await runDemo(server.url, (line) => lines.push(line))).toBe(true);
    expect(lines.join('\n')).toMatch(/N-1005 +✔ FAILED/);
  }, 60_000);

  it('lets ops send other signals but never review_decision, and the risk team nothing else', async () => {
    const order = demoOrders.find((o) => o.order.id === 'N-1003')!.order;
    const inst = await call(server.url, 'carol', 'POST', '/workflows/order_processing/instances', { data: { order } });
    await waitForStep(inst.id, 'manual_review', 'WAITING');
    const asOps = await raw('POST', `/instances/${inst.id}/signals/review_decision`, { 'x-user': 'oscar' }, { review: { approved: true } });
    expect(asOps.status).toBe(403);
    expect(((await asOps.json()) as { error: { message: string } }).error.message).toContain('"oscar" may not perform instances.signal');
    expect((await raw('POST', `/instances/${inst.id}/signals/payment_confirmed`, { 'x-user': 'rita' }, {})).status).toBe(403);
    expect((await raw('POST', `/instances/${inst.id}/signals/payment_confirmed`, { 'x-user': 'oscar' }, {})).status).toBe(200);
    expect((await raw('POST', `/instances/${inst.id}/cancel`, { 'x-user': 'oscar' }, {})).status).toBe(200);
  });

  it('serves the dashboard, and a browser signed in with a demo token reaches the API as that role', async () => {
    await expectDashboardServed(server.url, DASHBOARD_PATH, 'Orders');

    // What the page sends after "Sign in with a token": Authorization: Bearer <token>.
    const order = demoOrders.find((o) => o.order.id === 'N-1003')!.order;
    const started = await raw('POST', '/workflows/order_processing/instances', { authorization: 'Bearer demo-customer' }, { data: { order } });
    expect(started.status).toBe(201);
    const inst = (await started.json()) as { id: string; startedBy: string };
    expect(inst.startedBy).toBe('alice');
    await waitForStep(inst.id, 'manual_review', 'WAITING');
    const decision = { review: { approved: false, reviewer: 'rita' } };
    expect((await raw('POST', `/instances/${inst.id}/signals/review_decision`, { authorization: 'Bearer demo-ops' }, decision)).status).toBe(403);
    expect((await raw('POST', `/instances/${inst.id}/signals/review_decision`, { authorization: 'Bearer demo-risk' }, decision)).status).toBe(200);
    expect((await raw('GET', '/instances', { authorization: 'Bearer forged', 'x-user': 'oscar' })).status).toBe(401);
  });
});

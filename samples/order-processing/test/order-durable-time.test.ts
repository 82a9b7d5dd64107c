/**
 * The order workflow's long waits, tested with @workflow-mastery/testing: the 30-second payment
 * retries, the 2-day manual review, and a 7-day deadline, each in milliseconds of wall time.
 */
import { describe, expect, it } from '@jest/globals';
import { ActionResult, type JsonObject } from '@workflow-mastery/core';
import { createTestEngine } from '@workflow-mastery/testing/jest';
import { demoOrders } from '../src/demo-orders.js';
import { orderActions } from '../src/order-actions.js';
import { DemoServices } from '../src/demo-services.js';
import { orderProcessingWorkflow } from '../src/order-processing.workflow.js';

const S = 1000;
const D = 86_400_000;
const orderOf = (id: string) => demoOrders.find((o) => o.order.id === id)!.order as unknown as JsonObject;

/** The sample's definition and actions on a test engine, with fresh demo services. */
function orders(definition: object = orderProcessingWorkflow) {
  const services = new DemoServices();
  const t = createTestEngine({ definitions: [definition as typeof orderProcessingWorkflow], actions: orderActions, actionFactory: (cls) => new cls(services) });
  return { t, services };
}

describe('order processing: durable time with the test kit', () => {
  it('retries the payment every 30 seconds until the gateway is back', async () => {
    const { t, services } = orders();
    const t0 = t.now();
    const order = await t.start('order_processing', { order: { ...orderOf('A-1003'), simulate: { payment_outages: 4 } } });
    expect(order).toHaveState('RUNNING');
    await t.advance('2m');
    const done = await t.instance(order.id);
    expect(done).toHaveState('COMPLETED');
    expect(done).toHaveTakenPath(['validate_order', 'check_fraud(skipped)', 'reserve_inventory', 'process_payment', 'create_shipment', 'send_notification']);
    expect(t.calls('process_payment').map((c) => [c.attempt, (c.at - t0) / S])).toEqual([
      [1, 0],
      [2, 30],
      [3, 60],
      [4, 90],
      [5, 120],
    ]);
    expect(services.payments.charges.size).toBe(1);
  });

  it('gives up after the fifth retry (2.5 minutes) and unwinds the saga', async () => {
    const { t, services } = orders();
    t.mockAction('process_payment', Array.from({ length: 6 }, () => ({ fail: 'payment gateway unavailable (HTTP 503)', code: 'GATEWAY_DOWN' })));
    const order = await t.start('order_processing', { order: orderOf('A-1001') });
    await t.advance('2m29s');
    expect(await t.instance(order.id)).toHaveState('RUNNING');
    await t.advance('1s');
    const failed = await t.instance(order.id);
    expect(failed).toHaveFailedWith('GATEWAY_DOWN');
    expect(failed).toHaveTakenPath(['validate_order', 'check_fraud(skipped)', 'reserve_inventory', 'process_payment(failed)', '↩release_inventory']);
    expect(t.calls('process_payment')).toHaveLength(6);
    expect(services.warehouse.stock.get('KB-01')).toBe(50);
  });

  it('a high-risk order waits 2 days for its review, then fails (nothing was reserved, so nothing is undone)', async () => {
    const { t } = orders();
    const t0 = t.now();
    const order = await t.start('order_processing', { order: orderOf('A-1004') });
    expect(order).toHaveState('WAITING');
    await t.advance('1d');
    expect(await t.instance(order.id)).toHaveState('WAITING');
    await t.advance('1d');
    const failed = await t.instance(order.id);
    expect(failed).toHaveFailedWith('WF_TIMEOUT');
    expect(failed).toHaveTakenPath(['validate_order', 'check_fraud', 'manual_review(failed)']);
    expect(failed.completedAt! - t0).toBe(2 * D);
  });

  it('a review decision before the timeout completes the order', async () => {
    const { t } = orders();
    const order = await t.start('order_processing', { order: orderOf('A-1004') });
    await t.advance('36h');
    const reviewed = await t.signal(order.id, 'review_decision', { review: { approved: true, reviewer: 'risk-team' } });
    expect(reviewed).toHaveState('COMPLETED');
    expect(reviewed.data.review).toEqual({ approved: true, reviewer: 'risk-team' });
  });

  it('with a 7-day deadline, an order nobody reviews times out on day 7', async () => {
    const { t, services } = orders({ ...orderProcessingWorkflow, version: '2.0-deadline', timeout: '7d' });
    const t0 = t.now();
    // A review that waits without its own 2-day timeout: only the workflow's deadline ends it.
    t.mockAction('manual_review', [ActionResult.wait({ signal: 'review_decision' })]);
    const order = await t.start('order_processing', { order: orderOf('A-1004') });
    await t.advance('6d23h59m');
    expect(await t.instance(order.id)).toHaveState('WAITING');
    await t.advance('1m');
    const late = await t.instance(order.id);
    expect(late).toHaveFailedWith('WF_TIMEOUT');
    expect(late).toHaveHistoryEvent('workflow.timed_out', { data: { timeoutMs: 7 * D } });
    expect(late.completedAt! - t0).toBe(7 * D);
    expect(services.payments.charges.size).toBe(0);
  });
});

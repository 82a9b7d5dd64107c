/**
 * `--demo`: places a few orders through the app's own HTTP API, as a customer would, answers the
 * manual review as the risk team (the `review_decision` signal), and reports each final state.
 */
import type { InstanceRecord } from '@workflow-mastery/core';
import { call as apiCall, pathOf as historyPath } from '@workflow-mastery/sample-kit';
import type { DemoOrder } from '@workflow-mastery/sample-order-processing/demo-orders';

export type { DemoOrder };

const alice = { email: 'alice@example.com' };
const bob = { email: 'bob@example.com', new_customer: true };

export const demoOrders: DemoOrder[] = [
  { shows: 'small order: fraud check skipped', expected: 'COMPLETED', order: { id: 'N-1001', customer: alice, items: [{ sku: 'KB-01', qty: 2, price: 89.9 }], total: 179.8 } },
  { shows: 'payment gateway down once: retried', expected: 'COMPLETED', order: { id: 'N-1002', customer: alice, items: [{ sku: 'MS-02', qty: 1, price: 49 }], total: 49, simulate: { payment_outages: 1 } } },
  { shows: 'high fraud risk: manual review, approved over HTTP', expected: 'COMPLETED', order: { id: 'N-1003', customer: bob, items: [{ sku: 'CAM-8K', qty: 2, price: 3499 }], total: 6998 } },
  { shows: 'invalid order: rejected', expected: 'COMPLETED', order: { id: 'N-1004', customer: bob, items: [], total: 0 } },
  { shows: 'card declined: inventory released (saga)', expected: 'FAILED', order: { id: 'N-1005', customer: alice, items: [{ sku: 'KB-01', qty: 1, price: 89.9 }], total: 89.9, simulate: { card_declined: true } } },
];

/** A JSON call on the API as `user`; throws on an unexpected status. */
export const call = <T = InstanceRecord>(base: string, user: string | undefined, method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> =>
  apiCall<T>(base, user ? { user } : {}, method, path, body);

/** Polls the instance until it ends; a manual review met on the way is approved by `reviewer`. */
export async function followOrder(base: string, id: string, reviewer = 'rita', timeoutMs = 30_000): Promise<InstanceRecord> {
  const deadline = Date.now() + timeoutMs;
  let reviewed = false;
  for (;;) {
    const inst = await call(base, 'alice', 'GET', `/instances/${id}`);
    if (['COMPLETED', 'FAILED', 'CANCELLED'].includes(inst.state)) return inst;
    if (!reviewed && inst.steps.manual_review?.status === 'WAITING') {
      await call(base, reviewer, 'POST', `/instances/${id}/signals/review_decision`, { review: { approved: true, reviewer } });
      reviewed = true;
    }
    if (Date.now() > deadline) throw new Error(`instance ${id} still ${inst.state} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Steps as they ended, from the instance's history. */
export const pathOf = (base: string, id: string): Promise<string[]> => historyPath(base, { user: 'alice' }, id);

/** Runs every demo order over HTTP; returns true when each ended as expected. */
export async function runDemo(base: string, write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)): Promise<boolean> {
  const started = await Promise.all(
    demoOrders.map(async (o) => ({ o, inst: await call(base, 'alice', 'POST', '/workflows/order_processing/instances', { data: { order: o.order } }) })),
  );
  for (const { o, inst } of started) write(`${o.order.id}  POST /api/workflows/order_processing/instances → ${inst.id} (${o.shows})`);
  let allAsExpected = true;
  write('');
  for (const { o, inst } of started) {
    const done = await followOrder(base, inst.id);
    const ok = done.state === o.expected;
    allAsExpected &&= ok;
    write(`${o.order.id}  ${ok ? '✔' : '✖'} ${done.state.padEnd(9)} ${done.error ? `(${done.error.message}) ` : ''}`);
    write(`         ${(await pathOf(base, inst.id)).join(' → ')}`);
  }
  return allAsExpected;
}

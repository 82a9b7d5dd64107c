/** The orders the distributed demo places: mostly good ones, some large (fraud check), some invalid, some declined (saga). */
import type { Order } from '@workflow-mastery/sample-order-processing/order-actions';

/** An order and the state its instance should end in. */
export interface PlannedOrder {
  order: Order;
  expected: 'COMPLETED' | 'FAILED';
}

/** `count` orders, deterministic for a given `run` label. */
export function planOrders(count: number, run: string): PlannedOrder[] {
  const orders: PlannedOrder[] = [];
  for (let i = 0; i < count; i++) {
    const id = `${run}-${i + 1}`;
    const customer = { email: `customer${i % 17}@example.com` };
    if (i % 20 === 7) {
      orders.push({ expected: 'COMPLETED', order: { id, customer, items: [], total: 0 } }); // rejected: invalid
    } else if (i % 20 === 13) {
      orders.push({ expected: 'FAILED', order: { id, customer, items: [{ sku: 'KB-01', qty: 1, price: 89.9 }], total: 89.9, simulate: { card_declined: true } } });
    } else if (i % 10 === 3) {
      orders.push({ expected: 'COMPLETED', order: { id, customer, items: [{ sku: 'GPU-4090', qty: 1, price: 1899 }], total: 1899 } });
    } else {
      orders.push({ expected: 'COMPLETED', order: { id, customer, items: [{ sku: 'KB-01', qty: 2, price: 89.9 }], total: 179.8 } });
    }
  }
  return orders;
}

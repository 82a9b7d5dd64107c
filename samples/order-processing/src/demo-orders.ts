/** The orders `npm start` runs: one per path through the workflow. */
import type { Order } from './order-actions.js';

/** A demo order and what it is meant to show. */
export interface DemoOrder {
  order: Order;
  shows: string;
  /** How the instance should end. */
  expected: 'COMPLETED' | 'FAILED';
}

const alice = { email: 'alice@example.com' };
const bob = { email: 'bob@example.com', new_customer: true };

export const demoOrders: DemoOrder[] = [
  { shows: 'small order: fraud check skipped', expected: 'COMPLETED', order: { id: 'A-1001', customer: alice, items: [{ sku: 'KB-01', qty: 2, price: 89.9 }], total: 179.8 } },
  {
    shows: 'large order, catalogue hiccup retried',
    expected: 'COMPLETED',
    order: { id: 'A-1002', customer: alice, items: [{ sku: 'GPU-4090', qty: 1, price: 1899 }], total: 1899, simulate: { validate_hiccups: 1 } },
  },
  {
    shows: 'payment gateway down twice: retried every 30s',
    expected: 'COMPLETED',
    order: { id: 'A-1003', customer: alice, items: [{ sku: 'MS-02', qty: 1, price: 49 }], total: 49, simulate: { payment_outages: 2 } },
  },
  { shows: 'high fraud risk: parked for manual review', expected: 'COMPLETED', order: { id: 'A-1004', customer: bob, items: [{ sku: 'CAM-8K', qty: 2, price: 3499 }], total: 6998 } },
  { shows: 'invalid order: rejected', expected: 'COMPLETED', order: { id: 'A-1005', customer: bob, items: [], total: 0 } },
  {
    shows: 'card declined: inventory released (saga)',
    expected: 'FAILED',
    order: { id: 'A-1006', customer: alice, items: [{ sku: 'KB-01', qty: 1, price: 89.9 }], total: 89.9, simulate: { card_declined: true } },
  },
  {
    shows: 'no carrier: payment refunded, inventory released (saga)',
    expected: 'FAILED',
    order: { id: 'A-1007', customer: alice, items: [{ sku: 'GPU-4090', qty: 1, price: 1899 }], total: 1899, simulate: { carrier_down: true } },
  },
];

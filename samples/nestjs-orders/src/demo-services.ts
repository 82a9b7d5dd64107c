/** Copied from `samples/order-processing`; `DemoServices` is a Nest provider here. */
import { Injectable } from '@nestjs/common';

/**
 * Stand-ins for the systems an order touches (warehouse, payment gateway, carrier, mailer), kept
 * in memory so the sample runs anywhere. Each keys its side effects by the action's idempotency
 * key, as a real integration would, so a retried or re-run step never charges or ships twice.
 */

/** Stock levels by SKU; reservations are keyed so a retry never reserves twice. */
export class DemoWarehouse {
  readonly stock = new Map<string, number>();
  private readonly reservations = new Map<string, Array<{ sku: string; qty: number }>>();

  constructor(initial: Record<string, number>) {
    for (const [sku, qty] of Object.entries(initial)) this.stock.set(sku, qty);
  }

  reserve(key: string, items: Array<{ sku: string; qty: number }>): boolean {
    if (this.reservations.has(key)) return true;
    if (items.some((i) => (this.stock.get(i.sku) ?? 0) < i.qty)) return false;
    for (const i of items) this.stock.set(i.sku, this.stock.get(i.sku)! - i.qty);
    this.reservations.set(key, items);
    return true;
  }

  release(key: string): void {
    const items = this.reservations.get(key);
    if (!items) return;
    for (const i of items) this.stock.set(i.sku, (this.stock.get(i.sku) ?? 0) + i.qty);
    this.reservations.delete(key);
  }
}

/** Charges by idempotency key; refunds are keyed by the charge. */
export class DemoPaymentGateway {
  readonly charges = new Map<string, { amount: number; refunded: boolean; id: string }>();

  charge(key: string, amount: number): string {
    const existing = this.charges.get(key);
    if (existing) return existing.id;
    const id = `ch_${this.charges.size + 1}`;
    this.charges.set(key, { amount, refunded: false, id });
    return id;
  }

  refund(chargeId: string): void {
    for (const c of this.charges.values()) if (c.id === chargeId) c.refunded = true;
  }

  /** Money kept: charged and not refunded. */
  get captured(): number {
    return [...this.charges.values()].filter((c) => !c.refunded).reduce((sum, c) => sum + c.amount, 0);
  }
}

/** Everything the demo actions need; one Nest provider shared by them. */
@Injectable()
export class DemoServices {
  readonly warehouse = new DemoWarehouse({ 'KB-01': 50, 'MS-02': 50, 'GPU-4090': 3, 'CAM-8K': 5 });
  readonly payments = new DemoPaymentGateway();
  readonly shipments = new Map<string, string>();
  readonly mail: string[] = [];
}

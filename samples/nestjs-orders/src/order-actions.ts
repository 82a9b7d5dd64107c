/**
 * Copied from `samples/order-processing` (the sample packages export no library entry point); the
 * only change: the classes are Nest providers (`@Injectable()` on the base class, whose constructor
 * takes the injected `DemoServices`), found by the Nest module through `@WorkflowAction`.
 *
 * Demo actions of the order processing sample. They fail on purpose when the order asks them to
 * (`order.simulate`), so a run shows retries, compensation and manual review:
 * - `validate_hiccups: n`: the catalogue times out on the first n validation attempts;
 * - `payment_outages: n`: the payment gateway is down for the first n attempts;
 * - `card_declined: true`: the card is declined (not retryable: the saga unwinds);
 * - `carrier_down: true`: no carrier accepts the parcel (the saga refunds and releases stock).
 */
import { Injectable } from '@nestjs/common';
import { ActionResult, WorkflowAction } from '@workflow-mastery/nestjs';
import type { ActionContext, JsonObject } from '@workflow-mastery/core';
import { DemoServices } from './demo-services.js';

/** An order as the sample's start data carries it. */
export interface Order {
  id: string;
  customer: { email: string; new_customer?: boolean };
  items: Array<{ sku: string; qty: number; price: number }>;
  total: number;
  simulate?: { validate_hiccups?: number; payment_outages?: number; card_declined?: boolean; carrier_down?: boolean };
  valid?: boolean;
}

const orderOf = (ctx: ActionContext) => ctx.data.order as unknown as Order;

/** Base of the demo actions: they share the demo services (injected). */
@Injectable()
abstract class DemoAction {
  constructor(protected readonly services: DemoServices) {}
}

@WorkflowAction('validate_order')
@Injectable()
export class ValidateOrderAction extends DemoAction {
  execute(ctx: ActionContext): ActionResult {
    const order = orderOf(ctx);
    if (ctx.attempt <= (order.simulate?.validate_hiccups ?? 0)) {
      throw new Error('catalogue service timed out');
    }
    const sum = order.items.reduce((s, i) => s + i.qty * i.price, 0);
    const valid = order.items.length > 0 && order.items.every((i) => i.qty > 0) && Math.abs(sum - order.total) < 0.01;
    // A rule-based first risk score; large orders get a real fraud check on top.
    const risk = order.customer.new_customer ? 0.3 : 0.1;
    return ActionResult.success({
      order: { ...order, valid } as unknown as JsonObject,
      fraud: { risk, source: 'rules' },
      ...(valid ? {} : { rejection: { reason: order.items.length === 0 ? 'empty order' : 'total does not match the items' } }),
    });
  }
}

@WorkflowAction('check_fraud')
@Injectable()
export class FraudCheckAction extends DemoAction {
  execute(ctx: ActionContext): ActionResult {
    const order = orderOf(ctx);
    const risk = Math.min(0.99, (order.customer.new_customer ? 0.5 : 0.1) + (order.total > 5000 ? 0.3 : 0));
    return ActionResult.success({ fraud: { risk: Math.round(risk * 100) / 100, source: 'fraud_service' } });
  }
}

@WorkflowAction('release_inventory')
@Injectable()
export class ReleaseInventoryAction extends DemoAction {
  execute(ctx: ActionContext): ActionResult {
    this.services.warehouse.release(String((ctx.data.inventory as JsonObject).reservation));
    return ActionResult.success();
  }
}

@WorkflowAction('reserve_inventory', { compensation: 'release_inventory' })
@Injectable()
export class ReserveInventoryAction extends DemoAction {
  execute(ctx: ActionContext): ActionResult {
    const order = orderOf(ctx);
    const ok = this.services.warehouse.reserve(ctx.idempotencyKey, order.items);
    if (!ok) return ActionResult.failure('out of stock', { retryable: false, code: 'OUT_OF_STOCK' });
    return ActionResult.success({ inventory: { reserved: true, reservation: ctx.idempotencyKey } });
  }
}

@WorkflowAction('refund_payment')
@Injectable()
export class RefundPaymentAction extends DemoAction {
  execute(ctx: ActionContext): ActionResult {
    this.services.payments.refund(String((ctx.data.payment as JsonObject).charge));
    return ActionResult.success();
  }
}

@WorkflowAction('process_payment', { compensation: 'refund_payment' })
@Injectable()
export class ProcessPaymentAction extends DemoAction {
  execute(ctx: ActionContext): ActionResult {
    const order = orderOf(ctx);
    if (order.simulate?.card_declined) {
      return ActionResult.failure('card declined by issuer', { retryable: false, code: 'CARD_DECLINED' });
    }
    if (ctx.attempt <= (order.simulate?.payment_outages ?? 0)) {
      return ActionResult.failure('payment gateway unavailable (HTTP 503)', { code: 'GATEWAY_DOWN' });
    }
    const charge = this.services.payments.charge(ctx.idempotencyKey, order.total);
    return ActionResult.success({ payment: { success: true, charge, amount: order.total } });
  }
}

@WorkflowAction('create_shipment')
@Injectable()
export class CreateShipmentAction extends DemoAction {
  execute(ctx: ActionContext): ActionResult {
    const order = orderOf(ctx);
    if (order.simulate?.carrier_down) {
      return ActionResult.failure('no carrier accepted the parcel', { retryable: false, code: 'NO_CARRIER' });
    }
    const tracking = `TRK-${order.id}`;
    this.services.shipments.set(order.id, tracking);
    return ActionResult.success({ shipment: { tracking } });
  }
}

@WorkflowAction('send_order_confirmation')
@Injectable()
export class SendOrderConfirmationAction extends DemoAction {
  execute(ctx: ActionContext): ActionResult {
    const order = orderOf(ctx);
    this.services.mail.push(`${order.customer.email}: order ${order.id} is on its way`);
    return ActionResult.success({ notified: true });
  }
}

@WorkflowAction('send_rejection')
@Injectable()
export class SendRejectionAction extends DemoAction {
  execute(ctx: ActionContext): ActionResult {
    const order = orderOf(ctx);
    const reason = String((ctx.data.rejection as JsonObject | undefined)?.reason ?? 'invalid order');
    this.services.mail.push(`${order.customer.email}: order ${order.id} rejected (${reason})`);
    return ActionResult.success({ rejected: true });
  }
}

/** Parks a high-risk order until a reviewer sends the `review_decision` signal (or 2 days pass). */
@WorkflowAction('manual_review')
@Injectable()
export class ManualReviewAction extends DemoAction {
  execute(): ActionResult {
    return ActionResult.wait({ signal: 'review_decision', timeout: '2d' });
  }
}

/** Every action of the sample, for `engine.registerActions`. */
export const orderActions = [
  ValidateOrderAction,
  FraudCheckAction,
  ReserveInventoryAction,
  ReleaseInventoryAction,
  ProcessPaymentAction,
  RefundPaymentAction,
  CreateShipmentAction,
  SendOrderConfirmationAction,
  SendRejectionAction,
  ManualReviewAction,
];

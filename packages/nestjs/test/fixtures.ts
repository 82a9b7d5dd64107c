/** Providers and definitions the Nest integration tests share. */
import 'reflect-metadata';
import { Injectable } from '@nestjs/common';
import { ActionResult, WorkflowAction, type ActionContext, type WorkflowDefinitionInput } from '@workflow-mastery/core';
import { WorkflowDefinitionProvider, type WorkflowDefinitionSource } from '../src/index.js';

/** A plain service the actions get injected. */
@Injectable()
export class PricingService {
  readonly calls: string[] = [];
  /** Orders above this total are refused. */
  limit = 1000;
  check(total: number): boolean {
    this.calls.push(`check:${total}`);
    return total <= this.limit;
  }
}

/** A payment gateway that records charges and refunds. */
@Injectable()
export class PaymentGateway {
  readonly charged: string[] = [];
  readonly refunded: string[] = [];
  declineNext = false;
}

@WorkflowAction('validate_order')
@Injectable()
export class ValidateOrderAction {
  constructor(private readonly pricing: PricingService) {}
  execute(ctx: ActionContext) {
    const order = ctx.data.order as { total: number };
    return ActionResult.success({ order: { ...order, valid: this.pricing.check(order.total) } });
  }
}

@WorkflowAction('refund_payment')
@Injectable()
export class RefundPaymentAction {
  constructor(private readonly gateway: PaymentGateway) {}
  execute(ctx: ActionContext) {
    this.gateway.refunded.push(ctx.workflowId);
  }
}

@WorkflowAction('charge_payment', { compensation: RefundPaymentAction })
@Injectable()
export class ChargePaymentAction {
  constructor(private readonly gateway: PaymentGateway) {}
  async execute(ctx: ActionContext) {
    this.gateway.charged.push(ctx.workflowId);
    return ActionResult.success({ payment: { id: `pay-${ctx.workflowId}` } });
  }
}

@WorkflowAction('ship_order')
@Injectable()
export class ShipOrderAction {
  constructor(private readonly gateway: PaymentGateway) {}
  execute() {
    if (this.gateway.declineNext) return ActionResult.failure('carrier refused the parcel', { retryable: false });
    return ActionResult.success({ shipped: true });
  }
}

@WorkflowAction('reject_order')
@Injectable()
export class RejectOrderAction {
  execute() {
    return ActionResult.success({ rejected: true });
  }
}

/** Every action provider above, with their dependencies. */
export const orderProviders = [PricingService, PaymentGateway, ValidateOrderAction, ChargePaymentAction, RefundPaymentAction, ShipOrderAction, RejectOrderAction];

/** A small order workflow, naming actions by class (resolved through `@WorkflowAction`). */
export const orderWorkflow: WorkflowDefinitionInput = {
  name: 'order',
  version: '1',
  steps: {
    validate: { action: ValidateOrderAction },
    charge: { action: ChargePaymentAction },
    ship: { action: 'ship_order' },
    reject: { action: 'reject_order' },
  },
  transitions: [
    { from: 'validate', to: 'charge', condition: 'order.valid === true' },
    { from: 'validate', to: 'reject' },
    { from: 'charge', to: 'ship' },
  ],
  error_handling: { on_failure: 'compensate' },
};

/** A one-step workflow. */
export const pingWorkflow: WorkflowDefinitionInput = {
  name: 'ping',
  version: '1',
  steps: { ping: { action: 'reject_order' } },
  transitions: [],
};

/** Definitions built from injected configuration. */
@WorkflowDefinitionProvider()
@Injectable()
export class ProvidedWorkflows implements WorkflowDefinitionSource {
  constructor(private readonly pricing: PricingService) {}
  definitions() {
    return [{ ...pingWorkflow, name: 'provided_ping', version: String(this.pricing.limit) }];
  }
}

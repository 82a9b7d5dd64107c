/** Copied from `samples/order-processing` (unchanged). */
/**
 * The seed's e-commerce order processing workflow (design document, section 7.1), ported as it
 * stands. The seed routes to `send_rejection` and `manual_review` without defining them; they are
 * defined here (and only they are added).
 */
import type { WorkflowDefinitionInput } from '@workflow-mastery/core';
import {
  CreateShipmentAction,
  FraudCheckAction,
  ManualReviewAction,
  ProcessPaymentAction,
  RefundPaymentAction,
  ReleaseInventoryAction,
  ReserveInventoryAction,
  SendOrderConfirmationAction,
  SendRejectionAction,
  ValidateOrderAction,
} from './order-actions.js';

/** `OrderProcessingWorkflow::getDefinition()` of the seed. */
export const orderProcessingWorkflow = {
  name: 'order_processing',
  version: '2.0',
  steps: {
    validate_order: {
      action: ValidateOrderAction,
      timeout: '30s',
      retry_attempts: 3,
    },
    check_fraud: {
      action: FraudCheckAction,
      timeout: '2m',
      conditions: ['order.total > 1000'],
    },
    reserve_inventory: {
      action: ReserveInventoryAction,
      compensation: ReleaseInventoryAction,
    },
    process_payment: {
      action: ProcessPaymentAction,
      compensation: RefundPaymentAction,
      retry_attempts: 5,
      retry_delay: '30s',
    },
    create_shipment: {
      action: CreateShipmentAction,
    },
    send_notification: {
      action: SendOrderConfirmationAction,
      async: true,
    },
    // Referenced by the seed's transitions, not defined there:
    send_rejection: {
      action: SendRejectionAction,
    },
    manual_review: {
      action: ManualReviewAction,
    },
  },
  transitions: [
    { from: 'validate_order', to: 'check_fraud', condition: 'order.valid === true' },
    { from: 'validate_order', to: 'send_rejection', condition: 'order.valid === false' },
    { from: 'check_fraud', to: 'reserve_inventory', condition: 'fraud.risk < 0.7' },
    { from: 'check_fraud', to: 'manual_review', condition: 'fraud.risk >= 0.7' },
    { from: 'reserve_inventory', to: 'process_payment' },
    { from: 'process_payment', to: 'create_shipment', condition: 'payment.success === true' },
    { from: 'create_shipment', to: 'send_notification' },
  ],
  error_handling: {
    on_failure: 'compensate',
    notification_channels: ['email', 'slack'],
  },
} satisfies WorkflowDefinitionInput;

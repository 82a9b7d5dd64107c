/** Workflows the kit's tests run. */
import type { WorkflowDefinitionInput } from '@workflow-mastery/core';

/** charge (five 30 s retries) → approve (a person, due in 2 days; escalates when overdue) → ship. */
export const checkout = {
  name: 'checkout',
  version: '1',
  steps: {
    charge: { action: 'charge_card', retry_attempts: 5, retry_delay: '30s', compensation: 'refund_card' },
    approve: { action: 'prepare_approval', assigned_to: 'managers', timeout: '2d', config: { fields: ['approved'] } },
    ship: { action: 'ship', conditions: ['approved === true'] },
    escalate: { action: 'notify_director' },
  },
  transitions: [
    { from: 'charge', to: 'approve' },
    { from: 'approve', to: 'ship' },
    { from: 'approve', to: 'escalate', on_timeout: true },
  ],
  error_handling: { on_failure: 'compensate' },
} satisfies WorkflowDefinitionInput;

/** wait_for_payment waits for a `paid` signal (1 h timeout, one retry), with a 7-day workflow deadline. */
export const invoice = {
  name: 'invoice',
  version: '1',
  timeout: '7d',
  steps: {
    send_invoice: { action: 'send_invoice' },
    wait_for_payment: { action: 'await_payment', retry_attempts: 1, retry_delay: '1d' },
    book: { action: 'book_payment' },
  },
  transitions: [
    { from: 'send_invoice', to: 'wait_for_payment' },
    { from: 'wait_for_payment', to: 'book' },
  ],
} satisfies WorkflowDefinitionInput;

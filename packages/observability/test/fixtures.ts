/**
 * Workflows the observability tests run for real: a happy path with a retried step, a saga that
 * compensates, a wait for a signal (an active instance) and one that is cancelled.
 */
import { ActionResult, type ActionContext, type WorkflowDefinitionInput, type WorkflowEngineOptions } from '@workflow-mastery/core';

/** validate → charge (fails its first attempt, retried at once) → ship. */
export const orders: WorkflowDefinitionInput = {
  name: 'orders',
  version: '1',
  steps: {
    validate: { action: 'ok' },
    charge: { action: 'flaky_charge', retry_attempts: 2, retry_delay: 0 },
    ship: { action: 'ok' },
  },
  transitions: [
    { from: 'validate', to: 'charge' },
    { from: 'charge', to: 'ship' },
  ],
};

/** reserve (compensated by release) → pay, which always fails: the saga unwinds reserve. */
export const saga: WorkflowDefinitionInput = {
  name: 'saga',
  version: '1',
  steps: {
    reserve: { action: 'ok', compensation: 'release' },
    pay: { action: 'decline' },
  },
  transitions: [{ from: 'reserve', to: 'pay' }],
  error_handling: { on_failure: 'compensate' },
};

/** prepare → wait for the `go` signal: the instance stays WAITING. */
export const approval: WorkflowDefinitionInput = {
  name: 'approval',
  version: '1',
  steps: { prepare: { action: 'ok' }, decide: { action: 'wait_go' } },
  transitions: [{ from: 'prepare', to: 'decide' }],
};

/** The actions of the fixtures; `flaky_charge` fails attempt 1 of every instance. */
export function fixtureActions(): NonNullable<WorkflowEngineOptions['actions']> {
  return {
    ok: () => ActionResult.success(),
    flaky_charge: (ctx: ActionContext) => {
      ctx.logger.info({ amount: 42 }, 'charging the card');
      if (ctx.attempt === 1) throw new Error('card gateway timeout');
      return ActionResult.success({ charged: true });
    },
    decline: () => ActionResult.failure('card declined', { retryable: false }),
    release: () => ActionResult.success(),
    wait_go: () => ActionResult.wait({ signal: 'go' }),
  };
}

export const definitions = [orders, saga, approval];

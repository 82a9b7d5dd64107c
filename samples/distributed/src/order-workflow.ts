/**
 * The seed's order processing workflow, as the order-processing sample defines it, with its
 * actions: the sample's own action classes, each call also noted in the shared {@link Ledger}
 * (every execution, and the side effect once per idempotency key).
 */
import { ActionRegistry, ActionResult, type ActionContext, type ActionFunction, type ActionClass, type WorkflowDefinitionInput } from '@workflow-mastery/core';
import { DemoServices } from '@workflow-mastery/sample-order-processing/demo-services';
import { orderActions } from '@workflow-mastery/sample-order-processing/order-actions';
import { orderProcessingWorkflow } from '@workflow-mastery/sample-order-processing/order-processing.workflow';
import type { Ledger } from './ledger.js';

const names = new ActionRegistry();
names.registerClasses(orderActions as ActionClass[]);
const nameOf = (ref: unknown): string => {
  if (typeof ref === 'string') return ref;
  const name = names.nameOf(ref);
  if (!name) throw new Error('an action of the order workflow has no @WorkflowAction name');
  return name;
};

/** The definition with actions referenced by name (API processes need no action code). */
export const orderWorkflow: WorkflowDefinitionInput = {
  ...orderProcessingWorkflow,
  steps: Object.fromEntries(
    Object.entries(orderProcessingWorkflow.steps).map(([id, step]) => [
      id,
      { ...step, action: nameOf(step.action), ...('compensation' in step ? { compensation: nameOf(step.compensation) } : {}) },
    ]),
  ),
};

/** Actions whose effects reach the outside world (and so the ledger). */
const SIDE_EFFECTS = new Set(['reserve_inventory', 'process_payment', 'create_shipment', 'send_order_confirmation', 'refund_payment', 'release_inventory', 'send_rejection']);

/** The sample's actions by name, for a worker's engine. */
export function orderWorkflowActions(ledger: Ledger): Record<string, ActionFunction> {
  const services = new DemoServices();
  // Each worker process has its own in-memory warehouse: give it stock for any load.
  for (const sku of services.warehouse.stock.keys()) services.warehouse.stock.set(sku, 1_000_000);
  const actions: Record<string, ActionFunction> = {};
  for (const cls of orderActions as Array<new (s: DemoServices) => { execute(ctx: ActionContext): unknown }>) {
    const name = nameOf(cls);
    const instance = new cls(services);
    actions[name] = async (ctx) => {
      await ledger.executed(ctx.workflowId, ctx.stepId, ctx.attempt);
      const result = await instance.execute(ctx);
      const failed = result instanceof ActionResult && result.kind === 'failure';
      if (SIDE_EFFECTS.has(name) && !failed) await ledger.effect(`${name}/${ctx.idempotencyKey}`, name, ctx.workflowId);
      return result as Awaited<ReturnType<ActionFunction>>;
    };
  }
  return actions;
}

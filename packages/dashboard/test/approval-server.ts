/**
 * The document approval sample on a real Express server with the workflow API under `/api` and
 * the dashboard under `/dashboard`. Principals come from bearer tokens: one for an approver (who
 * may do everything), one for a reader (who may only look), one for a user without any permission.
 */
import { ActionResult, silentLogger, WorkflowEngine, type WorkflowDefinitionInput } from '@workflow-mastery/core';
import type { AuthorizeHook } from '@workflow-mastery/core/http';
import { bearerPrincipal, serveWithDashboard, type DashboardServer } from './dashboard-server.js';
import { DemoServices } from '@workflow-mastery/sample-document-approval/demo-services';
import { documentActions } from '@workflow-mastery/sample-document-approval/document-actions';
import { documentApprovalWorkflow } from '@workflow-mastery/sample-document-approval/document-approval.workflow';

/** Bearer tokens the test signs in with. */
export const TOKENS = { approver: 'approver-secret', reader: 'reader-secret', outsider: 'outsider-secret' } as const;

const USERS: Record<string, { id: string; roles: string[] }> = {
  [TOKENS.approver]: { id: 'ada', roles: ['admin', 'manager_role', 'legal_team', 'compliance_team', 'executive_role'] },
  [TOKENS.reader]: { id: 'rita', roles: ['reader'] },
  [TOKENS.outsider]: { id: 'oscar', roles: [] },
};

/** What a reader may do: look, never change anything. */
const READS = new Set(['instances.list', 'instances.read', 'instances.history', 'tasks.list', 'tasks.read', 'definitions.list']);

/** Admins do anything; readers look; a role completes its own tasks; users without roles may do nothing. */
function authorizer(engine: WorkflowEngine): AuthorizeHook {
  return async (principal, operation, resource) => {
    const roles = typeof principal === 'object' && Array.isArray(principal.roles) ? (principal.roles as string[]) : [];
    if (roles.includes('admin')) return true;
    if (roles.includes('reader') && READS.has(operation)) return true;
    if ((operation === 'tasks.complete' || operation === 'tasks.claim') && resource.taskId) return roles.includes((await engine.getTask(resource.taskId)).assignedTo);
    return false;
  };
}

/**
 * A second definition, for the Definitions page: a saga with compensations, retries, a loop back
 * and an escalation, in two versions.
 */
export const paymentSaga = {
  name: 'payment_saga',
  version: '2.0',
  description: 'Reserve, charge and ship; undone in reverse on failure',
  steps: {
    validate_order: { action: 'validate_order' },
    reserve_stock: { action: 'reserve_stock', compensation: 'release_stock' },
    charge_card: { action: 'charge_card', retry_attempts: 3, retry_delay: '2s', compensation: 'refund_card' },
    ship_order: { action: 'ship_order', timeout: '1h' },
  },
  transitions: [
    { from: 'validate_order', to: 'reserve_stock' },
    { from: 'reserve_stock', to: 'charge_card' },
    { from: 'charge_card', to: 'ship_order', condition: 'payment.ok === true' },
    { from: 'charge_card', to: 'reserve_stock', condition: 'payment.retry_reservation === true' },
  ],
  error_handling: { on_failure: 'compensate' },
} satisfies WorkflowDefinitionInput;

/** A one-step job whose action always fails: an instance of it shows a FAILED step. */
export const failingJob = {
  name: 'nightly_export',
  version: '1.0',
  steps: { export_rows: { action: 'export_rows' }, notify_owner: { action: 'notify_owner' } },
  transitions: [{ from: 'export_rows', to: 'notify_owner' }],
} satisfies WorkflowDefinitionInput;

/** A running server. */
export type ApprovalServer = DashboardServer;

/** Start the sample on a free port. */
export async function startApprovalServer(): Promise<ApprovalServer> {
  const services = new DemoServices();
  const engine = new WorkflowEngine({ logger: silentLogger });
  engine.registerActions(documentActions, (cls) => new cls(services));
  engine.registerDefinition(documentApprovalWorkflow);
  for (const action of ['validate_order', 'reserve_stock', 'release_stock', 'charge_card', 'refund_card', 'ship_order']) engine.registerAction(action, () => ActionResult.success());
  engine.registerDefinition({ ...paymentSaga, version: '1.0', steps: { ...paymentSaga.steps, charge_card: { action: 'charge_card' } } });
  engine.registerDefinition(paymentSaga);
  engine.registerAction('export_rows', () => ActionResult.failure('the export target refused the connection'));
  engine.registerAction('notify_owner', () => ActionResult.success());
  engine.registerDefinition(failingJob);
  await engine.ready;
  return serveWithDashboard(engine, { principal: bearerPrincipal(USERS), authorize: authorizer(engine), title: 'Approvals' });
}

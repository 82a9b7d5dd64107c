/**
 * A parcel workflow in three versions on a real Express server (API under `/api`, dashboard under
 * `/dashboard`) for the operator controls: v1 registered in code, v2 deployed at run time, v3 only
 * stored in the database (as another node would have deployed it), so the server has not loaded it.
 * Tokens: an operator who may do everything, a reader who may only look.
 */
import { ActionResult, MemoryStorage, parseDefinition, silentLogger, storedDefinitionOf, WorkflowEngine, type WorkflowDefinitionInput } from '@workflow-mastery/core';
import type { AuthorizeHook } from '@workflow-mastery/core/http';
import { bearerPrincipal, serveWithDashboard, type DashboardServer } from './dashboard-server.js';

/** Bearer tokens the test signs in with. */
export const PARCEL_TOKENS = { operator: 'operator-secret', reader: 'reader-secret' } as const;

const USERS: Record<string, { id: string; roles: string[] }> = {
  [PARCEL_TOKENS.operator]: { id: 'olga', roles: ['operator'] },
  [PARCEL_TOKENS.reader]: { id: 'rita', roles: ['reader'] },
};

const READS = new Set(['instances.list', 'instances.read', 'instances.history', 'instances.permissions', 'definitions.list', 'definitions.read']);

const authorize: AuthorizeHook = (principal, operation) => {
  const roles = typeof principal === 'object' && Array.isArray(principal.roles) ? (principal.roles as string[]) : [];
  return roles.includes('operator') || (roles.includes('reader') && READS.has(operation));
};

/** v1: pack, then wait for the courier. */
export const parcelV1 = {
  name: 'parcel',
  version: '1',
  steps: { pack: { action: 'record' }, wait_pickup: { action: 'await_pickup' } },
  transitions: [{ from: 'pack', to: 'wait_pickup' }],
} satisfies WorkflowDefinitionInput;

/** v2: the wait renamed await_courier, then notify. */
export const parcelV2 = {
  name: 'parcel',
  version: '2',
  steps: { pack: { action: 'record' }, await_courier: { action: 'await_pickup' }, notify: { action: 'record' } },
  transitions: [{ from: 'pack', to: 'await_courier' }, { from: 'await_courier', to: 'notify' }],
} satisfies WorkflowDefinitionInput;

/** v3: stored only (no instance, never loaded here). */
export const parcelV3 = {
  name: 'parcel',
  version: '3',
  description: 'Deployed from another node',
  steps: { pack: { action: 'record' }, hand_over: { action: 'await_pickup' }, notify: { action: 'record' }, invoice: { action: 'record' } },
  transitions: [{ from: 'pack', to: 'hand_over' }, { from: 'hand_over', to: 'notify' }, { from: 'notify', to: 'invoice' }],
} satisfies WorkflowDefinitionInput;

/** A running server. */
export type ParcelServer = DashboardServer;

/** Start it on a free port. */
export async function startParcelServer(): Promise<ParcelServer> {
  const storage = new MemoryStorage();
  const engine = new WorkflowEngine({ storage, logger: silentLogger });
  engine.registerAction('record', (ctx) => ActionResult.success({ [`${ctx.stepId}_count`]: Number(ctx.data[`${ctx.stepId}_count`] ?? 0) + 1 }));
  engine.registerAction('await_pickup', (ctx) => (ctx.data.picked ? ActionResult.success({ picked_ok: true }) : ActionResult.wait({ signal: 'picked_up' })));
  engine.registerDefinition(parcelV1);
  await engine.ready;
  await engine.deployDefinition(parcelV2);
  await storage.saveDefinition(storedDefinitionOf(parseDefinition(parcelV3), Date.now()));
  return serveWithDashboard(engine, { principal: bearerPrincipal(USERS), authorize, title: 'Parcels' });
}

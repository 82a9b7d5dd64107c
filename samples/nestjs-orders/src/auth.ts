/**
 * Who may do what over HTTP. The principal is the `x-user` header (no header: 401); a user's role
 * comes from a small table standing in for a user directory. Anyone signed in may place orders and
 * read them; only the risk team sends manual review decisions (the `review_decision` signal); the
 * rest (cancel, pause, retry, metrics...) is for ops.
 */
import type { AuthorizeHook, WorkflowPrincipal } from '@workflow-mastery/core/http';
import type { WorkflowHttpNestRequest } from '@workflow-mastery/nestjs';

export type Role = 'customer' | 'risk_team' | 'ops';

/** Users with a role other than `customer`. */
export const USER_ROLES: Record<string, Role> = { rita: 'risk_team', oscar: 'ops' };

/** The `x-user` header as the principal: `{ id, role }`, or undefined (401). */
export function headerPrincipal(req: WorkflowHttpNestRequest): WorkflowPrincipal | undefined {
  const header = req.headers['x-user'];
  const id = (Array.isArray(header) ? header[0] : header)?.trim();
  if (!id) return undefined;
  return { id, role: USER_ROLES[id] ?? 'customer' };
}

const READS = new Set(['instances.read', 'instances.list', 'instances.history', 'tasks.list', 'tasks.read', 'definitions.list', 'health.read', 'openapi.read']);

/** Anything else than `true` is a 403 `WF_FORBIDDEN`. */
export const authorizeOrders: AuthorizeHook = (principal, operation) => {
  const role = typeof principal === 'string' ? 'customer' : (principal.role as Role);
  if (READS.has(operation) || operation === 'instances.start') return true;
  if (operation === 'instances.signal') return role === 'risk_team' || role === 'ops';
  return role === 'ops';
};

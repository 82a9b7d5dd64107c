/**
 * Who may do what over HTTP. DEMO ONLY: the principal is a demo bearer token (the dashboard's
 * sign-in, {@link DEMO_TOKENS}) or the `x-user` header, which any client can set (see README.md for
 * real wiring); no principal: 401. A user's role comes from a small table standing in for a user
 * directory. Anyone signed in may place orders and read them; only the risk team sends manual
 * review decisions (the `review_decision` signal), and no other signal; the rest (other signals,
 * cancel, pause, retry, metrics...) is for ops.
 */
import type { AuthorizeHook, WorkflowPrincipal } from '@workflow-mastery/core/http';
import type { WorkflowHttpNestRequest } from '@workflow-mastery/nestjs';
import { demoTokenPrincipal, type DemoTokens } from '@workflow-mastery/sample-kit';

export type Role = 'customer' | 'risk_team' | 'ops';

/** Users with a role other than `customer`. */
export const USER_ROLES: Record<string, Role> = { rita: 'risk_team', oscar: 'ops' };

/** The signal of a manual review's decision: the risk team's, and only theirs. */
export const REVIEW_SIGNAL = 'review_decision';

/** DEMO ONLY: tokens for the dashboard's "Sign in with a token", one per role. */
export const DEMO_TOKENS: DemoTokens = {
  'demo-customer': { id: 'alice', role: 'customer' },
  'demo-risk': { id: 'rita', role: 'risk_team' },
  'demo-ops': { id: 'oscar', role: 'ops' },
};

/** A demo token's user, else the `x-user` header as `{ id, role }`, else undefined (401). */
export function headerPrincipal(req: WorkflowHttpNestRequest): WorkflowPrincipal | undefined {
  const signedIn = demoTokenPrincipal(req.headers, DEMO_TOKENS);
  if (signedIn !== undefined) return signedIn ?? undefined;
  const header = req.headers['x-user'];
  const id = (Array.isArray(header) ? header[0] : header)?.trim();
  if (!id) return undefined;
  return { id, role: USER_ROLES[id] ?? 'customer' };
}

const READS = new Set(['instances.read', 'instances.list', 'instances.history', 'tasks.list', 'tasks.read', 'definitions.list', 'definitions.read', 'definitions.diagram', 'instances.diagram', 'health.read', 'openapi.read']);

/** Anything else than `true` is a 403 `WF_FORBIDDEN`. */
export const authorizeOrders: AuthorizeHook = (principal, operation, resource) => {
  const role = typeof principal === 'string' ? 'customer' : (principal.role as Role);
  if (READS.has(operation) || operation === 'instances.start') return true;
  if (operation === 'instances.signal') return resource.signal === REVIEW_SIGNAL ? role === 'risk_team' : role === 'ops';
  return role === 'ops';
};

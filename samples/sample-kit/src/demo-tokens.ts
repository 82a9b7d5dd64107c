/**
 * Demo sign-in for the framework samples' dashboards: fixed bearer tokens, one per demo user, that
 * a person pastes into the dashboard's "Sign in with a token" form (sent as
 * `Authorization: Bearer <token>`). DEMO ONLY: the tokens are printed on startup and written in the
 * READMEs; a real app verifies a signed token (a JWT) or a session instead — see the samples' READMEs.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { WorkflowPrincipal } from '@workflow-mastery/core/http';

/** Who a demo token signs in as. */
export interface DemoUser {
  id: string;
  role: string;
}

/** Demo tokens by value: `demo-<name>` → the user it signs in as. */
export type DemoTokens = Readonly<Record<string, DemoUser>>;

/** The token of an `Authorization: Bearer <token>` header; `null` for another or a malformed scheme; `undefined` with no header. */
export function bearerToken(headers: IncomingHttpHeaders): string | null | undefined {
  const value = headers.authorization;
  if (value === undefined || value === '') return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(value);
  return match ? match[1]! : null;
}

/**
 * The principal of a request signed in with a demo token: `{ id, role }`. `null` when an
 * `Authorization` header is present but names no demo token (a 401, never a fall back to other
 * headers); `undefined` when there is no `Authorization` header at all.
 */
export function demoTokenPrincipal(headers: IncomingHttpHeaders, tokens: DemoTokens): WorkflowPrincipal | null | undefined {
  const token = bearerToken(headers);
  if (token === undefined) return undefined;
  const user = token !== null && Object.hasOwn(tokens, token) ? tokens[token] : undefined;
  return user ? { id: user.id, role: user.role } : null;
}

/** Lines for the startup banner: where the dashboard is and which token signs in as whom. */
export function demoSignInHint(dashboardUrl: string, tokens: DemoTokens): string[] {
  return [
    `dashboard: ${dashboardUrl}  (sign in with a demo token: "Sign in with a token", top right)`,
    ...Object.entries(tokens).map(([token, user]) => `  ${token.padEnd(18)} ${user.id} (${user.role})`),
  ];
}

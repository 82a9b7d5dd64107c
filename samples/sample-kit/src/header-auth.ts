/**
 * The framework samples' authentication and authorization. DEMO ONLY: the principal comes from a
 * demo bearer token (the dashboard's sign-in) or from the `x-user` and `x-role` headers, which any
 * client can set to anything, so any caller can claim any role. A real app derives the principal
 * from a verified credential (a JWT, a session): see the samples' READMEs. No principal: 401. Anyone signed in may start instances and read; a task
 * may only be claimed or completed by the role it is assigned to; the rest (cancel, pause, retry,
 * signals, metrics) is for `admin`.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { NotFoundError, type WorkflowEngine } from '@workflow-mastery/core';
import { type AuthorizeHook, type WorkflowPrincipal } from '@workflow-mastery/core/http';
import { demoTokenPrincipal, type DemoTokens } from './demo-tokens.js';

const header = (headers: IncomingHttpHeaders, name: string) => {
  const value = headers[name];
  return (Array.isArray(value) ? value[0] : value)?.trim() || undefined;
};

/**
 * The user of a demo token in `Authorization: Bearer` (an unknown token: undefined, a 401), else
 * `{ id: x-user, role: x-role ?? defaultRole }`, else undefined (401).
 */
export function headerPrincipal(headers: IncomingHttpHeaders, defaultRole: string, tokens: DemoTokens = {}): WorkflowPrincipal | undefined {
  const signedIn = demoTokenPrincipal(headers, tokens);
  if (signedIn !== undefined) return signedIn ?? undefined;
  const id = header(headers, 'x-user');
  return id ? { id, role: header(headers, 'x-role') ?? defaultRole } : undefined;
}

const READS = new Set(['instances.read', 'instances.list', 'instances.history', 'tasks.list', 'tasks.read', 'definitions.list', 'definitions.read', 'definitions.diagram', 'instances.diagram', 'health.read', 'openapi.read']);

/** The authorize hook: tasks are acted on only by the role they are assigned to. */
export function roleAuthorizer(engine: WorkflowEngine): AuthorizeHook {
  return async (principal, operation, resource) => {
    const role = typeof principal === 'string' ? undefined : (principal.role as string | undefined);
    if (READS.has(operation) || operation === 'instances.start') return true;
    if (operation === 'tasks.complete' || operation === 'tasks.claim') {
      try {
        return (await engine.getTask(resource.taskId!)).assignedTo === role;
      } catch (error) {
        if (error instanceof NotFoundError) return true; // answered 404 after this
        throw error;
      }
    }
    return role === 'admin';
  };
}

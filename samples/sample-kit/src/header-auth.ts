/**
 * The framework samples' authentication and authorization: the principal comes from the `x-user`
 * and `x-role` headers (no `x-user`: 401); anyone signed in may start instances and read; a task
 * may only be claimed or completed by the role it is assigned to; the rest (cancel, pause, retry,
 * signals, metrics) is for `admin`.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { NotFoundError, type WorkflowEngine } from '@workflow-mastery/core';
import { type AuthorizeHook, type WorkflowPrincipal } from '@workflow-mastery/core/http';

const header = (headers: IncomingHttpHeaders, name: string) => {
  const value = headers[name];
  return (Array.isArray(value) ? value[0] : value)?.trim() || undefined;
};

/** `{ id: x-user, role: x-role ?? defaultRole }`, or undefined when there is no `x-user` (401). */
export function headerPrincipal(headers: IncomingHttpHeaders, defaultRole: string): WorkflowPrincipal | undefined {
  const id = header(headers, 'x-user');
  return id ? { id, role: header(headers, 'x-role') ?? defaultRole } : undefined;
}

const READS = new Set(['instances.read', 'instances.list', 'instances.history', 'tasks.list', 'tasks.read', 'definitions.list', 'health.read', 'openapi.read']);

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

/**
 * The framework samples' client of their own HTTP API (under `/api`), as a user with the
 * `x-user` / `x-role` headers the samples' auth reads.
 */
import type { InstanceRecord } from '@workflow-mastery/core';

/** A caller of the API. */
export interface Caller {
  user?: string;
  role?: string;
}

/** Calls the API; returns the status and the JSON body. */
export async function request<T = unknown>(base: string, caller: Caller, method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${base}/api${path}`, {
    method,
    headers: {
      ...(caller.user ? { 'x-user': caller.user } : {}),
      ...(caller.role ? { 'x-role': caller.role } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as T };
}

/** Like {@link request}, throwing unless the status is 2xx. */
export async function call<T = InstanceRecord>(base: string, caller: Caller, method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const out = await request<T & { error?: { code: string; message: string } }>(base, caller, method, path, body);
  if (out.status >= 300) throw new Error(`${method} ${path} as ${caller.user ?? 'nobody'}: ${out.status} ${out.body.error?.code} ${out.body.error?.message}`);
  return out.body;
}

/** Steps as they ended, from the instance's history (`(skipped)`, `(failed)`, `↩` a compensation). */
export async function pathOf(base: string, caller: Caller, id: string): Promise<string[]> {
  const { items } = await call<{ items: Array<{ type: string; stepId?: string; data?: { action?: string } }> }>(base, caller, 'GET', `/instances/${id}/history`);
  return items.flatMap((e) => {
    if (e.type === 'step.completed') return [e.stepId!];
    if (e.type === 'step.skipped') return [`${e.stepId}(skipped)`];
    if (e.type === 'step.failed') return [`${e.stepId}(failed)`];
    if (e.type === 'compensation.step_completed') return [`↩${String(e.data?.action)}`];
    return [];
  });
}

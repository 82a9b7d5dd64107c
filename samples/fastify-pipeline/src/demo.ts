/**
 * `--demo`: one build through the pipeline over HTTP. A developer starts it
 * (`POST /api/workflows/cicd_pipeline/instances`); once e2e tests pass on staging, the release
 * manager finds the approval gate (`GET /api/tasks?assignedTo=release_manager`) and approves it
 * (`POST /api/tasks/:id/complete`), and the build goes to production.
 */
import type { InstanceRecord, JsonObject, WorkflowTask } from '@workflow-mastery/core';
import type { PipelineInput } from '@workflow-mastery/sample-cicd-pipeline/pipeline-actions';

/** The release manager of the demo. */
export const releaseManager = { user: 'rita', role: 'release_manager' };

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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Steps as they ended, from the instance's history (`↩` marks a rollback). */
export async function pathOf(base: string, id: string): Promise<string[]> {
  const { items } = await call<{ items: Array<{ type: string; stepId?: string; data?: { action?: string } }> }>(base, { user: 'auditor' }, 'GET', `/instances/${id}/history`);
  return items.flatMap((e) => {
    if (e.type === 'step.completed') return [e.stepId!];
    if (e.type === 'step.skipped') return [`${e.stepId}(skipped)`];
    if (e.type === 'step.failed') return [`${e.stepId}(failed)`];
    if (e.type === 'compensation.step_completed') return [`↩${String(e.data?.action)}`];
    return [];
  });
}

/** The open approval gate of an instance, once it opens (undefined if the run ends first). */
export async function approvalGate(base: string, instanceId: string, timeoutMs = 30_000): Promise<WorkflowTask | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { items } = await call<{ items: WorkflowTask[] }>(base, releaseManager, 'GET', `/tasks?assignedTo=release_manager&instanceId=${instanceId}`);
    if (items[0]) return items[0];
    const inst = await call(base, releaseManager, 'GET', `/instances/${instanceId}`);
    if (['COMPLETED', 'FAILED', 'CANCELLED'].includes(inst.state)) return undefined;
    if (Date.now() > deadline) throw new Error(`no approval gate for ${instanceId} after ${timeoutMs} ms`);
    await sleep(20);
  }
}

/** Polls the instance until it ends. */
export async function finished(base: string, instanceId: string, timeoutMs = 30_000): Promise<InstanceRecord> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const inst = await call(base, { user: 'dev' }, 'GET', `/instances/${instanceId}`);
    if (['COMPLETED', 'FAILED', 'CANCELLED'].includes(inst.state)) return inst;
    if (Date.now() > deadline) throw new Error(`instance ${instanceId} still ${inst.state} after ${timeoutMs} ms`);
    await sleep(20);
  }
}

/** Starts a build and has the release manager decide the gate; returns the ended instance. */
export async function runBuild(base: string, input: PipelineInput, approve = true, write: (line: string) => void = () => undefined): Promise<InstanceRecord> {
  const started = await call(base, { user: input.build.requested_by }, 'POST', '/workflows/cicd_pipeline/instances', { data: input as unknown as JsonObject });
  write(`${input.build.requested_by} started ${input.build.id} (${input.build.repo}#${input.build.branch}) → instance ${started.id}`);
  const gate = await approvalGate(base, started.id);
  if (gate) {
    write(`${releaseManager.user} (release_manager) sees ${gate.stepId} (due ${new Date(gate.dueAt ?? 0).toISOString()}) and ${approve ? 'approves' : 'refuses'}`);
    await call(base, releaseManager, 'POST', `/tasks/${encodeURIComponent(gate.id)}/complete`, { data: { approved: approve, approval: { by: releaseManager.user } } });
  }
  return finished(base, started.id);
}

/** The demo: a green build, approved and released. True when it completed. */
export async function runDemo(base: string, write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)): Promise<boolean> {
  const instance = await runBuild(base, { build: { id: 'B-3001', repo: 'acme/shop', branch: 'main', requested_by: 'dev' } }, true, write);
  write('');
  write(`path:  ${(await pathOf(base, instance.id)).join(' → ')}`);
  write(`state: ${instance.state}${instance.error ? ` (${instance.error.code}: ${instance.error.message})` : ''}`);
  return instance.state === 'COMPLETED';
}

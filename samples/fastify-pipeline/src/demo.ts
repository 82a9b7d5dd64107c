/**
 * `--demo`: one build through the pipeline over HTTP. A developer starts it
 * (`POST /api/workflows/cicd_pipeline/instances`); once e2e tests pass on staging, the release
 * manager finds the approval gate (`GET /api/tasks?assignedTo=release_manager`) and approves it
 * (`POST /api/tasks/:id/complete`), and the build goes to production.
 */
import type { InstanceRecord, JsonObject, WorkflowTask } from '@workflow-mastery/core';
import type { PipelineInput } from '@workflow-mastery/sample-cicd-pipeline/pipeline-actions';
import { call, pathOf as historyPath } from '@workflow-mastery/sample-kit';

export { call, request, type Caller } from '@workflow-mastery/sample-kit';

/** The release manager of the demo. */
export const releaseManager = { user: 'rita', role: 'release_manager' };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Steps as they ended, from the instance's history, read as an auditor. */
export const pathOf = (base: string, id: string): Promise<string[]> => historyPath(base, { user: 'auditor' }, id);

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

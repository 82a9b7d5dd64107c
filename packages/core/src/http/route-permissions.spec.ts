import { afterEach, describe, expect, it } from '@jest/globals';
import { ActionResult } from '../actions/action-result.js';
import { WorkflowEngine } from '../engine/workflow-engine.js';
import { silentLogger } from '../logger.js';
import type { AuthorizeHook, WorkflowHttpRequest, WorkflowOperation } from './http.types.js';
import { INSTANCE_OPERATIONS } from './route-permissions.js';
import { createWorkflowApi } from './workflow-api.js';

const engines: WorkflowEngine[] = [];
async function makeEngine(): Promise<WorkflowEngine> {
  const engine = new WorkflowEngine({ logger: silentLogger, actions: { ok: () => ActionResult.success() }, definitions: [{ name: 'flow', steps: { a: { action: 'ok' } } }] });
  engines.push(engine);
  await engine.ready;
  return engine;
}
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.close()));
});

/** Readers read; operators also pause, resume and cancel; admins do anything. Records each question. */
function roleAuthorizer(asked: Array<[string, WorkflowOperation, string | undefined]>): AuthorizeHook {
  const reads = new Set<WorkflowOperation>(['instances.read', 'instances.history']);
  const ops = new Set<WorkflowOperation>([...reads, 'instances.pause', 'instances.resume', 'instances.cancel']);
  return (principal, operation, resource) => {
    const id = typeof principal === 'string' ? principal : principal.id;
    asked.push([id, operation, resource.definition]);
    return id === 'admin' || (id === 'operator' ? ops : id === 'reader' ? reads : new Set()).has(operation);
  };
}

async function permissions(principal: string | undefined, instanceId: string, authorize: AuthorizeHook) {
  const engine = engines[0]!;
  const api = createWorkflowApi({ engine, authorize });
  const matched = api.match('GET', `/instances/${encodeURIComponent(instanceId)}/permissions`)!;
  expect(matched.route.operation).toBe('instances.permissions');
  const request: WorkflowHttpRequest = { params: matched.params, query: {}, body: undefined, ...(principal ? { principal } : {}) };
  return matched.route.handle(request);
}

describe('GET /instances/:id/permissions', () => {
  it('lists the operations authorize allows the caller on that instance, asking with the instance as the resource', async () => {
    const engine = await makeEngine();
    const inst = await engine.start('flow', {});
    const asked: Array<[string, WorkflowOperation, string | undefined]> = [];
    const authorize = roleAuthorizer(asked);
    await expect(permissions('reader', inst.id, authorize)).resolves.toEqual({ status: 200, body: { instanceId: inst.id, operations: ['instances.read', 'instances.history'] } });
    // The route itself is authorized as instances.read; then one question per operation, about this instance's definition.
    expect(asked).toEqual([['reader', 'instances.read', 'flow'], ...INSTANCE_OPERATIONS.map((op) => ['reader', op, 'flow'])]);
    await expect(permissions('operator', inst.id, authorize)).resolves.toMatchObject({ status: 200, body: { operations: ['instances.read', 'instances.history', 'instances.pause', 'instances.resume', 'instances.cancel'] } });
    await expect(permissions('admin', inst.id, authorize)).resolves.toMatchObject({ status: 200, body: { operations: [...INSTANCE_OPERATIONS] } });
  });

  it('is refused to whoever may not read the instance, and needs a principal', async () => {
    const engine = await makeEngine();
    const inst = await engine.start('flow', {});
    const authorize = roleAuthorizer([]);
    await expect(permissions('stranger', inst.id, authorize)).resolves.toMatchObject({ status: 403, body: { error: { code: 'WF_FORBIDDEN', details: { operation: 'instances.read' } } } });
    await expect(permissions(undefined, inst.id, authorize)).resolves.toMatchObject({ status: 401, body: { error: { code: 'WF_UNAUTHENTICATED' } } });
  });

  it('answers 404 for an unknown instance once the caller may read', async () => {
    await makeEngine();
    await expect(permissions('admin', 'nope', roleAuthorizer([]))).resolves.toMatchObject({ status: 404, body: { error: { code: 'WF_NOT_FOUND' } } });
  });

  it("allows everything with auth: 'none', and is in the OpenAPI document", async () => {
    const engine = await makeEngine();
    const inst = await engine.start('flow', {});
    const api = createWorkflowApi({ engine, auth: 'none' });
    const matched = api.match('GET', `/instances/${inst.id}/permissions`)!;
    await expect(matched.route.handle({ params: matched.params, query: {}, body: undefined })).resolves.toMatchObject({ status: 200, body: { operations: [...INSTANCE_OPERATIONS] } });
    const doc = api.openapi() as { paths: Record<string, Record<string, { operationId: string; responses: Record<string, unknown> }>> };
    const op = doc.paths['/instances/{id}/permissions']!.get!;
    expect(op.operationId).toBe('instancesPermissions');
    // With auth: 'none' every operation is public: no 401/403 documented.
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['200', '404']));
    expect(Object.keys(op.responses)).not.toContain('401');
  });
});

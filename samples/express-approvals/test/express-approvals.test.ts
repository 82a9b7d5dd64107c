/** End to end over real HTTP: the Express app on 127.0.0.1:0 (MemoryStorage), fetch as the client. */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { WorkflowTask } from '@workflow-mastery/core';
import { DASHBOARD_PATH, startServer, type RunningServer } from '../src/app.js';
import { approval, call, driveDocument, pathOf, request, runDemo } from '../src/demo.js';
import type { DocumentInput } from '@workflow-mastery/sample-document-approval/document-actions';
import { expectDashboardServed } from '../../sample-kit/test/dashboard-served.js';

let server: RunningServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.close();
});

const contract = (id: string): DocumentInput => ({ id, title: 'Supply agreement', type: 'contract', value: 250_000, author: 'adam' });

async function openTask(instanceId: string, role: string): Promise<WorkflowTask> {
  for (let i = 0; i < 300; i++) {
    const { items } = await call<{ items: WorkflowTask[] }>(server.url, { user: 'x', role }, 'GET', `/tasks?assignedTo=${role}&instanceId=${instanceId}`);
    if (items[0]) return items[0];
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`no open task for ${role}`);
}

describe('Express approvals sample', () => {
  it('answers 401 without x-user', async () => {
    const listed = await request<{ error: { code: string } }>(server.url, {}, 'GET', '/tasks?assignedTo=manager_role');
    expect([listed.status, listed.body.error.code]).toEqual([401, 'WF_UNAUTHENTICATED']);
    const started = await request(server.url, { role: 'manager_role' }, 'POST', '/workflows/document_approval/instances', { data: { document: contract('D-0') } });
    expect(started.status).toBe(401);
  });

  it('lets only the assigned role complete a task (403 otherwise), then every task completes the document', async () => {
    const inst = await call(server.url, { user: 'adam' }, 'POST', '/workflows/document_approval/instances', { data: { document: contract('D-1') } });
    expect(inst.startedBy).toBe('adam');
    const task = await openTask(inst.id, 'manager_role');
    expect(task).toMatchObject({ stepId: 'initial_review', assignedTo: 'manager_role', state: 'OPEN' });

    const asLegal = await request<{ error: { code: string } }>(server.url, { user: 'lee', role: 'legal_team' }, 'POST', `/tasks/${task.id}/complete`, { data: approval('initial_review', 'lee') });
    expect([asLegal.status, asLegal.body.error.code]).toEqual([403, 'WF_FORBIDDEN']);
    const asAuthor = await request(server.url, { user: 'adam' }, 'POST', `/tasks/${task.id}/complete`, { data: approval('initial_review', 'adam') });
    expect(asAuthor.status).toBe(403);
    const noPrincipal = await request(server.url, {}, 'POST', `/tasks/${task.id}/complete`, { data: approval('initial_review', 'x') });
    expect(noPrincipal.status).toBe(401);
    expect((await call<WorkflowTask>(server.url, { user: 'mia' }, 'GET', `/tasks/${task.id}`)).state).toBe('OPEN');

    const done = await request(server.url, { user: 'mia', role: 'manager_role' }, 'POST', `/tasks/${task.id}/complete`, { data: approval('initial_review', 'mia') });
    expect(done.status).toBe(200);

    for (const [role, step] of [['legal_team', 'legal_review'], ['compliance_team', 'compliance_review'], ['executive_role', 'final_approval']] as const) {
      const next = await openTask(inst.id, role);
      expect(next.stepId).toBe(step);
      expect((await request(server.url, { user: 'u', role }, 'POST', `/tasks/${next.id}/complete`, { data: approval(step, 'u') })).status).toBe(200);
    }
    let final = await call(server.url, { user: 'adam' }, 'GET', `/instances/${inst.id}`);
    for (let i = 0; i < 300 && final.state !== 'COMPLETED'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      final = await call(server.url, { user: 'adam' }, 'GET', `/instances/${inst.id}`);
    }
    expect(final.state).toBe('COMPLETED');
    expect(await pathOf(server.url, inst.id)).toEqual(['submit_document', 'initial_review', 'legal_review', 'compliance_review', 'final_approval', 'archive_document']);
  });

  it('skips the parallel reviews of a small memo', async () => {
    const { instance, completed } = await driveDocument(server.url, { id: 'M-1', title: 'Memo', type: 'memo', value: 500, author: 'adam' });
    expect(instance.state).toBe('COMPLETED');
    expect(completed).toEqual(['initial_review', 'final_approval']);
  });

  it('deploys definitions/quick-approval.json over HTTP as the README shows (admin only), then starts it by name', async () => {
    const definition: unknown = JSON.parse(readFileSync(new URL('../definitions/quick-approval.json', import.meta.url), 'utf8'));
    const refused = await request<{ error: { code: string } }>(server.url, { user: 'adam', role: 'author' }, 'POST', '/definitions', definition);
    expect([refused.status, refused.body.error.code]).toEqual([403, 'WF_FORBIDDEN']);
    const deployed = await request<{ name: string; version: string; created: boolean }>(server.url, { user: 'ada', role: 'admin' }, 'POST', '/definitions', definition);
    expect([deployed.status, deployed.body]).toEqual([201, expect.objectContaining({ name: 'quick_approval', version: '1', created: true })]);
    const again = await request<{ created: boolean }>(server.url, { user: 'ada', role: 'admin' }, 'POST', '/definitions', definition);
    expect([again.status, again.body.created]).toEqual([200, false]);
    const read = await call<{ definition: { steps: object } }>(server.url, { user: 'adam' }, 'GET', '/definitions/quick_approval/versions/1');
    expect(Object.keys(read.definition.steps)).toContain('initial_review');

    const inst = await call(server.url, { user: 'adam' }, 'POST', '/workflows/quick_approval/instances', { data: { document: contract('Q-1') } });
    expect(inst.definitionName).toBe('quick_approval');
    const task = await openTask(inst.id, 'manager_role');
    expect((await request(server.url, { user: 'mia', role: 'manager_role' }, 'POST', `/tasks/${task.id}/complete`, { data: approval('initial_review', 'mia') })).status).toBe(200);
    let final = await call(server.url, { user: 'adam' }, 'GET', `/instances/${inst.id}`);
    for (let i = 0; i < 300 && final.state !== 'COMPLETED'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      final = await call(server.url, { user: 'adam' }, 'GET', `/instances/${inst.id}`);
    }
    expect(await pathOf(server.url, inst.id)).toEqual(['submit_document', 'initial_review', 'archive_document']);
  });

  it('runs the --demo', async () => {
    const lines: string[] = [];
    expect(await runDemo(server.url, (line) => lines.push(line))).toBe(true);
    expect(lines).toContain('path:  submit_document → initial_review → legal_review → compliance_review → final_approval → archive_document');
  });

  it('serves the dashboard, and a browser signed in with a demo token reaches the API as that role', async () => {
    await expectDashboardServed(server.url, DASHBOARD_PATH, 'Document approvals');

    // What the page sends after "Sign in with a token": Authorization: Bearer <token>.
    const as = (token: string) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });
    const started = await fetch(`${server.url}/api/workflows/document_approval/instances`, { method: 'POST', headers: as('demo-author'), body: JSON.stringify({ data: { document: contract('D-9') } }) });
    expect(started.status).toBe(201);
    const inst = (await started.json()) as { id: string; startedBy: string };
    expect(inst.startedBy).toBe('adam');
    const task = await openTask(inst.id, 'manager_role');
    const byAuthor = await fetch(`${server.url}/api/tasks/${task.id}/complete`, { method: 'POST', headers: as('demo-author'), body: JSON.stringify({ data: approval('initial_review', 'adam') }) });
    expect(byAuthor.status).toBe(403);
    const byManager = await fetch(`${server.url}/api/tasks/${task.id}/complete`, { method: 'POST', headers: as('demo-manager'), body: JSON.stringify({ data: approval('initial_review', 'mia') }) });
    expect(byManager.status).toBe(200);
    expect((await fetch(`${server.url}/api/instances/${inst.id}/cancel`, { method: 'POST', headers: as('demo-admin'), body: '{}' })).status).toBe(200);
    // An unknown token is no principal, even with x-user beside it.
    const forged = await fetch(`${server.url}/api/instances`, { headers: { authorization: 'Bearer forged', 'x-user': 'ada', 'x-role': 'admin' } });
    expect(forged.status).toBe(401);
  });
});

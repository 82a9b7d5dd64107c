/** End to end over real HTTP: the Fastify app on 127.0.0.1:0 (MemoryStorage), fetch as the client. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DASHBOARD_PATH, startServer, type RunningServer } from '../src/app.js';
import { approvalGate, call, finished, pathOf, request, runBuild, runDemo } from '../src/demo.js';
import type { PipelineInput } from '@workflow-mastery/sample-cicd-pipeline/pipeline-actions';
import { expectDashboardServed } from '../../sample-kit/test/dashboard-served.js';

let server: RunningServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.close();
});

const build = (id: string, fail: PipelineInput['simulate'] = undefined): PipelineInput => ({
  build: { id, repo: 'acme/shop', branch: 'main', requested_by: 'dev' },
  ...(fail ? { simulate: fail } : {}),
});

describe('Fastify pipeline sample', () => {
  it('answers 401 without x-user', async () => {
    const started = await request<{ error: { code: string } }>(server.url, {}, 'POST', '/workflows/cicd_pipeline/instances', { data: build('B-0') });
    expect([started.status, started.body.error.code]).toEqual([401, 'WF_UNAUTHENTICATED']);
    expect((await request(server.url, { role: 'release_manager' }, 'GET', '/tasks')).status).toBe(401);
  });

  it('completes the approval gate only as release_manager (403 otherwise), then releases to production', async () => {
    const inst = await call(server.url, { user: 'dev' }, 'POST', '/workflows/cicd_pipeline/instances', { data: build('B-1') });
    const gate = (await approvalGate(server.url, inst.id))!;
    expect(gate).toMatchObject({ stepId: 'approval_gate', assignedTo: 'release_manager', state: 'OPEN' });

    const asDev = await request<{ error: { code: string } }>(server.url, { user: 'dev', role: 'developer' }, 'POST', `/tasks/${gate.id}/complete`, { data: { approved: true } });
    expect([asDev.status, asDev.body.error.code]).toEqual([403, 'WF_FORBIDDEN']);
    expect((await request(server.url, {}, 'POST', `/tasks/${gate.id}/complete`, { data: { approved: true } })).status).toBe(401);

    const approved = await request(server.url, { user: 'rita', role: 'release_manager' }, 'POST', `/tasks/${gate.id}/complete`, { data: { approved: true } });
    expect(approved.status).toBe(200);
    const done = await finished(server.url, inst.id);
    expect(done.state).toBe('COMPLETED');
    const path = await pathOf(server.url, inst.id);
    // The two parallel suites finish in either order.
    expect([path[0], ...path.slice(1, 3).sort()]).toEqual(['checkout_code', 'run_unit_tests', 'security_scan']);
    expect(path.slice(3)).toEqual(['run_integration_tests', 'build_artifacts', 'deploy_staging', 'run_e2e_tests', 'approval_gate', 'deploy_production', 'smoke_tests']);
  });

  it('rolls staging back and notifies when the release is refused', async () => {
    const done = await runBuild(server.url, build('B-2'), false);
    expect([done.state, done.error?.code]).toEqual(['FAILED', 'WF_NO_ROUTE']);
    expect(await pathOf(server.url, done.id)).toContain('↩rollback_staging');
    expect(await server.services.notified(done.id, ['slack', 'pagerduty'])).toBe(true);
  });

  it('runs the --demo', async () => {
    const lines: string[] = [];
    expect(await runDemo(server.url, (line) => lines.push(line))).toBe(true);
    expect(lines.join('\n')).toMatch(/state: COMPLETED/);
  });

  it('serves the dashboard, and a browser signed in with a demo token reaches the API as that role', async () => {
    await expectDashboardServed(server.url, DASHBOARD_PATH, 'Release pipeline');

    // What the page sends after "Sign in with a token": Authorization: Bearer <token>.
    const as = (token: string) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });
    const started = await fetch(`${server.url}/api/workflows/cicd_pipeline/instances`, { method: 'POST', headers: as('demo-developer'), body: JSON.stringify({ data: build('B-9') }) });
    expect(started.status).toBe(201);
    const inst = (await started.json()) as { id: string; startedBy: string };
    expect(inst.startedBy).toBe('dev');
    const gate = (await approvalGate(server.url, inst.id))!;
    const byDeveloper = await fetch(`${server.url}/api/tasks/${gate.id}/complete`, { method: 'POST', headers: as('demo-developer'), body: JSON.stringify({ data: { approved: true } }) });
    expect(byDeveloper.status).toBe(403);
    expect((await fetch(`${server.url}/api/instances/${inst.id}/cancel`, { method: 'POST', headers: as('demo-admin'), body: '{}' })).status).toBe(200);
    const forged = await fetch(`${server.url}/api/instances`, { headers: { authorization: 'Bearer forged', 'x-user': 'ada', 'x-role': 'admin' } });
    expect(forged.status).toBe(401);
  });
});

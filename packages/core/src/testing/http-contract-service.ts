/** The HTTP contract's service routes: definitions, health, readiness, metrics, OpenAPI. */
import { describe, expect, it } from '@jest/globals';
import { approval, type ContractHarness } from './http-contract-harness.js';

/** Registers the cases of the HTTP contract's service routes: definitions, health, readiness, metrics, OpenAPI. */
export function serviceCases(h: ContractHarness): void {
  const { setup, expectError } = h;

  describe('GET /definitions, /health, /metrics, /openapi.json', () => {
    it('lists definitions in their storable format', async () => {
      const { call } = await setup();
      const res = await call('GET', '/definitions');
      expect(res.status).toBe(200);
      const approvalDef = res.body.items.find((d: { name: string }) => d.name === 'contract_approval');
      expect(approvalDef).toMatchObject({ version: '1', steps: { approve: { action: 'ok', assigned_to: 'manager' } }, transitions: approval.transitions });
      expect(res.body.items.map((d: { name: string }) => d.name).sort()).toEqual(['contract_approval', 'contract_failing', 'contract_quick', 'contract_signal']);
    });

    it('reports health', async () => {
      const { call } = await setup();
      const res = await call('GET', '/health');
      expect([res.status, res.body]).toEqual([200, { status: 'ok' }]);
    });

    it('serves Prometheus text with instance counts per state', async () => {
      const { call, started } = await setup();
      await started('contract_quick');
      await started('contract_signal');
      const res = await call('GET', '/metrics');
      expect(res.status).toBe(200);
      expect(String(res.headers['content-type'])).toMatch(/^text\/plain; ?version=0\.0\.4/);
      expect(typeof res.body).toBe('string');
      expect(res.body).toContain('# TYPE workflow_instances gauge');
      expect(res.body).toContain('workflow_instances{state="COMPLETED"} 1');
      expect(res.body).toContain('workflow_instances{state="WAITING"} 1');
      expect(res.body).toContain('workflow_instances{state="FAILED"} 0');
    });

    it('reports readiness: storage and the configured checks (200), or 503 naming the failing check', async () => {
      let queueUp = true;
      const { call } = await setup({ readiness: [{ name: 'queue', check: async () => { if (!queueUp) throw new Error('queue connection refused'); } }] });
      const ready = await call('GET', '/ready');
      expect(ready.status).toBe(200);
      expect(String(ready.headers['content-type'])).toContain('application/json');
      expect(ready.body).toMatchObject({ status: 'ok', checks: [{ name: 'storage', status: 'ok' }, { name: 'queue', status: 'ok' }] });
      queueUp = false;
      const down = await call('GET', '/ready');
      expectError(down, 503, 'WF_UNAVAILABLE');
      expect(down.body.error.message).toBe('Not ready: check "queue" failed: queue connection refused');
      expect(down.body.error.details.checks).toEqual([
        expect.objectContaining({ name: 'storage', status: 'ok' }),
        expect.objectContaining({ name: 'queue', status: 'failed', error: 'queue connection refused' }),
      ]);
      expect((await call('GET', '/health')).status).toBe(200);
    });

    it('serves a configured metrics source, with its content type', async () => {
      let scrapes = 0;
      const { call } = await setup({
        metrics: { contentType: 'text/plain; version=0.0.4; charset=utf-8', metrics: async () => `# TYPE workflow_started_total counter\nworkflow_started_total{workflow="contract_quick"} ${++scrapes}\n` },
      });
      const first = await call('GET', '/metrics');
      expect(first.status).toBe(200);
      expect(String(first.headers['content-type'])).toMatch(/^text\/plain; ?version=0\.0\.4/);
      expect(first.body).toBe('# TYPE workflow_started_total counter\nworkflow_started_total{workflow="contract_quick"} 1\n');
      expect((await call('GET', '/metrics')).body).toContain('workflow_started_total{workflow="contract_quick"} 2');
      expect(first.body).not.toContain('workflow_instances{');
    });

    it('serves an OpenAPI 3.1 document listing every route', async () => {
      const { call } = await setup();
      const res = await call('GET', '/openapi.json');
      expect(res.status).toBe(200);
      expect(res.body.openapi).toMatch(/^3\.1\./);
      expect(res.body.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
      const expected: Array<[string, string]> = [
        ['post', '/workflows/{name}/instances'],
        ['get', '/instances'],
        ['get', '/instances/{id}'],
        ['get', '/instances/{id}/history'],
        ['get', '/instances/{id}/permissions'],
        ['post', '/instances/{id}/signals/{signal}'],
        ['post', '/instances/{id}/pause'],
        ['post', '/instances/{id}/resume'],
        ['post', '/instances/{id}/cancel'],
        ['post', '/instances/{id}/retry'],
        ['get', '/tasks'],
        ['post', '/tasks/{id}/claim'],
        ['post', '/tasks/{id}/complete'],
        ['get', '/definitions'],
        ['post', '/definitions'],
        ['get', '/definitions/{name}/versions/{version}'],
        ['post', '/definitions/{name}/versions/{version}/migrate'],
        ['post', '/instances/{id}/migrate'],
        ['post', '/instances/{id}/steps/{stepId}/retry'],
        ['post', '/instances/{id}/steps/{stepId}/skip'],
        ['patch', '/instances/{id}/data'],
        ['get', '/health'],
        ['get', '/ready'],
        ['get', '/metrics'],
        ['get', '/openapi.json'],
      ];
      for (const [method, path] of expected) {
        const op = res.body.paths[path]?.[method];
        expect({ path, method, ok: typeof op?.operationId === 'string' && typeof op?.responses === 'object' }).toEqual({ path, method, ok: true });
      }
      const startOp = res.body.paths['/workflows/{name}/instances'].post;
      expect(startOp.requestBody.content['application/json'].schema.properties).toHaveProperty('idempotencyKey');
      expect(startOp.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'name', in: 'path', required: true })]));
    });
  });
}

/** The HTTP contract's authentication and authorization. */
import { describe, expect, it } from '@jest/globals';
import type { ContractHarness } from './http-contract-harness.js';
import type { WorkflowOperation, WorkflowPrincipal, WorkflowResource } from '../http/http.types.js';

/** Registers the cases of the HTTP contract's authentication and authorization. */
export function authCases(h: ContractHarness): void {
  const { setup, expectError } = h;

  describe('authentication and authorization', () => {
    it('answers 401 WF_UNAUTHENTICATED without a principal, and starts nothing', async () => {
      const { engine, call } = await setup();
      expectError(await call('GET', '/instances', undefined, {}), 401, 'WF_UNAUTHENTICATED');
      expectError(await call('POST', '/workflows/contract_quick/instances', {}, {}), 401, 'WF_UNAUTHENTICATED');
      expectError(await call('POST', '/workflows/contract_quick/instances', { bad: 1 }, {}), 401, 'WF_UNAUTHENTICATED');
      expect((await engine.listInstances()).items).toHaveLength(0);
    });

    it('answers 403 WF_FORBIDDEN when authorize refuses, and nothing changes', async () => {
      const calls: Array<[WorkflowPrincipal, WorkflowOperation, WorkflowResource]> = [];
      const { engine, call } = await setup({
        authorize: (principal, operation, resource) => {
          calls.push([principal, operation, resource]);
          return typeof principal === 'object' && principal.role === 'admin';
        },
      });
      const admin = { 'x-user': 'root', 'x-role': 'admin' };
      const viewer = { 'x-user': 'eve', 'x-role': 'viewer' };

      expectError(await call('POST', '/workflows/contract_signal/instances', {}, viewer), 403, 'WF_FORBIDDEN');
      expect((await engine.listInstances()).items).toHaveLength(0);
      expect(calls.at(-1)).toEqual([{ id: 'eve', role: 'viewer' }, 'instances.start', { definition: 'contract_signal' }]);

      const created = await call('POST', '/workflows/contract_signal/instances', {}, admin);
      expect(created.status).toBe(201);
      expect(created.body.startedBy).toBe('root');
      const inst = await engine.waitFor(created.body.id);

      expectError(await call('POST', `/instances/${inst.id}/cancel`, {}, viewer), 403, 'WF_FORBIDDEN');
      expect(calls.at(-1)).toEqual([{ id: 'eve', role: 'viewer' }, 'instances.cancel', { definition: 'contract_signal', instanceId: inst.id }]);
      expectError(await call('POST', `/instances/${inst.id}/signals/go`, {}, viewer), 403, 'WF_FORBIDDEN');
      expect((await engine.getInstance(inst.id))).toMatchObject({ state: 'WAITING', version: inst.version });

      // A refused principal learns nothing about which ids exist.
      expectError(await call('GET', '/instances/missing', undefined, viewer), 403, 'WF_FORBIDDEN');
      expectError(await call('GET', '/instances/missing', undefined, admin), 404, 'WF_NOT_FOUND');
      expectError(await call('GET', '/openapi.json', undefined, viewer), 403, 'WF_FORBIDDEN');
    });

    it('tells a principal which operations it may perform on an instance (GET /instances/:id/permissions)', async () => {
      const { engine, call } = await setup({
        authorize: (principal, operation) => typeof principal === 'object' && (principal.role === 'admin' || (principal.role === 'viewer' && operation === 'instances.read')),
      });
      const inst = await engine.waitFor((await engine.start('contract_signal', {})).id);
      const viewer = await call('GET', `/instances/${inst.id}/permissions`, undefined, { 'x-user': 'eve', 'x-role': 'viewer' });
      expect(viewer).toMatchObject({ status: 200, body: { instanceId: inst.id, operations: ['instances.read'] } });
      const admin = await call('GET', `/instances/${inst.id}/permissions`, undefined, { 'x-user': 'root', 'x-role': 'admin' });
      expect(admin.body.operations).toEqual(['instances.read', 'instances.history', 'instances.signal', 'instances.pause', 'instances.resume', 'instances.retry', 'instances.cancel', 'instances.migrate', 'instances.retry_from', 'instances.skip_step', 'instances.update_data']);
      expectError(await call('GET', `/instances/${inst.id}/permissions`, undefined, { 'x-user': 'zed', 'x-role': 'none' }), 403, 'WF_FORBIDDEN');
      expectError(await call('GET', '/instances/missing/permissions', undefined, { 'x-user': 'root', 'x-role': 'admin' }), 404, 'WF_NOT_FOUND');
    });

    it('asks authorize with the operation of each definition and operator route, and a refusal changes nothing', async () => {
      const calls: Array<[WorkflowOperation, WorkflowResource]> = [];
      const { engine, call } = await setup({
        authorize: (principal, operation, resource) => {
          calls.push([operation, resource]);
          return typeof principal === 'object' && principal.role === 'admin';
        },
      });
      const viewer = { 'x-user': 'eve', 'x-role': 'viewer' };
      const definition = { name: 'contract_deployed', version: '1', steps: { only: { action: 'ok' } } };
      const inst = await engine.waitFor((await engine.start('contract_signal', {})).id);
      const asked: Array<[string, string, unknown, WorkflowOperation, WorkflowResource]> = [
        ['POST', '/definitions', definition, 'definitions.deploy', { definition: 'contract_deployed' }],
        ['GET', '/definitions/contract_signal/versions/1', undefined, 'definitions.read', { definition: 'contract_signal' }],
        ['POST', '/definitions/contract_signal/versions/1/migrate', { toVersion: '2' }, 'definitions.migrate', { definition: 'contract_signal' }],
        ['POST', `/instances/${inst.id}/migrate`, { toVersion: '2' }, 'instances.migrate', { definition: 'contract_signal', instanceId: inst.id }],
        ['POST', `/instances/${inst.id}/steps/prepare/retry`, {}, 'instances.retry_from', { definition: 'contract_signal', instanceId: inst.id }],
        ['POST', `/instances/${inst.id}/steps/wait/skip`, {}, 'instances.skip_step', { definition: 'contract_signal', instanceId: inst.id }],
        ['PATCH', `/instances/${inst.id}/data`, { patch: { a: 1 } }, 'instances.update_data', { definition: 'contract_signal', instanceId: inst.id }],
      ];
      for (const [method, path, body, operation, resource] of asked) {
        const res = await call(method, path, body, viewer);
        expectError(res, 403, 'WF_FORBIDDEN');
        expect(res.body.error.details).toMatchObject({ operation });
        expect(calls.at(-1)).toEqual([operation, resource]);
      }
      expect(await engine.storage.listDefinitions('contract_deployed')).toEqual([]);
      expect(await engine.getInstance(inst.id)).toMatchObject({ state: 'WAITING', version: inst.version, data: {} });
      const deployed = await call('POST', '/definitions', definition, { 'x-user': 'root', 'x-role': 'admin' });
      expect(deployed.status).toBe(201);
    });

    it("opens every route without a principal with auth: 'none'", async () => {
      const { engine, call } = await setup({ auth: 'none' });
      const res = await call('POST', '/workflows/contract_quick/instances', {}, {});
      expect(res.status).toBe(201);
      expect(res.body.startedBy).toBe('anonymous');
      expect((await call('GET', `/instances/${res.body.id}`, undefined, {})).status).toBe(200);
      await engine.waitFor(res.body.id);
    });  });
}

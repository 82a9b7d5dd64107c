/** The HTTP contract's diagram routes: a definition version and an instance as Mermaid text. */
import { describe, expect, it } from '@jest/globals';
import { storedDefinitionOf } from '../definition/canonical-definition.js';
import { parseDefinition } from '../definition/definition-parser.js';
import type { WorkflowOperation, WorkflowPrincipal, WorkflowResource } from '../http/http.types.js';
import { approval, type ContractHarness } from './http-contract-harness.js';
import type { HttpContractResponse } from './http-contract-types.js';

/** A Mermaid answer: 200, `text/vnd.mermaid`, the text as it is (not JSON). */
function expectMermaid(res: HttpContractResponse): string {
  expect({ status: res.status, type: String(res.headers['content-type']).replace(/\s+/g, '') }).toEqual({ status: 200, type: 'text/vnd.mermaid;charset=utf-8' });
  expect(typeof res.body).toBe('string');
  return res.body as string;
}

/** Registers the cases of `GET /definitions/:name/versions/:version/diagram` and `GET /instances/:id/diagram`. */
export function diagramCases(h: ContractHarness): void {
  const { setup, expectError } = h;

  describe('GET /definitions/:name/versions/:version/diagram, /instances/:id/diagram', () => {
    it('draws a definition version as a Mermaid flowchart', async () => {
      const { call } = await setup();
      const text = expectMermaid(await call('GET', '/definitions/contract_approval/versions/1/diagram'));
      const lines = text.trimEnd().split('\n');
      expect(lines[0]).toBe('flowchart TD');
      expect(lines).toEqual(
        expect.arrayContaining([
          '  %% contract_approval@1',
          '  s_submit["submit<br/>action: ok"]',
          '  s_approve(["approve<br/>action: ok<br/>human task: manager"])',
          '  s_archive["archive<br/>action: ok"]',
          '  wm_start --> s_submit',
          '  s_submit --> s_approve',
          '  s_approve --> s_archive',
          '  class s_approve human',
        ]),
      );
      expect(text).not.toContain('linkStyle');
      const lr = expectMermaid(await call('GET', '/definitions/contract_approval/versions/1/diagram?direction=LR'));
      expect(lr.split('\n')[0]).toBe('flowchart LR');
    });

    it('reaches a dotted version, and a version this engine only has in storage', async () => {
      const { engine, call } = await setup();
      engine.registerDefinition({ ...approval, version: '2.0.1', steps: { ...approval.steps, archive: { action: 'ok', compensation: 'ok' } } });
      const dotted = expectMermaid(await call('GET', '/definitions/contract_approval/versions/2.0.1/diagram'));
      expect(dotted).toContain('  %% contract_approval@2.0.1\n');
      expect(dotted).toContain('  s_archive -.->|"undo"| c_archive\n');
      const stored = { name: 'contract_stored', version: '4.2', steps: { only: { action: 'ok' } } };
      await engine.storage.saveDefinition(storedDefinitionOf(parseDefinition(stored), Date.now()));
      expect(expectMermaid(await call('GET', '/definitions/contract_stored/versions/4.2/diagram'))).toContain('  s_only["only<br/>action: ok"]\n');
    });

    it('draws an instance with the path taken and its current step', async () => {
      const { call, started } = await setup();
      const inst = await started('contract_approval');
      expect(inst.state).toBe('WAITING');
      const lines = expectMermaid(await call('GET', `/instances/${inst.id}/diagram`)).trimEnd().split('\n');
      expect(lines).toEqual(
        expect.arrayContaining([
          `  %% instance ${inst.id}: WAITING`,
          '  class s_submit completed',
          '  class s_approve human',
          '  class s_approve current',
          // Edges 0 and 1: start → submit → approve.
          expect.stringMatching(/^ {2}linkStyle 0,1 /),
        ]),
      );
      expect(lines.some((l) => l.startsWith('  class s_archive'))).toBe(false);
    });

    it('answers 404 for an unknown definition, version or instance, 400 for a bad direction', async () => {
      const { call } = await setup();
      expectError(await call('GET', '/definitions/nope/versions/1/diagram'), 404, 'WF_DEFINITION_NOT_FOUND');
      const version = await call('GET', '/definitions/contract_approval/versions/9.9/diagram');
      expectError(version, 404, 'WF_DEFINITION_NOT_FOUND');
      expect(version.body.error.message).toContain('contract_approval@9.9');
      expectError(await call('GET', '/instances/missing/diagram'), 404, 'WF_NOT_FOUND');
      expectError(await call('GET', '/definitions/contract_approval/versions/1/diagram?direction=BT'), 400, 'WF_INPUT_INVALID');
      expectError(await call('GET', '/definitions/contract_approval/versions/1/diagram?colour=red'), 400, 'WF_INPUT_INVALID');
    });

    it('asks authorize for definitions.diagram and instances.diagram with their resource', async () => {
      const calls: Array<[WorkflowOperation, WorkflowResource]> = [];
      const { engine, call } = await setup({
        authorize: (principal: WorkflowPrincipal, operation, resource) => {
          calls.push([operation, resource]);
          return typeof principal === 'object' && principal.role === 'admin';
        },
      });
      const viewer = { 'x-user': 'eve', 'x-role': 'viewer' };
      const inst = await engine.waitFor((await engine.start('contract_signal', {})).id);
      expectError(await call('GET', '/definitions/contract_signal/versions/1/diagram', undefined, viewer), 403, 'WF_FORBIDDEN');
      expect(calls.at(-1)).toEqual(['definitions.diagram', { definition: 'contract_signal' }]);
      expectError(await call('GET', `/instances/${inst.id}/diagram`, undefined, viewer), 403, 'WF_FORBIDDEN');
      expect(calls.at(-1)).toEqual(['instances.diagram', { definition: 'contract_signal', instanceId: inst.id }]);
      // Refused, a caller learns nothing about which definitions exist.
      expectError(await call('GET', '/definitions/nope/versions/1/diagram', undefined, viewer), 403, 'WF_FORBIDDEN');
      expectMermaid(await call('GET', `/instances/${inst.id}/diagram`, undefined, { 'x-user': 'root', 'x-role': 'admin' }));
    });

    it('documents both routes in the OpenAPI document as text/vnd.mermaid', async () => {
      const { call } = await setup();
      const doc = (await call('GET', '/openapi.json')).body;
      for (const [path, operationId] of [
        ['/definitions/{name}/versions/{version}/diagram', 'definitionsDiagram'],
        ['/instances/{id}/diagram', 'instancesDiagram'],
      ] as const) {
        const op = doc.paths[path]?.get;
        expect({ path, operationId: op?.operationId }).toEqual({ path, operationId });
        expect(Object.keys(op.responses['200'].content)).toEqual(['text/vnd.mermaid']);
        expect(op.responses['404'].content['application/json']).toBeDefined();
      }
    });
  });
}

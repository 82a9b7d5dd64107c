/**
 * The HTTP contract's definition routes: deploy (`POST /definitions`), list every stored version,
 * read one, and refuse invalid or hostile definitions storing nothing.
 */
import { describe, expect, it } from '@jest/globals';
import type { WorkflowDefinitionInput } from '../definition/definition.types.js';
import { ALICE, type ContractHarness } from './http-contract-harness.js';

/** A definition of the suite's actions: `prepare`, then a step waiting for signal `go`, then `last` (its name, by version). */
export function movingDefinition(version: string, last = `finish_v${version}`, name = 'contract_moving'): WorkflowDefinitionInput {
  return {
    name,
    version,
    steps: { prepare: { action: 'ok' }, wait: { action: 'wait_go' }, [last]: { action: 'ok' } },
    transitions: [
      { from: 'prepare', to: 'wait' },
      { from: 'wait', to: last },
    ],
  };
}

/** `{"a":{"a":...1...}}` nested `depth` levels, as text. */
function nested(depth: number): string {
  return `${'{"a":'.repeat(depth - 1)}{"a":1}${'}'.repeat(depth - 1)}`;
}

/** Registers the cases of the definition routes. */
export function definitionCases(h: ContractHarness): void {
  const { setup, expectError } = h;

  describe('POST /definitions (deploy)', () => {
    it('stores a new version (201), answers 200 for the same content again (nothing changes), and starts it by name', async () => {
      const { engine, call } = await setup();
      const first = await call('POST', '/definitions', movingDefinition('1'));
      expect(first.status).toBe(201);
      expect(first.body).toEqual({ name: 'contract_moving', version: '1', hash: expect.stringMatching(/^[0-9a-f]{64}$/), storedAt: expect.any(Number), created: true, unknownActions: [] });
      // The same content written in another key order is the same definition.
      const { transitions, steps, ...rest } = movingDefinition('1');
      const again = await call('POST', '/definitions', { transitions, steps, ...rest });
      expect(again.status).toBe(200);
      expect(again.body).toEqual({ ...first.body, created: false });
      expect(await engine.storage.listDefinitions('contract_moving')).toHaveLength(1);

      const started = await call('POST', '/workflows/contract_moving/instances', { data: { n: 1 } });
      expect(started.status).toBe(201);
      expect(started.body).toMatchObject({ definitionName: 'contract_moving', definitionVersion: '1' });
      expect((await engine.waitFor(started.body.id)).state).toBe('WAITING');
    });

    it('answers 409 WF_DEFINITION_CONFLICT for a stored version with other content, keeping the stored one', async () => {
      const { call } = await setup();
      const first = await call('POST', '/definitions', movingDefinition('1'));
      expect(first.status).toBe(201);
      const conflict = await call('POST', '/definitions', movingDefinition('1', 'other_last'));
      expectError(conflict, 409, 'WF_DEFINITION_CONFLICT');
      expect(conflict.body.error.message).toMatch(/new version/);
      const stored = await call('GET', '/definitions/contract_moving/versions/1');
      expect(stored.body.hash).toBe(first.body.hash);
      expect(Object.keys(stored.body.definition.steps).sort()).toEqual(['finish_v1', 'prepare', 'wait']);
    });

    it('answers 400 WF_DEFINITION_INVALID listing every problem in details.issues, and stores nothing', async () => {
      const { engine, call } = await setup();
      const res = await call('POST', '/definitions', { name: 'contract_bad', version: '1', steps: { a: { action: 5 }, b: {} }, transitions: [{ from: 'a', to: 'nowhere' }] });
      expectError(res, 400, 'WF_DEFINITION_INVALID');
      const paths = res.body.error.details.issues.map((i: { path: string }) => i.path);
      expect(paths).toEqual(expect.arrayContaining(['steps.a.action', 'steps.b.action', 'transitions[0].to']));
      expectError(await call('POST', '/definitions', { name: 5, steps: 'x' }), 400, 'WF_DEFINITION_INVALID');
      expectError(await call('POST', '/definitions', ['not', 'an', 'object']), 400, 'WF_INPUT_INVALID');
      expectError(await call('GET', '/definitions/contract_bad/versions/1'), 404, 'WF_DEFINITION_NOT_FOUND');
      expect(await engine.storage.listDefinitions()).toEqual([]);
    });

    it('refuses actions this server has not registered (400 naming each), unless deploy.allowUnknownActions', async () => {
      const { engine, call } = await setup();
      const def = { name: 'contract_remote', version: '1', steps: { charge: { action: 'charge_card', compensation: 'refund_card' } } };
      const refused = await call('POST', '/definitions', def);
      expectError(refused, 400, 'WF_DEFINITION_INVALID');
      expect(refused.body.error.details.issues.map((i: { path: string }) => i.path)).toEqual(['steps.charge.action', 'steps.charge.compensation']);
      expect(await engine.storage.listDefinitions()).toEqual([]);

      const api = await setup({ deploy: { allowUnknownActions: true } });
      const stored = await api.call('POST', '/definitions', def);
      expect(stored.status).toBe(201);
      expect([...stored.body.unknownActions].sort()).toEqual(['charge_card', 'refund_card']);
    });

    it('answers 400 for a hostile definition (nesting beyond 64 levels, prototype keys), storing nothing', async () => {
      const { engine, client } = await setup();
      const deep = `{"name":"contract_deep","steps":{"a":{"action":"ok","config":${nested(100)}}}}`;
      const depth = await client.request('POST', '/definitions', { rawBody: deep, headers: ALICE });
      expectError(depth, 400, 'WF_INPUT_INVALID');
      expect(depth.body.error.message).toMatch(/64/);
      const proto = '{"name":"contract_proto","steps":{"a":{"action":"ok","config":{"__proto__":{"polluted":true}}}}}';
      const polluted = await client.request('POST', '/definitions', { rawBody: proto, headers: ALICE });
      expectError(polluted, 400, 'WF_INPUT_INVALID');
      expect(polluted.body.error.message).toMatch(/"__proto__"/);
      const ctor = '{"name":"contract_ctor","steps":{"constructor":{"prototype":{"action":"ok"}}}}';
      expectError(await client.request('POST', '/definitions', { rawBody: ctor, headers: ALICE }), 400, 'WF_INPUT_INVALID');
      expect(await engine.storage.listDefinitions()).toEqual([]);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  });

  describe('GET /definitions and /definitions/:name/versions/:version', () => {
    it('lists registered and stored versions with their hash, and every version of each name', async () => {
      const { call } = await setup();
      expect((await call('POST', '/definitions', movingDefinition('1'))).status).toBe(201);
      expect((await call('POST', '/definitions', movingDefinition('2'))).status).toBe(201);
      const res = await call('GET', '/definitions');
      expect(res.status).toBe(200);
      const moving = res.body.items.filter((d: { name: string }) => d.name === 'contract_moving');
      expect(moving.map((d: { version: string }) => d.version)).toEqual(['1', '2']);
      expect(moving[1]).toMatchObject({ steps: { finish_v2: { action: 'ok' } }, hash: expect.stringMatching(/^[0-9a-f]{64}$/), stored: true, loaded: true });
      expect(moving[0].versions).toEqual([
        { version: '1', hash: moving[0].hash, storedAt: expect.any(Number), loaded: true, stored: true },
        { version: '2', hash: moving[1].hash, storedAt: expect.any(Number), loaded: true, stored: true },
      ]);
      // A registered version no instance has used yet is listed too, as not stored.
      expect(res.body.items.find((d: { name: string }) => d.name === 'contract_quick')).toMatchObject({ version: '1', stored: false, loaded: true });
    });

    it('reads one version as stored, or as registered; 404 for an unknown one', async () => {
      const { call } = await setup();
      const deployed = await call('POST', '/definitions', movingDefinition('1'));
      const one = await call('GET', '/definitions/contract_moving/versions/1');
      expect(one.status).toBe(200);
      expect(one.body).toEqual({ name: 'contract_moving', version: '1', hash: deployed.body.hash, storedAt: deployed.body.storedAt, definition: expect.objectContaining({ name: 'contract_moving', version: '1' }) });
      expect(one.body.definition.transitions).toEqual(movingDefinition('1').transitions);
      const registered = await call('GET', '/definitions/contract_signal/versions/1');
      expect(registered.status).toBe(200);
      expect(Object.keys(registered.body.definition.steps)).toEqual(['prepare', 'wait', 'finish']);
      expectError(await call('GET', '/definitions/contract_moving/versions/9'), 404, 'WF_DEFINITION_NOT_FOUND');
      expectError(await call('GET', '/definitions/nope/versions/1'), 404, 'WF_DEFINITION_NOT_FOUND');
    });
  });
}

/** The HTTP contract's start route and request bodies. */
import { describe, expect, it } from '@jest/globals';
import { ALICE, type ContractHarness } from './http-contract-harness.js';
import type { HttpContractCapabilities } from './http-contract-types.js';

/** Registers the cases of the HTTP contract's start route and request bodies. */
export function startCases(h: ContractHarness, capabilities: HttpContractCapabilities): void {
  const { setup, expectError, historyOf } = h;

  describe('POST /workflows/:name/instances', () => {
    it('starts an instance (201) recording who started it and from where', async () => {
      const { engine, call } = await setup();
      const res = await call('POST', '/workflows/contract_quick/instances', { data: { order: 1 } });
      expect(res.status).toBe(201);
      expect(String(res.headers['content-type'])).toContain('application/json');
      expect(res.body).toMatchObject({ definitionName: 'contract_quick', data: { order: 1 }, startedBy: 'alice' });
      const event = await historyOf(engine, res.body.id, 'workflow.started');
      expect(event?.data).toMatchObject({ by: 'alice' });
      expect(typeof event?.data?.from).toBe('string');
    });

    it('starts with no body at all, and a given version', async () => {
      const { client } = await setup();
      const bare = await client.request('POST', '/workflows/contract_quick/instances', { headers: ALICE });
      expect(bare.status).toBe(201);
      const versioned = await client.request('POST', '/workflows/contract_signal/instances', { body: { version: '1' }, headers: ALICE });
      expect(versioned.body).toMatchObject({ definitionVersion: '1' });
    });

    it('is idempotent: the same key answers 200 with the same instance', async () => {
      const { engine, call } = await setup();
      const first = await call('POST', '/workflows/contract_quick/instances', { idempotencyKey: 'order-42' });
      const second = await call('POST', '/workflows/contract_quick/instances', { idempotencyKey: 'order-42' });
      expect([first.status, second.status]).toEqual([201, 200]);
      expect(second.body.id).toBe(first.body.id);
      expect((await engine.listInstances()).items).toHaveLength(1);
    });

    it('answers 404 for an unknown definition or version', async () => {
      const { call } = await setup();
      expectError(await call('POST', '/workflows/nope/instances', {}), 404, 'WF_DEFINITION_NOT_FOUND');
      expectError(await call('POST', '/workflows/contract_quick/instances', { version: '9' }), 404, 'WF_DEFINITION_NOT_FOUND');
    });

    it("answers 400 for data that breaks the definition's input schema, storing nothing", async () => {
      const { engine, call } = await setup();
      const res = await call('POST', '/workflows/contract_signal/instances', { data: { amount: 'ten' } });
      expectError(res, 400, 'WF_INPUT_INVALID');
      expect((await engine.listInstances()).items).toHaveLength(0);
    });

    it('answers 400 with every issue for a body that breaks the route schema', async () => {
      const { call } = await setup();
      const res = await call('POST', '/workflows/contract_quick/instances', { data: 'x', idempotencyKey: 5, extra: true });
      expectError(res, 400, 'WF_INPUT_INVALID');
      const paths = (res.body.error.details.issues as Array<{ path: string }>).map((i) => i.path).sort();
      expect(paths).toEqual(['body', 'body.data', 'body.idempotencyKey']);
      expectError(await call('POST', '/workflows/contract_quick/instances', [1, 2]), 400, 'WF_INPUT_INVALID');
    });
  });

  it('answers 415 WF_UNSUPPORTED_MEDIA_TYPE for a body that is not declared JSON', async () => {
    const { engine, client, started } = await setup();
    const inst = await started('contract_signal');
    const res = await client.request('POST', `/instances/${inst.id}/signals/go`, { rawBody: 'approved=true', headers: { ...ALICE, 'content-type': 'text/plain' } });
    expectError(res, 415, 'WF_UNSUPPORTED_MEDIA_TYPE');
    expect((await engine.getInstance(inst.id)).state).toBe('WAITING');
  });

  // The adapter reads the body (or the app leaves it unparsed): malformed JSON and JSON subtypes reach the API.
  const parsing = capabilities.ownsBodyParsing ?? true;
  const bodies = 'request bodies read by the API';
  if (parsing === true) describe(bodies, cases);
  else describe.skip(`${bodies} (not supported: ${parsing})`, cases);

  function cases(): void {
    it('answers 400 WF_BAD_JSON for a body that is not JSON', async () => {
      const { engine, client } = await setup();
      const res = await client.request('POST', '/workflows/contract_quick/instances', {
        rawBody: '{"data": {',
        headers: { ...ALICE, 'content-type': 'application/json' },
      });
      expectError(res, 400, 'WF_BAD_JSON');
      expect((await engine.listInstances()).items).toHaveLength(0);
    });

    it('accepts JSON sent as application/<subtype>+json', async () => {
      const { client } = await setup();
      const res = await client.request('POST', '/workflows/contract_quick/instances', {
        rawBody: JSON.stringify({ data: { via: 'vendor type' } }),
        headers: { ...ALICE, 'content-type': 'application/vnd.workflow+json' },
      });
      expect([res.status, res.body.data]).toEqual([201, { via: 'vendor type' }]);
    });
  }
}

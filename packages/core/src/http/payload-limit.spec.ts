/** Data over the engine's payload limit is answered 413 WF_PAYLOAD_TOO_LARGE naming the field and the limit, and nothing is stored. */
import { afterEach, describe, expect, it } from '@jest/globals';
import { ActionResult } from '../actions/action-result.js';
import { WorkflowEngine } from '../engine/workflow-engine.js';
import { silentLogger } from '../logger.js';
import { MemoryStorage } from '../storage/memory-storage.js';
import { createWorkflowApi } from './workflow-api.js';

const LIMIT = 4096;
const engines: WorkflowEngine[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.close()));
});

function api() {
  const engine = new WorkflowEngine({
    storage: new MemoryStorage({ maxPayloadBytes: LIMIT }),
    logger: silentLogger,
    actions: { ok: () => ActionResult.success() },
    definitions: [{ name: 'flow', steps: { a: { action: 'ok' } } }],
  });
  engines.push(engine);
  const http = createWorkflowApi({ engine, auth: 'none' });
  const call = async (method: string, path: string, body: unknown) => {
    const { route, params } = http.match(method, path)!;
    return route.handle({ params, query: {}, body, principal: 'alice' });
  };
  return { engine, call };
}

describe('payload limit over HTTP', () => {
  it('answers 413 to start data, a signal payload and a data patch over the limit', async () => {
    const { engine, call } = api();
    const blob = 'x'.repeat(LIMIT);
    const start = await call('POST', '/workflows/flow/instances', { data: { blob } });
    expect(start.status).toBe(413);
    expect(start.body).toMatchObject({ error: { code: 'WF_PAYLOAD_TOO_LARGE', message: expect.stringContaining(`limit of ${LIMIT} bytes`), details: { field: 'start data of "flow"', limit: LIMIT } } });
    expect((await engine.listInstances()).items).toHaveLength(0);

    const inst = await engine.start('flow', { small: true });
    const signal = await call('POST', `/instances/${inst.id}/signals/go`, { blob });
    expect([signal.status, (signal.body as { error: { message: string } }).error.message]).toEqual([413, expect.stringContaining('payload of signal "go"')]);
    const patch = await call('PATCH', `/instances/${inst.id}/data`, { patch: { blob } });
    expect([patch.status, (patch.body as { error: { message: string } }).error.message]).toEqual([413, expect.stringContaining('updateData patch')]);
  });
});

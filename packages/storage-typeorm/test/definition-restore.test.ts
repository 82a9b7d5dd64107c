/**
 * The restore scenario on every database: an instance started with an inline definition is
 * finished by a second engine, on a new connection, that never registered the definition; a
 * changed version 1 is refused; a version deployed by one engine is started by name by another.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { ActionResult, silentLogger, WorkflowEngine, type WorkflowDefinitionInput } from '@workflow-mastery/core';
import { uniquePrefix } from './support/databases.js';
import { availableTargets, closeStorages, openStorage, type Target } from './support/targets.js';

const targets = await availableTargets();
afterAll(async () => {
  await closeStorages();
  for (const target of targets) await target.cleanup();
});

const restoreTest: WorkflowDefinitionInput = {
  name: 'restore_test',
  version: '1.0',
  steps: { a: { action: 'wait_for_go' }, b: { action: 'finish', config: { note: 'ünïcødé "quoted"' } } },
  transitions: [{ from: 'a', to: 'b', condition: 'go.approved === true' }],
};

async function engineOn(target: Target, prefix: string, owner: string) {
  const storage = openStorage(target, prefix);
  await storage.init();
  const engine = new WorkflowEngine({ storage, owner, logger: silentLogger, pollIntervalMs: 20, leaseMs: 2_000, shutdownTimeoutMs: 50 });
  engine.registerAction('wait_for_go', () => ActionResult.wait({ signal: 'go' }));
  engine.registerAction('finish', (ctx) => ActionResult.success({ finishedBy: owner, note: ctx.config.note ?? null }));
  return engine;
}

describe.each(targets.map((t) => [t.name, t] as const))('definitions stored on %s', (_name, target) => {
  it('a second engine that never registered the definition finishes an instance started inline', async () => {
    const prefix = uniquePrefix('def');
    const first = await engineOn(target, prefix, 'first');
    const started = await first.start(restoreTest, { order: 'A-1003' });
    expect((await first.waitFor(started.id)).state).toBe('WAITING');
    await first.close();

    const second = await engineOn(target, prefix, 'second');
    await second.signal(started.id, 'go', { go: { approved: true } });
    const done = await second.waitFor(started.id, { until: 'terminal', timeoutMs: 10_000 });
    expect(done.state).toBe('COMPLETED');
    expect(done.data).toMatchObject({ order: 'A-1003', finishedBy: 'second', note: 'ünïcødé "quoted"' });

    // Version 1.0 with other content is refused, here as in any engine.
    const error = await second.start({ ...restoreTest, steps: { ...restoreTest.steps, b: { action: 'wait_for_go' } } }).then(() => undefined, (e: { code?: string }) => e.code);
    expect(error).toBe('WF_DEFINITION_CONFLICT');
    await second.close();
  });

  it('a version deployed on one engine is started by name and run on another', async () => {
    const prefix = uniquePrefix('dep');
    const [api, worker] = [await engineOn(target, prefix, 'api'), await engineOn(target, prefix, 'worker')];
    const deployed = await api.deployDefinition({ ...restoreTest, name: 'deployed', version: '2' });
    expect(deployed).toMatchObject({ created: true, unknownActions: [] });
    const inst = await worker.start('deployed', {}, { version: '2' });
    await worker.signal(inst.id, 'go', { go: { approved: true } });
    expect((await worker.waitFor(inst.id, { until: 'terminal', timeoutMs: 10_000 })).state).toBe('COMPLETED');
    expect((await worker.listDefinitionVersions('deployed')).map((v) => v.version)).toEqual(['2']);
    await Promise.all([api.close(), worker.close()]);
  });
});

/** The purge archiving into the database itself (`storage.tableArchive()`), on every database. */
import { afterAll, afterEach, describe, expect, it } from '@jest/globals';
import { ActionResult, ManualClock, silentLogger, WorkflowEngine } from '@workflow-mastery/core';
import { uniquePrefix } from './support/databases.js';
import { availableTargets, closeStorages, openStorage } from './support/targets.js';

const targets = await availableTargets();
afterEach(closeStorages);
afterAll(async () => {
  for (const target of targets) await target.cleanup();
});

describe.each(targets.map((t) => [t.name, t] as const))('table archive on %s', (_name, target) => {
  it('copies each purged instance with its history into archived_instances before deleting it', async () => {
    const storage = openStorage(target, uniquePrefix('arch'));
    const archive = storage.tableArchive();
    const clock = new ManualClock();
    const engine = new WorkflowEngine({
      storage,
      clock,
      logger: silentLogger,
      retention: '1d',
      purge: { archive },
      actions: { ok: () => ActionResult.success({ paid: true }) },
      definitions: [{ name: 'receipt', version: '1', steps: { pay: { action: 'ok' } } }],
    });
    const { id } = await engine.start('receipt', { order: 'A-1' }, { businessKey: 'A-1' });
    const finished = await engine.waitFor(id, { until: 'terminal' });
    const history = await engine.getHistory(id);
    await clock.advance(86_400_000);

    expect(await engine.purge()).toMatchObject({ purged: 1, archived: 1 });
    expect(await storage.getInstance(id)).toBeUndefined();
    const copy = await archive.get(id);
    expect(copy?.instance).toEqual(JSON.parse(JSON.stringify(finished)));
    expect(copy?.history).toEqual(JSON.parse(JSON.stringify(history)));
    expect(copy?.archivedAt).toBe(clock.now());

    // Archived again (at least once delivery): the row is replaced, not duplicated.
    await archive.archive([{ instance: finished, history, archivedAt: clock.now() + 1 }]);
    expect((await archive.get(id))?.archivedAt).toBe(clock.now() + 1);
    expect(await archive.get('no-such-instance')).toBeUndefined();
    await engine.close();
  });
});

/** Retention and the purge: what is stamped when an instance finishes, what a purge deletes, and what it never touches. */
import { describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ActionResult } from '../actions/action-result.js';
import type { WorkflowDefinitionInput } from '../definition/definition.types.js';
import { JsonLinesArchive } from '../storage/json-lines-archive.js';
import { MemoryStorage } from '../storage/memory-storage.js';
import { setup } from '../../test/support/engine-setup.js';
import type { ArchivedInstance, PurgeReport } from './purge-options.js';

const HOUR = 3_600_000;
const oneStep = (name: string, extra: Partial<WorkflowDefinitionInput> = {}): WorkflowDefinitionInput => ({ name, version: '1', steps: { a: { action: 'ok' } }, ...extra });
const waiting: WorkflowDefinitionInput = { name: 'waits', version: '1', steps: { w: { action: 'wait' } } };
const actions = {
  ok: () => ActionResult.success(),
  wait: () => ActionResult.wait({ signal: 'go' }),
  boom: () => ActionResult.failure('no', { retryable: false }),
};

describe('retention', () => {
  it('stamps purgeAfter when an instance finishes, and purge() deletes it with its history once that has passed', async () => {
    const { engine, clock } = setup({ actions, definitions: [oneStep('short'), waiting], retention: '1h' });
    const done = await engine.start('short', {});
    const finished = await engine.waitFor(done.id, { until: 'terminal' });
    expect(finished.state).toBe('COMPLETED');
    expect(finished.purgeAfter).toBe(finished.completedAt! + HOUR);
    const open = await engine.start('waits', {});
    await engine.waitFor(open.id);

    expect(await engine.purge()).toEqual({ candidates: 0, purged: 0, archived: 0, byDefinition: {}, more: false });
    await clock.advance(HOUR);
    expect(await engine.purge()).toEqual({ candidates: 1, purged: 1, archived: 0, byDefinition: { short: 1 }, more: false });
    await expect(engine.getInstance(done.id)).rejects.toMatchObject({ code: 'WF_NOT_FOUND' });
    expect(await engine.storage.getHistory(done.id)).toEqual([]);

    // An unfinished instance is never purged, however far the clock moves.
    await clock.advance(1000 * 24 * HOUR);
    expect((await engine.purge()).purged).toBe(0);
    expect((await engine.getInstance(open.id)).state).toBe('WAITING');
    await engine.close();
  });

  it("takes a definition's retention over the engine's, false keeping forever", async () => {
    const { engine, clock } = setup({
      actions,
      definitions: [oneStep('keep', { retention: false }), oneStep('brief', { retention: '5m' }), oneStep('default')],
      retention: '2h',
    });
    const ids: Record<string, string> = {};
    for (const name of ['keep', 'brief', 'default']) ids[name] = (await engine.waitFor((await engine.start(name, {})).id, { until: 'terminal' })).id;
    expect((await engine.getInstance(ids.keep!)).purgeAfter).toBeUndefined();
    await clock.advance(5 * 60_000);
    expect((await engine.purge()).byDefinition).toEqual({ brief: 1 });
    await clock.advance(2 * HOUR);
    expect((await engine.purge()).byDefinition).toEqual({ default: 1 });
    await clock.advance(10_000 * HOUR);
    expect((await engine.purge()).purged).toBe(0);
    expect((await engine.getInstance(ids.keep!)).state).toBe('COMPLETED');
    await engine.close();
  });

  it('keeps everything by default (no retention)', async () => {
    const { engine, clock } = setup({ actions, definitions: [oneStep('plain')] });
    const { id } = await engine.start('plain', {});
    expect((await engine.waitFor(id, { until: 'terminal' })).purgeAfter).toBeUndefined();
    await clock.advance(100_000 * HOUR);
    expect((await engine.purge()).purged).toBe(0);
    await engine.close();
  });

  it('clears purgeAfter when a failed instance is retried, and stamps it again when it finishes again', async () => {
    let fail = true;
    const { engine, clock } = setup({
      actions: { ...actions, flaky: () => (fail ? ActionResult.failure('down', { retryable: false }) : ActionResult.success()) },
      definitions: [{ name: 'flaky', version: '1', steps: { a: { action: 'flaky' } } }],
      retention: '1h',
    });
    const { id } = await engine.start('flaky', {});
    const failed = await engine.waitFor(id, { until: 'terminal' });
    expect(failed.state).toBe('FAILED');
    expect(failed.purgeAfter).toBe(failed.updatedAt + HOUR);
    await clock.advance(HOUR / 2);
    fail = false;
    await engine.retry(id);
    const again = await engine.waitFor(id, { until: 'terminal' });
    expect(again.state).toBe('COMPLETED');
    expect(again.purgeAfter).toBe(again.completedAt! + HOUR);
    await clock.advance(HOUR / 2);
    expect((await engine.purge()).purged).toBe(0);
    await clock.advance(HOUR / 2);
    expect((await engine.purge()).purged).toBe(1);
    await engine.close();
  });

  it('dryRun counts without deleting; limit bounds a run and says more are left', async () => {
    const { engine, clock } = setup({ actions, definitions: [oneStep('many')], retention: 1000 });
    for (let i = 0; i < 5; i++) await engine.waitFor((await engine.start('many', {})).id, { until: 'terminal' });
    await clock.advance(1000);
    expect(await engine.purge({ dryRun: true })).toEqual({ candidates: 5, purged: 0, archived: 0, byDefinition: { many: 5 }, more: false });
    expect(await engine.purge({ dryRun: true, limit: 2 })).toMatchObject({ candidates: 2, more: true });
    expect((await engine.listInstances()).items).toHaveLength(5);
    expect(await engine.purge({ limit: 3 })).toMatchObject({ purged: 3, more: true });
    expect(await engine.purge()).toMatchObject({ purged: 2, more: false });
    await expect(engine.purge({ limit: 0 })).rejects.toMatchObject({ code: 'WF_INPUT_INVALID', message: expect.stringContaining('limit') });
    await engine.close();
  });

  it('archives each instance with its history before deleting it, and deletes nothing when the archive fails', async () => {
    const directory = await mkdtemp(path.join(os.tmpdir(), 'wm-archive-'));
    const { engine, clock } = setup({ actions, definitions: [oneStep('archived')], retention: '1d', purge: { archive: new JsonLinesArchive({ directory }) } });
    const { id } = await engine.start('archived', { order: 'A-1' });
    await engine.waitFor(id, { until: 'terminal' });
    const history = await engine.getHistory(id);
    await clock.advance(24 * HOUR);
    const reports: PurgeReport[] = [];
    engine.onPurge((r) => reports.push(r));
    expect(await engine.purge()).toMatchObject({ purged: 1, archived: 1 });
    expect(reports).toHaveLength(1);
    const files = await readdir(directory);
    expect(files).toEqual([expect.stringMatching(/^instances-\d{4}-\d{2}-\d{2}\.jsonl$/)]);
    const lines = (await readFile(path.join(directory, files[0]!), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as ArchivedInstance);
    expect(lines).toHaveLength(1);
    expect(lines[0]!.instance).toMatchObject({ id, state: 'COMPLETED', data: { order: 'A-1' } });
    expect(lines[0]!.history).toEqual(JSON.parse(JSON.stringify(history)));
    await engine.close();

    const failing = setup({ actions, definitions: [oneStep('kept')], retention: 1, purge: { archive: { archive: async () => Promise.reject(new Error('bucket unreachable')) } } });
    const kept = await failing.engine.start('kept', {});
    await failing.engine.waitFor(kept.id, { until: 'terminal' });
    await failing.clock.advance(10);
    await expect(failing.engine.purge()).rejects.toThrow('bucket unreachable');
    expect((await failing.engine.getInstance(kept.id)).state).toBe('COMPLETED');
    await failing.engine.close();
  });

  it('purges in the background every purge.intervalMs', async () => {
    const { engine } = setup({ actions, definitions: [oneStep('bg')], retention: 0, purge: { intervalMs: 20 } });
    const { id } = await engine.start('bg', {});
    await engine.waitFor(id, { until: 'terminal' });
    const deadline = Date.now() + 5000;
    while ((await engine.storage.getInstance(id)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(await engine.storage.getInstance(id)).toBeUndefined();
    await engine.close();
  });

  it('refuses bad retention and purge options, naming them', () => {
    expect(() => setup({ retention: '30x' })).toThrow(expect.objectContaining({ code: 'WF_INPUT_INVALID', message: expect.stringContaining('retention') }));
    expect(() => setup({ purge: { batchSize: 0 } })).toThrow(expect.objectContaining({ code: 'WF_INPUT_INVALID', message: expect.stringContaining('purge.batchSize') }));
    expect(() => setup({ purge: { archive: {} as never } })).toThrow(expect.objectContaining({ message: expect.stringContaining('purge.archive') }));
    const { engine } = setup({ actions });
    expect(() => engine.registerDefinition(oneStep('bad', { retention: 'forever' as never }))).toThrow(
      expect.objectContaining({ code: 'WF_DEFINITION_INVALID', details: expect.objectContaining({ issues: [expect.objectContaining({ path: 'retention' })] }) }),
    );
  });
});

describe('memory storage size cap', () => {
  it('keeps at most maxFinishedInstances finished instances, dropping the ones that finished first, never an unfinished one', async () => {
    const storage = new MemoryStorage({ maxFinishedInstances: 2 });
    const { engine } = setup({ actions, definitions: [oneStep('capped'), waiting], storage });
    const open = await engine.start('waits', {});
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await engine.waitFor((await engine.start('capped', {})).id, { until: 'terminal' })).id);
    const left = (await engine.listInstances()).items.map((r) => r.id);
    expect(left.sort()).toEqual([open.id, ids[3]!, ids[4]!].sort());
    expect(await storage.getHistory(ids[0]!)).toEqual([]);
    expect(() => new MemoryStorage({ maxFinishedInstances: -1 })).toThrow(/maxFinishedInstances/);
    await engine.close();
  });
});

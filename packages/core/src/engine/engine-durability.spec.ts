/** WorkflowEngine: Durability seams: events, concurrency, recovery, compare-and-swap, shutdown, storage faults, group commit. */
import { describe, expect, it } from '@jest/globals';
import { ActionResult } from '../actions/action-result.js';
import { silentLogger } from '../logger.js';
import { MemoryStorage } from '../storage/memory-storage.js';
import type { Commit, StorageAdapter } from '../storage/storage-adapter.js';
import { ManualClock } from './clock.js';
import { InProcessRunner } from './in-process-runner.js';
import { WorkflowEngine } from './workflow-engine.js';
import { setup, ok, tick } from '../../test/support/engine-setup.js';

describe('WorkflowEngine: durability seams', () => {
  it('emits the seed events in order to listeners, and survives a throwing listener', async () => {
    const { engine } = setup();
    engine.registerAction('a', ok);
    engine.registerDefinition({ name: 'ev', steps: { a: { action: 'a' } } });
    const seen: string[] = [];
    engine.on('*', (e) => seen.push(e.type));
    engine.on('step.completed', () => {
      throw new Error('bad listener');
    });
    const inst = await engine.waitFor((await engine.start('ev')).id);
    expect(inst.state).toBe('COMPLETED');
    expect(seen).toEqual(['workflow.started', 'step.scheduled', 'step.started', 'step.completed', 'workflow.completed']);
    await engine.close();
  });

  it('never runs more attempts at once than the runner allows', async () => {
    const { engine } = setup({ runner: new InProcessRunner({ concurrency: 3 }) });
    let running = 0;
    let peak = 0;
    engine.registerAction('work', async () => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 2));
      running--;
    });
    engine.registerDefinition({ name: 'limit', steps: { w: { action: 'work' } } });
    const ids = await Promise.all(Array.from({ length: 20 }, () => engine.start('limit').then((i) => i.id)));
    for (const id of ids) expect((await engine.waitFor(id)).state).toBe('COMPLETED');
    expect(peak).toBe(3);
    await engine.close();
  });

  it('a second engine on the same storage recovers scheduled work and timers', async () => {
    const storage = new MemoryStorage();
    const clock = new ManualClock();
    // The first engine "dies": its own clock never moves again, so its timers never fire.
    const first = new WorkflowEngine({ storage, clock: new ManualClock(clock.now()), logger: silentLogger });
    first.registerAction('a', () => new Promise(() => undefined)); // never finishes: the process "dies" here
    first.registerAction('r', () => ActionResult.failure('later'));
    first.registerDefinition({ name: 'rec', steps: { a: { action: 'a' } } });
    first.registerDefinition({ name: 'rt', steps: { r: { action: 'r', retry_attempts: 1, retry_delay: '1m' } } });
    const a = await first.start('rec');
    const r = await first.start('rt');
    await tick();
    expect((await storage.getInstance(r.id))!.timers).toHaveLength(1);

    const second = new WorkflowEngine({ storage, clock, logger: silentLogger });
    second.registerAction('a', () => ActionResult.success({ recovered: true }));
    second.registerAction('r', () => ActionResult.success({ retried: true }));
    second.registerDefinition({ name: 'rec', steps: { a: { action: 'a' } } });
    second.registerDefinition({ name: 'rt', steps: { r: { action: 'r', retry_attempts: 1, retry_delay: '1m' } } });
    expect((await second.waitFor(a.id)).data).toEqual({ recovered: true });
    await clock.advance(60_000);
    expect((await second.waitFor(r.id)).data).toEqual({ retried: true });
    await second.close();
  });

  it('records a result once even when the same attempt is delivered twice', async () => {
    const { engine } = setup();
    let calls = 0;
    engine.registerAction('a', () => ({ n: ++calls }));
    engine.registerAction('b', () => ActionResult.wait({ signal: 's' }));
    engine.registerDefinition({ name: 'dup', steps: { a: { action: 'a' }, b: { action: 'b' } }, transitions: [{ from: 'a', to: 'b' }] });
    const inst = await engine.start('dup');
    await engine.executeWork({ instanceId: inst.id, stepId: 'a', attempt: 1, kind: 'step' });
    await engine.executeWork({ instanceId: inst.id, stepId: 'a', attempt: 1, kind: 'step' });
    await engine.waitFor(inst.id);
    const completed = (await engine.getHistory(inst.id)).filter((e) => e.type === 'step.completed' && e.stepId === 'a');
    expect(completed).toHaveLength(1);
    await engine.close();
  });

  it('two engines signalling one instance concurrently both land (compare-and-swap retried)', async () => {
    const storage = new MemoryStorage();
    const mk = () => {
      const e = new WorkflowEngine({ storage, logger: silentLogger, recover: false });
      e.registerAction('w', () => ActionResult.wait({ signal: 'never' }));
      e.registerDefinition({ name: 'cas', steps: { w: { action: 'w' } } });
      return e;
    };
    const [e1, e2] = [mk(), mk()];
    const inst = await e1.start('cas');
    await e1.waitFor(inst.id);
    await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? e1 : e2).signal(inst.id, `s${i}`, { i })));
    const final = await e1.getInstance(inst.id);
    expect(final.signals.map((s) => s.name).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `s${i}`).sort());
    await e1.close();
    await e2.close();
  });

  it('close() aborts attempts still running after shutdownTimeoutMs and leaves them to run again', async () => {
    const storage = new MemoryStorage();
    const engine = new WorkflowEngine({ storage, logger: silentLogger, shutdownTimeoutMs: 30 });
    let signal!: AbortSignal;
    engine.registerAction('hang', (ctx) => {
      signal = ctx.signal;
      return new Promise(() => undefined);
    });
    engine.registerDefinition({ name: 'hang', steps: { h: { action: 'hang' } } });
    const inst = await engine.start('hang');
    await tick();
    await engine.close();
    expect(signal.aborted).toBe(true);
    const stored = await storage.getInstance(inst.id);
    expect(stored!.steps.h).toMatchObject({ status: 'SCHEDULED', attempt: 1 });
    await expect(engine.start('hang')).rejects.toMatchObject({ code: 'WF_ENGINE_CLOSED' });
  });

  it('retries recording an outcome while storage fails, then goes on', async () => {
    const inner = new MemoryStorage();
    let failures = 2;
    const flaky: StorageAdapter = Object.assign(Object.create(inner) as MemoryStorage, {
      commit: (c: Commit) => (c.events.some((e) => e.type === 'step.completed') && failures-- > 0 ? Promise.reject(new Error('connection reset')) : inner.commit(c)),
    });
    const warnings: string[] = [];
    const logger = { ...silentLogger, warn: (_: object, msg?: string) => void warnings.push(msg ?? '') };
    const engine = new WorkflowEngine({ storage: flaky, logger });
    engine.registerAction('a', () => ({ ok: true }));
    engine.registerDefinition({ name: 'flaky', steps: { a: { action: 'a' } } });
    const inst = await engine.waitFor((await engine.start('flaky')).id);
    expect(inst.state).toBe('COMPLETED');
    expect(warnings).toEqual(['storage failed while recording an outcome; retrying', 'storage failed while recording an outcome; retrying']);
    await engine.close();
  });
});

describe('WorkflowEngine: group commit', () => {
  it('batches the commits of many instances through commitMany and still records each once', async () => {
    const inner = new MemoryStorage();
    const batches: number[] = [];
    const storage: StorageAdapter = Object.assign(Object.create(inner) as MemoryStorage, {
      prefersGroupCommit: true,
      commitMany: (commits: Commit[]) => {
        batches.push(commits.length);
        return inner.commitMany(commits);
      },
    });
    const engine = new WorkflowEngine({ storage, logger: silentLogger });
    engine.registerAction('a', () => ({ a: 1 }));
    engine.registerAction('b', () => ({ b: 2 }));
    engine.registerDefinition({ name: 'gc', steps: { a: { action: 'a' }, b: { action: 'b' } }, transitions: [{ from: 'a', to: 'b' }] });
    const ids = await Promise.all(Array.from({ length: 100 }, () => engine.start('gc').then((i) => i.id)));
    for (const id of ids) expect((await engine.waitFor(id)).data).toEqual({ a: 1, b: 2 });
    expect(batches.reduce((s, n) => s + n, 0)).toBe(200);
    expect(Math.max(...batches)).toBeGreaterThan(1);
    await engine.close();
  });
});

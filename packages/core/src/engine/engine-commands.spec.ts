/** WorkflowEngine: Commands on an instance (pause, resume, cancel, retry) and who gave them. */
import { describe, expect, it } from '@jest/globals';
import { ActionResult } from '../actions/action-result.js';
import { silentLogger } from '../logger.js';
import { MemoryStorage } from '../storage/memory-storage.js';
import { WorkflowEngine } from './workflow-engine.js';
import { setup, ok, tick, types, linear } from '../../test/support/engine-setup.js';

describe('WorkflowEngine: pause, resume, cancel, retry', () => {
  it('pause lets the running attempt finish but starts nothing new; resume goes on', async () => {
    const { engine } = setup();
    let release!: () => void;
    const ran: string[] = [];
    engine.registerAction('a', () => new Promise<void>((r) => (release = () => (ran.push('a'), r()))));
    engine.registerAction('b', () => void ran.push('b'));
    engine.registerAction('c', () => void ran.push('c'));
    engine.registerDefinition(linear);
    const { id } = await engine.start('linear');
    await engine.pause(id, 'ops');
    release();
    await engine.idle();
    let inst = await engine.getInstance(id);
    expect(inst.state).toBe('PAUSED');
    expect(ran).toEqual(['a']);
    expect(inst.steps.b!.status).toBe('SCHEDULED');
    await engine.resume(id);
    inst = await engine.waitFor(id);
    expect(inst.state).toBe('COMPLETED');
    expect(ran).toEqual(['a', 'b', 'c']);
    const paused = (await engine.getHistory(id)).find((e) => e.type === 'workflow.paused');
    expect(paused?.data).toEqual({ by: 'ops' });
    await engine.close();
  });

  it('refuses illegal moves with WF_ILLEGAL_TRANSITION and changes nothing', async () => {
    const { engine } = setup();
    engine.registerAction('a', ok);
    engine.registerAction('b', ok);
    engine.registerAction('c', ok);
    engine.registerDefinition(linear);
    const inst = await engine.waitFor((await engine.start('linear')).id);
    const before = await engine.getHistory(inst.id);
    for (const op of [() => engine.pause(inst.id), () => engine.resume(inst.id), () => engine.cancel(inst.id), () => engine.retry(inst.id), () => engine.signal(inst.id, 'x')]) {
      await expect(op()).rejects.toMatchObject({ code: 'WF_ILLEGAL_TRANSITION', message: expect.stringContaining('it is COMPLETED') });
    }
    expect(await engine.getHistory(inst.id)).toEqual(before);
    await expect(engine.pause('nope')).rejects.toMatchObject({ code: 'WF_NOT_FOUND' });
    await engine.close();
  });

  it('cancel aborts the running attempt and ignores its late result', async () => {
    const { engine } = setup();
    let signal!: AbortSignal;
    let finish!: () => void;
    engine.registerAction('a', (ctx) => {
      signal = ctx.signal;
      return new Promise<void>((r) => (finish = r));
    });
    engine.registerAction('b', ok);
    engine.registerAction('c', ok);
    engine.registerDefinition(linear);
    const { id } = await engine.start('linear');
    await tick();
    const cancelled = await engine.cancel(id, 'customer changed mind', 'alice');
    expect(cancelled.state).toBe('CANCELLED');
    expect(signal.aborted).toBe(true);
    finish();
    await engine.idle();
    const inst = await engine.getInstance(id);
    expect(inst.state).toBe('CANCELLED');
    expect(inst.steps.a!.status).toBe('CANCELLED');
    expect(types(await engine.getHistory(id)).slice(-2)).toEqual(['step.cancelled:a', 'workflow.cancelled']);
    await engine.close();
  });

  it('retry re-runs a FAILED instance from its failed step with fresh attempts', async () => {
    const { engine } = setup();
    let healthy = false;
    const runs: string[] = [];
    engine.registerAction('a', () => void runs.push('a'));
    engine.registerAction('b', () => (runs.push('b'), healthy ? ActionResult.success() : ActionResult.failure('down')));
    engine.registerAction('c', () => void runs.push('c'));
    engine.registerDefinition(linear);
    const { id } = await engine.start('linear');
    expect((await engine.waitFor(id)).state).toBe('FAILED');
    healthy = true;
    await engine.retry(id, 'ops');
    const inst = await engine.waitFor(id);
    expect(inst.state).toBe('COMPLETED');
    expect(runs).toEqual(['a', 'b', 'b', 'c']);
    expect(inst.error).toBeUndefined();
    await engine.close();
  });

  it('refuses to retry an instance whose saga was compensated', async () => {
    const { engine } = setup();
    engine.registerAction('a', ok);
    engine.registerAction('undo', ok);
    engine.registerAction('b', () => ActionResult.failure('x', { retryable: false }));
    engine.registerDefinition({
      name: 'sagaretry',
      steps: { a: { action: 'a', compensation: 'undo' }, b: { action: 'b' } },
      transitions: [{ from: 'a', to: 'b' }],
      error_handling: { on_failure: 'compensate' },
    });
    const inst = await engine.waitFor((await engine.start('sagaretry')).id, { until: 'terminal' });
    await expect(engine.retry(inst.id)).rejects.toMatchObject({ code: 'WF_ILLEGAL_TRANSITION', message: expect.stringContaining('compensated') });
    await engine.close();
  });
});

describe('WorkflowEngine: audit', () => {
  it('keeps who started, signalled and cancelled, and from which address, in the history', async () => {
    const engine = new WorkflowEngine({ storage: new MemoryStorage(), logger: silentLogger });
    engine.registerAction('w', () => ActionResult.wait({ signal: 'go' }));
    engine.registerDefinition({ name: 'audit', steps: { w: { action: 'w' }, x: { action: 'w' } }, transitions: [{ from: 'w', to: 'x' }] });
    const inst = await engine.start('audit', {}, { startedBy: { id: 'alice', address: '10.0.0.7' } });
    await engine.waitFor(inst.id);
    await engine.signal(inst.id, 'go', {}, { id: 'bob', address: '10.0.0.8' });
    await engine.cancel(inst.id, 'done', 'carol');
    const data = (await engine.getHistory(inst.id)).filter((e) => ['workflow.started', 'signal.received', 'workflow.cancelled'].includes(e.type)).map((e) => [e.type, e.data?.by, e.data?.from]);
    expect(data).toEqual([
      ['workflow.started', 'alice', '10.0.0.7'],
      ['signal.received', 'bob', '10.0.0.8'],
      ['workflow.cancelled', 'carol', undefined],
    ]);
    expect((await engine.getInstance(inst.id)).startedBy).toBe('alice');
    await engine.close();
  });
});

/** WorkflowEngine: operator controls (retry from a step, skip a step, update the data), each with its actor in the history. */
import { describe, expect, it } from '@jest/globals';
import { ActionResult } from '../actions/action-result.js';
import type { WorkflowEngine } from './workflow-engine.js';
import { linear, ok, setup, tick, types } from '../../test/support/engine-setup.js';

async function snapshot(engine: WorkflowEngine, id: string) {
  const inst = await engine.getInstance(id);
  return { version: inst.version, history: (await engine.getHistory(id)).length, data: inst.data };
}

describe('WorkflowEngine: retry from a step', () => {
  it('re-runs the step and every step after it once the instance failed, with new idempotency keys', async () => {
    const { engine } = setup();
    const ran: string[] = [];
    let bFails = true;
    engine.registerAction('a', (ctx) => void ran.push(`a:${ctx.idempotencyKey.split('/').slice(1).join('/')}`));
    engine.registerAction('b', () => {
      ran.push('b');
      if (bFails) throw new Error('b broke');
    });
    engine.registerAction('c', () => void ran.push('c'));
    engine.registerDefinition(linear);
    const { id } = await engine.start('linear');
    expect((await engine.waitFor(id)).state).toBe('FAILED');
    bFails = false;
    await engine.retryFrom(id, 'a', 'alice');
    const done = await engine.waitFor(id);
    expect(done.state).toBe('COMPLETED');
    expect(ran).toEqual(['a:a/1', 'b', 'a:a/2', 'b', 'c']);
    const retried = (await engine.getHistory(id)).find((e) => e.type === 'instance.retried_from');
    expect(retried).toMatchObject({ stepId: 'a', data: { stepId: 'a', cleared: ['b'], by: 'alice' } });
    await engine.close();
  });

  it('refuses a step the definition lacks, or a finished instance, and changes nothing', async () => {
    const { engine } = setup({ actions: { a: ok, b: ok, c: ok } });
    engine.registerDefinition(linear);
    const { id } = await engine.start('linear');
    await engine.waitFor(id);
    const before = await snapshot(engine, id);
    await expect(engine.retryFrom(id, 'zz')).rejects.toMatchObject({ code: 'WF_INPUT_INVALID', message: expect.stringContaining('has no step "zz"; its steps are a, b, c') });
    await expect(engine.retryFrom(id, 'a')).rejects.toMatchObject({ code: 'WF_ILLEGAL_TRANSITION', message: expect.stringContaining('it is COMPLETED') });
    await expect(engine.skipStep(id, 'a')).rejects.toMatchObject({ code: 'WF_ILLEGAL_TRANSITION' });
    await expect(engine.updateData(id, { x: 1 })).rejects.toMatchObject({ code: 'WF_ILLEGAL_TRANSITION' });
    expect(await snapshot(engine, id)).toEqual(before);
    await engine.close();
  });
});

describe('WorkflowEngine: skip a step', () => {
  it('completes a stuck waiting step with the given data and routes on', async () => {
    const { engine } = setup({ actions: { a: ok, b: () => ActionResult.wait({ signal: 'never' }), c: ok } });
    engine.registerDefinition(linear);
    const { id } = await engine.start('linear');
    expect((await engine.waitFor(id)).state).toBe('WAITING');
    await engine.skipStep(id, 'b', { reference: 'manual-42' }, { id: 'bob', address: '10.0.0.9' });
    const done = await engine.waitFor(id);
    expect(done).toMatchObject({ state: 'COMPLETED', data: { reference: 'manual-42' } });
    const history = await engine.getHistory(id);
    expect(history.find((e) => e.type === 'step.skipped_by_operator')).toMatchObject({
      stepId: 'b',
      data: { stepId: 'b', status: 'WAITING', data: { reference: 'manual-42' }, by: 'bob', from: '10.0.0.9' },
    });
    expect(types(history)).toContain('step.completed:c');
    await engine.close();
  });

  it('refuses the late outcome of the attempt that ran when the step was skipped, with an event; the step completes once', async () => {
    const { engine } = setup();
    let release!: () => void;
    let aborted = false;
    engine.registerAction('a', ok);
    // Ignores its abort signal (as many actions do) and returns a result after the skip; the engine
    // stops waiting for it at the abort, and records that outcome (WF_ABORTED) only to refuse it.
    engine.registerAction('b', (ctx) => {
      ctx.signal.addEventListener('abort', () => (aborted = true));
      return new Promise((r) => (release = () => r(ActionResult.success({ approved: false }))));
    });
    engine.registerAction('c', () => ActionResult.wait({ signal: 'later' }));
    engine.registerDefinition(linear);
    const { id } = await engine.start('linear');
    await tick();
    await engine.skipStep(id, 'b', { approved: true }, 'ops');
    expect(aborted).toBe(true);
    release();
    await engine.idle();
    await tick();
    const inst = await engine.getInstance(id);
    expect(inst.data).toEqual({ approved: true });
    expect(inst.steps.c!.status).toBe('WAITING');
    const history = await engine.getHistory(id);
    expect(types(history).filter((t) => t.endsWith(':b'))).toEqual(['step.scheduled:b', 'step.skipped_by_operator:b', 'step.outcome_discarded:b']);
    expect(history.find((e) => e.type === 'step.outcome_discarded')).toMatchObject({
      data: { outcome: 'step.failed', reason: expect.stringContaining('skipped by an operator'), error: expect.objectContaining({ code: 'WF_ABORTED' }) },
    });
    await engine.cancel(id);
    await engine.close();
  });
});

describe('WorkflowEngine: skipping a step whose attempt runs on another engine', () => {
  it("is decided by compare-and-swap: the worker's late result is refused with an event, the skip's data stays", async () => {
    const { engine: worker, storage, clock } = setup();
    let release!: () => void;
    worker.registerAction('a', ok);
    worker.registerAction('b', () => new Promise((r) => (release = () => r(ActionResult.success({ approved: false })))));
    worker.registerAction('c', () => ActionResult.wait({ signal: 'later' }));
    worker.registerDefinition(linear);
    const { id } = await worker.start('linear');
    await tick();
    // An operator's engine on the same storage: it does not run the worker's attempt, so no abort reaches it.
    const { engine: ops } = setup({ storage, clock, recover: false, actions: { a: ok, b: ok, c: () => ActionResult.wait({ signal: 'later' }) } });
    await ops.ready;
    await ops.skipStep(id, 'b', { approved: true }, 'ops');
    await ops.idle();
    release();
    await worker.idle();
    await tick();
    const inst = await worker.getInstance(id);
    expect(inst).toMatchObject({ state: 'WAITING', data: { approved: true } });
    const history = await worker.getHistory(id);
    expect(types(history).filter((t) => t.endsWith(':b'))).toEqual(['step.scheduled:b', 'step.skipped_by_operator:b', 'step.outcome_discarded:b']);
    expect(history.find((e) => e.type === 'step.outcome_discarded')!.data).toMatchObject({ outcome: 'step.succeeded' });
    expect(types(history).filter((t) => t === 'step.scheduled:c')).toHaveLength(1);
    await worker.cancel(id);
    await ops.close();
    await worker.close();
  });
});

describe('WorkflowEngine: update data', () => {
  it('shallow-merges the patch (null removes a key) in one commit with the patch and the actor in the history', async () => {
    const { engine } = setup({ actions: { a: ok, b: () => ActionResult.wait({ signal: 'go' }), c: ok } });
    engine.registerDefinition(linear);
    const { id } = await engine.start('linear', { amount: 10, note: 'x' });
    await engine.waitFor(id);
    const before = await snapshot(engine, id);
    const updated = await engine.updateData(id, { amount: 12, note: null }, 'carol');
    expect(updated.data).toEqual({ amount: 12 });
    const after = await snapshot(engine, id);
    expect(after).toEqual({ version: before.version + 1, history: before.history + 1, data: { amount: 12 } });
    expect((await engine.getHistory(id)).at(-1)).toMatchObject({ type: 'instance.data_updated', data: { keys: ['amount', 'note'], patch: { amount: 12, note: null }, by: 'carol' } });
    await expect(engine.updateData(id, {})).rejects.toMatchObject({ code: 'WF_INPUT_INVALID' });
    await expect(engine.updateData(id, { ['__proto__']: 1 } as never)).rejects.toMatchObject({ code: 'WF_INPUT_INVALID' });
    expect(await snapshot(engine, id)).toEqual(after);
    await engine.close();
  });
});

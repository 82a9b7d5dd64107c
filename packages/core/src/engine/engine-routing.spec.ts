/** WorkflowEngine: Routing between steps and the data steps see and produce. */
import { describe, expect, it } from '@jest/globals';
import { ActionResult } from '../actions/action-result.js';
import { WorkflowEngine } from './workflow-engine.js';
import { setup, ok, types, linear } from '../../test/support/engine-setup.js';

describe('WorkflowEngine: routing and data', () => {
  it('runs steps in order, merges each result into the data and keeps it on the step', async () => {
    const { engine } = setup();
    engine.registerAction('a', () => ActionResult.success({ x: 1 }));
    engine.registerAction('b', (ctx) => ActionResult.success({ y: (ctx.data.x as number) + 1 }));
    engine.registerAction('c', () => ({ z: true }));
    engine.registerDefinition(linear);
    const started = await engine.start('linear', { input: 'hello' });
    const done = await engine.waitFor(started.id);
    expect(done.state).toBe('COMPLETED');
    expect(done.data).toEqual({ input: 'hello', x: 1, y: 2, z: true });
    expect(done.steps.b!.output).toEqual({ y: 2 });
    expect(types(await engine.getHistory(done.id))).toEqual([
      'workflow.started',
      'step.scheduled:a',
      'step.completed:a',
      'step.scheduled:b',
      'step.completed:b',
      'step.scheduled:c',
      'step.completed:c',
      'workflow.completed',
    ]);
    await engine.close();
  });

  it('takes the first conditional transition that holds, else the default', async () => {
    const { engine } = setup();
    for (const n of ['start', 'high', 'mid', 'low']) engine.registerAction(n, ok);
    engine.registerDefinition({
      name: 'route',
      steps: { start: { action: 'start' }, high: { action: 'high' }, mid: { action: 'mid' }, low: { action: 'low' } },
      transitions: [
        { from: 'start', to: 'high', condition: 'score >= 90' },
        { from: 'start', to: 'mid', condition: 'score >= 50' },
        { from: 'start', to: 'low' },
      ],
    });
    const path = async (score: number) => {
      const inst = await engine.waitFor((await engine.start('route', { score })).id);
      return Object.keys(inst.steps).filter((s) => s !== 'start');
    };
    expect(await path(95)).toEqual(['high']);
    expect(await path(60)).toEqual(['mid']);
    expect(await path(10)).toEqual(['low']);
    await engine.close();
  });

  it('fails, naming the step and the conditions tried, when nothing matches and there is no default', async () => {
    const { engine } = setup();
    engine.registerAction('a', ok);
    engine.registerAction('b', ok);
    engine.registerDefinition({
      name: 'noroute',
      steps: { a: { action: 'a' }, b: { action: 'b' } },
      transitions: [{ from: 'a', to: 'b', condition: 'ready === true' }],
    });
    const inst = await engine.waitFor((await engine.start('noroute', { ready: false })).id);
    expect(inst.state).toBe('FAILED');
    expect(inst.error?.message).toContain('No transition from "a" matched: tried `ready === true`');
    await engine.close();
  });

  it('skips a step whose guard does not hold, records it, and routes on from it', async () => {
    const { engine } = setup();
    engine.registerAction('a', ok);
    engine.registerAction('b', () => {
      throw new Error('must not run');
    });
    engine.registerAction('c', ok);
    engine.registerDefinition({ ...linear, name: 'guarded', steps: { ...linear.steps, b: { action: 'b', conditions: ['order.total > 1000'] } } });
    const inst = await engine.waitFor((await engine.start('guarded', { order: { total: 50 } })).id);
    expect(inst.state).toBe('COMPLETED');
    expect(inst.steps.b!.status).toBe('SKIPPED');
    expect(inst.steps.c!.status).toBe('COMPLETED');
    const skipped = (await engine.getHistory(inst.id)).find((e) => e.type === 'step.skipped');
    expect(skipped?.data).toEqual({ condition: 'order.total > 1000' });
    await engine.close();
  });

  it('gives actions a read-only view of the data', async () => {
    const { engine } = setup();
    let error: unknown;
    engine.registerAction('a', (ctx) => {
      try {
        (ctx.data as Record<string, unknown>).hacked = true;
      } catch (e) {
        error = e;
      }
    });
    engine.registerDefinition({ name: 'ro', steps: { a: { action: 'a' } } });
    const inst = await engine.waitFor((await engine.start('ro', { nested: { v: 1 } })).id);
    expect(error).toBeInstanceOf(TypeError);
    expect(inst.data).toEqual({ nested: { v: 1 } });
    await engine.close();
  });
});

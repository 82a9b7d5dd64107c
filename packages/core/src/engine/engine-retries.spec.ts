/** WorkflowEngine: Retries as durable timers, step timeouts and the workflow deadline. */
import { describe, expect, it } from '@jest/globals';
import { ActionResult } from '../actions/action-result.js';
import type { ActionContext } from '../actions/action.types.js';
import { WorkflowEngine } from './workflow-engine.js';
import { setup, types } from '../../test/support/engine-setup.js';

describe('WorkflowEngine: retries and timeouts', () => {
  it('retries with a fixed delay as a durable timer, not a sleep', async () => {
    const { engine, clock } = setup();
    let calls = 0;
    engine.registerAction('flaky', () => (++calls < 3 ? ActionResult.failure(`down ${calls}`) : ActionResult.success({ done: calls })));
    engine.registerDefinition({ name: 'retry', steps: { pay: { action: 'flaky', retry_attempts: 5, retry_delay: '30s' } } });
    const { id } = await engine.start('retry');
    await clock.advance(0);
    let inst = await engine.getInstance(id);
    expect(inst.steps.pay!.status).toBe('RETRY_WAIT');
    expect(inst.timers).toEqual([{ id: 'retry/pay', kind: 'retry', fireAt: clock.now() + 30_000, stepId: 'pay' }]);
    await clock.advance(29_999);
    expect(calls).toBe(1);
    await clock.advance(1);
    expect(calls).toBe(2);
    await clock.advance(30_000);
    inst = await engine.waitFor(id);
    expect(inst.state).toBe('COMPLETED');
    expect(inst.steps.pay!.attempt).toBe(3);
    const retrying = (await engine.getHistory(id)).filter((e) => e.type === 'step.retrying');
    expect(retrying.map((e) => e.data?.delayMs)).toEqual([30_000, 30_000]);
    await engine.close();
  });

  it('spaces exponential retries by doubling, capped, and fails after retry_attempts retries', async () => {
    const { engine, clock } = setup();
    let calls = 0;
    engine.registerAction('down', () => {
      calls++;
      throw new Error('service unavailable');
    });
    engine.registerDefinition({
      name: 'expo',
      steps: { s: { action: 'down', retry_attempts: 4, retry_delay: '1s', retry_backoff: { type: 'exponential', max_delay: '3s' } } },
    });
    const { id } = await engine.start('expo');
    await clock.advance(60_000);
    const inst = await engine.waitFor(id);
    expect(calls).toBe(5);
    expect(inst.state).toBe('FAILED');
    expect(inst.error).toMatchObject({ message: 'service unavailable', stepId: 's', code: 'Error' });
    const delays = (await engine.getHistory(id)).filter((e) => e.type === 'step.retrying').map((e) => e.data?.delayMs);
    expect(delays).toEqual([1000, 2000, 3000, 3000]);
    await engine.close();
  });

  it('does not retry a non-retryable failure', async () => {
    const { engine } = setup();
    let calls = 0;
    engine.registerAction('card', () => {
      calls++;
      return ActionResult.failure('card declined', { retryable: false, code: 'DECLINED' });
    });
    engine.registerDefinition({ name: 'nr', steps: { s: { action: 'card', retry_attempts: 5, retry_delay: 0 } } });
    const inst = await engine.waitFor((await engine.start('nr')).id);
    expect(calls).toBe(1);
    expect(inst.state).toBe('FAILED');
    expect(inst.error).toMatchObject({ code: 'DECLINED', retryable: false });
    await engine.close();
  });

  it('aborts an attempt through its AbortSignal on timeout and counts it as a failed attempt', async () => {
    const { engine, clock } = setup();
    const aborted: boolean[] = [];
    engine.registerAction('slow', (ctx: ActionContext) =>
      ctx.attempt === 1
        ? new Promise((resolve) => ctx.signal.addEventListener('abort', () => (aborted.push(true), resolve(undefined))))
        : ActionResult.success({ second: true }),
    );
    engine.registerDefinition({ name: 'to', steps: { s: { action: 'slow', timeout: '30s', retry_attempts: 1, retry_delay: '1s' } } });
    const { id } = await engine.start('to');
    await clock.advance(30_000);
    expect(aborted).toEqual([true]);
    await clock.advance(1_000);
    const inst = await engine.waitFor(id);
    expect(inst.state).toBe('COMPLETED');
    const retry = (await engine.getHistory(id)).find((e) => e.type === 'step.retrying');
    expect(retry?.data?.error).toMatchObject({ code: 'WF_TIMEOUT', message: expect.stringContaining('timed out after 30000 ms') });
    await engine.close();
  });

  it('fails the instance when the whole-workflow deadline passes', async () => {
    const { engine, clock } = setup();
    engine.registerAction('wait', () => ActionResult.wait({ signal: 'go' }));
    engine.registerDefinition({ name: 'deadline', timeout: '7d', steps: { w: { action: 'wait' } } });
    const { id } = await engine.start('deadline');
    expect((await engine.waitFor(id)).state).toBe('WAITING');
    await clock.advance(7 * 86_400_000);
    const inst = await engine.waitFor(id);
    expect(inst.state).toBe('FAILED');
    expect(inst.error).toMatchObject({ code: 'WF_TIMEOUT' });
    expect(inst.steps.w!.status).toBe('CANCELLED');
    expect(types(await engine.getHistory(id))).toContain('workflow.timed_out');
    await engine.close();
  });
});

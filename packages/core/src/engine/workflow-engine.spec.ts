import 'reflect-metadata';
import { describe, expect, it } from '@jest/globals';
import { ActionResult } from '../actions/action-result.js';
import type { ActionContext } from '../actions/action.types.js';
import { WorkflowAction } from '../actions/workflow-action.decorator.js';
import type { WorkflowDefinitionInput } from '../definition/definition.types.js';
import { silentLogger } from '../logger.js';
import type { HistoryEvent } from '../model/instance.types.js';
import { MemoryStorage } from '../storage/memory-storage.js';
import type { Commit, StorageAdapter } from '../storage/storage-adapter.js';
import { ManualClock } from './clock.js';
import { InProcessRunner } from './in-process-runner.js';
import type { WorkflowEngineOptions } from './workflow-engine.js';
import { WorkflowEngine } from './workflow-engine.js';

function setup(options: WorkflowEngineOptions = {}) {
  const clock = new ManualClock();
  const storage = options.storage ?? new MemoryStorage();
  const engine = new WorkflowEngine({ clock, storage, logger: silentLogger, ...options });
  return { engine, clock, storage };
}

const ok = () => ActionResult.success();
/** Let promise chains settle without waiting for actions that never finish. */
const tick = async () => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
};
const types = (h: HistoryEvent[]) => h.map((e) => (e.stepId ? `${e.type}:${e.stepId}` : e.type));

const linear: WorkflowDefinitionInput = {
  name: 'linear',
  version: '1',
  steps: { a: { action: 'a' }, b: { action: 'b' }, c: { action: 'c' } },
  transitions: [
    { from: 'a', to: 'b' },
    { from: 'b', to: 'c' },
  ],
};

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

describe('WorkflowEngine: saga compensation', () => {
  const saga: WorkflowDefinitionInput = {
    name: 'saga',
    steps: {
      reserve: { action: 'reserve', compensation: 'release' },
      charge: { action: 'charge', compensation: 'refund' },
      note: { action: 'note' },
      ship: { action: 'ship', retry_attempts: 1, retry_delay: 0 },
    },
    transitions: [
      { from: 'reserve', to: 'charge' },
      { from: 'charge', to: 'note' },
      { from: 'note', to: 'ship' },
    ],
    error_handling: { on_failure: 'compensate' },
  };

  it('compensates completed steps in reverse completion order, then FAILS recording it', async () => {
    const { engine } = setup();
    const log: string[] = [];
    const states: string[] = [];
    for (const n of ['reserve', 'charge', 'note', 'release', 'refund']) {
      engine.registerAction(n, async (ctx) => {
        log.push(ctx.compensating ? `undo:${n}` : n);
        if (ctx.compensating) states.push((await engine.getInstance(ctx.workflowId)).state);
      });
    }
    engine.registerAction('ship', () => ActionResult.failure('no carrier'));
    engine.registerDefinition(saga);
    const inst = await engine.waitFor((await engine.start('saga')).id, { until: 'terminal' });
    expect(log).toEqual(['reserve', 'charge', 'note', 'undo:refund', 'undo:release']);
    expect(states).toEqual(['COMPENSATING', 'COMPENSATING']);
    expect(inst.state).toBe('FAILED');
    expect(inst.compensation).toEqual({ status: 'COMPLETED', failed: [] });
    expect(inst.error).toMatchObject({ message: 'no carrier', stepId: 'ship' });
    const h = types(await engine.getHistory(inst.id));
    expect(h.slice(-5)).toEqual([
      'compensation.started',
      'compensation.step_completed:charge',
      'compensation.step_completed:reserve',
      'compensation.completed',
      'workflow.failed:ship',
    ]);
    await engine.close();
  });

  it('retries a compensation, records one that keeps failing, and still runs the rest', async () => {
    const { engine, clock } = setup();
    const log: string[] = [];
    for (const n of ['reserve', 'charge', 'note']) engine.registerAction(n, ok);
    engine.registerAction('ship', () => ActionResult.failure('no carrier', { retryable: false }));
    engine.registerAction('refund', () => {
      log.push('refund');
      throw new Error('bank offline');
    });
    engine.registerAction('release', () => void log.push('release'));
    engine.registerDefinition(saga);
    const { id } = await engine.start('saga');
    await clock.advance(10 * 60_000);
    const inst = await engine.waitFor(id, { until: 'terminal' });
    expect(log).toEqual(['refund', 'refund', 'refund', 'refund', 'release']);
    expect(inst.state).toBe('FAILED');
    expect(inst.compensation).toEqual({ status: 'FAILED', failed: ['charge'] });
    expect(inst.steps.charge!.compensation).toMatchObject({ status: 'FAILED', attempt: 4, error: { message: 'bank offline' } });
    await engine.close();
  });

  it('uses the compensation and retry defaults of a decorated action', async () => {
    @WorkflowAction('book_hotel', { compensation: 'cancel_hotel', retry: { attempts: 2, delay: 0 } })
    class BookHotel {
      calls = 0;
      execute() {
        return ++this.calls < 2 ? ActionResult.failure('busy') : ActionResult.success({ hotel: 'H1' });
      }
    }
    @WorkflowAction('cancel_hotel')
    class CancelHotel {
      static cancelled = 0;
      execute() {
        CancelHotel.cancelled++;
      }
    }
    const built: string[] = [];
    const { engine } = setup();
    engine.registerActions([BookHotel, CancelHotel], (cls) => {
      built.push(cls.name);
      return new cls();
    });
    engine.registerAction('fail', () => ActionResult.failure('nope', { retryable: false }));
    engine.registerDefinition({
      name: 'trip',
      steps: { hotel: { action: BookHotel }, pay: { action: 'fail' } },
      transitions: [{ from: 'hotel', to: 'pay' }],
      error_handling: { on_failure: 'compensate' },
    });
    const inst = await engine.waitFor((await engine.start('trip')).id, { until: 'terminal' });
    expect(inst.steps.hotel).toMatchObject({ status: 'COMPLETED', attempt: 2 });
    expect(CancelHotel.cancelled).toBe(1);
    expect(built.sort()).toEqual(['BookHotel', 'CancelHotel']);
    expect(engine.getDefinition('trip').source.steps.hotel!.action).toBe('book_hotel');
    await engine.close();
  });
});

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

describe('WorkflowEngine: signals and waiting', () => {
  const approval: WorkflowDefinitionInput = {
    name: 'approval',
    steps: { ask: { action: 'ask' }, done: { action: 'done' } },
    transitions: [{ from: 'ask', to: 'done', condition: 'approved === true' }, { from: 'ask', to: 'done' }],
  };

  it('a step waits for a signal whose payload becomes its result', async () => {
    const { engine } = setup();
    engine.registerAction('ask', () => ActionResult.wait({ signal: 'decision' }));
    engine.registerAction('done', ok);
    engine.registerDefinition(approval);
    const { id } = await engine.start('approval');
    const waiting = await engine.waitFor(id);
    expect(waiting.state).toBe('WAITING');
    expect(waiting.steps.ask).toMatchObject({ status: 'WAITING', wait: { signal: 'decision' } });
    await engine.signal(id, 'decision', { approved: true }, 'bob');
    const inst = await engine.waitFor(id);
    expect(inst.state).toBe('COMPLETED');
    expect(inst.data.approved).toBe(true);
    expect(inst.steps.ask!.output).toEqual({ approved: true });
    await engine.close();
  });

  it('buffers a signal that arrives before the wait', async () => {
    const { engine } = setup();
    let release!: () => void;
    engine.registerAction('ask', async () => {
      await new Promise<void>((r) => (release = r));
      return ActionResult.wait({ signal: 'decision' });
    });
    engine.registerAction('done', ok);
    engine.registerDefinition(approval);
    const { id } = await engine.start('approval');
    await new Promise((r) => setImmediate(r));
    const after = await engine.signal(id, 'decision', { approved: false });
    expect(after.signals).toHaveLength(1);
    release();
    const inst = await engine.waitFor(id);
    expect(inst.state).toBe('COMPLETED');
    expect(inst.signals).toEqual([]);
    expect(inst.data.approved).toBe(false);
    const received = (await engine.getHistory(id)).find((e) => e.type === 'signal.received');
    expect(received?.data).toMatchObject({ name: 'decision', delivered: false });
    await engine.close();
  });

  it('a wait that times out is a failed attempt', async () => {
    const { engine, clock } = setup();
    engine.registerAction('ask', () => ActionResult.wait({ signal: 'decision', timeout: '1h' }));
    engine.registerAction('done', ok);
    engine.registerDefinition(approval);
    const { id } = await engine.start('approval');
    await clock.advance(3_600_000);
    const inst = await engine.waitFor(id);
    expect(inst.state).toBe('FAILED');
    expect(inst.error).toMatchObject({ code: 'WF_TIMEOUT', message: expect.stringContaining('No signal "decision"') });
    await engine.close();
  });
});

describe('WorkflowEngine: async steps, parallel groups', () => {
  it('routes on without waiting for an async step; its failure is an event, not a workflow failure', async () => {
    const { engine } = setup();
    let release!: () => void;
    const order: string[] = [];
    engine.registerAction('a', () => void order.push('a'));
    engine.registerAction('notify', () => new Promise<ActionResult>((r) => (release = () => (order.push('notify'), r(ActionResult.failure('smtp down', { retryable: false }))))));
    engine.registerAction('c', () => void order.push('c'));
    engine.registerDefinition({
      name: 'async',
      steps: { a: { action: 'a' }, notify: { action: 'notify', async: true }, c: { action: 'c' } },
      transitions: [
        { from: 'a', to: 'notify' },
        { from: 'notify', to: 'c' },
      ],
    });
    const failures: string[] = [];
    engine.on('step.failed', (e) => failures.push(e.stepId!));
    const { id } = await engine.start('async');
    await tick();
    expect(order).toEqual(['a', 'c']);
    release();
    const inst = await engine.waitFor(id);
    expect(inst.state).toBe('COMPLETED');
    expect(failures).toEqual(['notify']);
    expect(inst.steps.notify!.status).toBe('FAILED');
    await engine.close();
  });

  it('fans out to a parallel group and joins when all branches are done (skipped counts as done)', async () => {
    const { engine } = setup();
    for (const n of ['start', 'legal', 'compliance', 'final']) engine.registerAction(n, () => ActionResult.success({ [n]: true }));
    engine.registerDefinition({
      name: 'par',
      steps: {
        start: { action: 'start' },
        legal: { action: 'legal' },
        compliance: { action: 'compliance', conditions: ['value > 100000'] },
        final: { action: 'final' },
      },
      parallel_groups: { reviews: ['legal', 'compliance'] },
      transitions: [
        { from: 'start', to: 'reviews' },
        { from: 'reviews', to: 'final', join: 'all' },
      ],
    });
    const inst = await engine.waitFor((await engine.start('par', { value: 10 })).id);
    expect(inst.state).toBe('COMPLETED');
    expect(inst.steps.compliance!.status).toBe('SKIPPED');
    expect(inst.data).toMatchObject({ start: true, legal: true, final: true });
    await engine.close();
  });
});

describe('WorkflowEngine: start', () => {
  it('is idempotent on an idempotency key', async () => {
    const { engine, storage } = setup();
    engine.registerAction('a', ok);
    engine.registerDefinition({ name: 'one', steps: { a: { action: 'a' } } });
    const [x, y] = await Promise.all([engine.start('one', {}, { idempotencyKey: 'order-42' }), engine.start('one', {}, { idempotencyKey: 'order-42' })]);
    const z = await engine.start('one', { other: 1 }, { idempotencyKey: 'order-42' });
    expect(y.id).toBe(x.id);
    expect(z.id).toBe(x.id);
    expect((await storage.listInstances()).items).toHaveLength(1);
    await engine.close();
  });

  it('refuses an unknown action before storing anything', async () => {
    const { engine, storage } = setup();
    engine.registerAction('a', ok);
    engine.registerDefinition({ name: 'missing', steps: { a: { action: 'a', compensation: 'undo_a' }, b: { action: 'nope' } }, transitions: [{ from: 'a', to: 'b' }] });
    await expect(engine.start('missing')).rejects.toMatchObject({
      code: 'WF_DEFINITION_INVALID',
      message: expect.stringContaining('steps.b.action: no action registered as "nope"'),
    });
    await expect(engine.start('missing')).rejects.toThrow(/steps\.a\.compensation: no action registered as "undo_a"/);
    expect((await storage.listInstances()).items).toHaveLength(0);
    await engine.close();
  });

  it('validates start data against the input schema and stores nothing when it is bad', async () => {
    const { engine, storage } = setup();
    engine.registerAction('a', ok);
    engine.registerDefinition({
      name: 'typed',
      input: {
        type: 'object',
        required: ['order'],
        properties: { order: { type: 'object', required: ['id', 'total'], properties: { id: { type: 'string' }, total: { type: 'number', minimum: 0 } } } },
      },
      steps: { a: { action: 'a' } },
    });
    await expect(engine.start('typed', { order: { id: 7, total: -1 } })).rejects.toMatchObject({
      code: 'WF_INPUT_INVALID',
      issues: [
        { path: 'order.id', message: 'must be string' },
        { path: 'order.total', message: 'must be >= 0' },
      ],
    });
    await expect(engine.start('typed', {})).rejects.toThrow(/order: is required/);
    expect((await storage.listInstances()).items).toHaveLength(0);
    const good = await engine.start('typed', { order: { id: 'A1', total: 5 } });
    expect((await engine.waitFor(good.id)).state).toBe('COMPLETED');
    await engine.close();
  });

  it('keeps running instances on the version they started with; start by name takes the latest', async () => {
    const { engine } = setup();
    engine.registerAction('wait', () => ActionResult.wait({ signal: 'go' }));
    engine.registerAction('v1', () => ({ path: 'v1' }));
    engine.registerAction('v2', () => ({ path: 'v2' }));
    const def = (version: string, action: string): WorkflowDefinitionInput => ({
      name: 'versioned',
      version,
      steps: { w: { action: 'wait' }, end: { action } },
      transitions: [{ from: 'w', to: 'end' }],
    });
    engine.registerDefinition(def('2.0', 'v1'));
    const old = await engine.start('versioned');
    engine.registerDefinition(def('2.1', 'v2'));
    const fresh = await engine.start('versioned');
    const pinned = await engine.start('versioned', {}, { version: '2.0' });
    for (const i of [old, fresh, pinned]) await engine.signal(i.id, 'go');
    expect((await engine.waitFor(old.id)).data.path).toBe('v1');
    expect((await engine.waitFor(fresh.id)).data.path).toBe('v2');
    expect((await engine.waitFor(pinned.id)).definitionVersion).toBe('2.0');
    expect(engine.getDefinition('versioned').version).toBe('2.1');
    await engine.close();
  });

  it('accepts actions as functions, classes and instances', async () => {
    const { engine } = setup();
    class AsClass {
      execute() {
        return ActionResult.success({ cls: true });
      }
    }
    engine.registerAction('fn', () => ({ fn: true }));
    engine.registerAction('cls', AsClass);
    engine.registerAction('obj', { execute: () => ActionResult.success({ obj: true }) });
    engine.registerDefinition({ name: 'forms', steps: { a: { action: 'fn' }, b: { action: 'cls' }, c: { action: 'obj' } }, transitions: [{ from: 'a', to: 'b' }, { from: 'b', to: 'c' }] });
    const inst = await engine.waitFor((await engine.start('forms')).id);
    expect(inst.data).toEqual({ fn: true, cls: true, obj: true });
    await engine.close();
  });
});

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

describe('WorkflowEngine: definitions registered late', () => {
  it('parks work of an unregistered definition version and picks it up once it is registered', async () => {
    const storage = new MemoryStorage();
    const first = new WorkflowEngine({ storage, logger: silentLogger, shutdownTimeoutMs: 10 });
    first.registerAction('a', () => new Promise(() => undefined));
    first.registerDefinition({ name: 'late', version: '3', steps: { a: { action: 'a' } } });
    const inst = await first.start('late');
    await tick();

    const second = new WorkflowEngine({ storage, logger: silentLogger });
    second.registerAction('a', () => ({ ran: true }));
    await second.ready;
    await tick();
    expect((await second.getInstance(inst.id)).state).toBe('RUNNING');
    second.registerDefinition({ name: 'late', version: '3', steps: { a: { action: 'a' } } });
    expect((await second.waitFor(inst.id)).data).toEqual({ ran: true });
    await second.close();
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

/** InProcessRunner `definitions`: per-definition concurrency and rate limits, on real engines. */
import { describe, expect, it } from '@jest/globals';
import { ActionResult } from '../actions/action-result.js';
import type { ActionContext } from '../actions/action.types.js';
import { InProcessRunner, type InProcessRunnerOptions } from './in-process-runner.js';
import { ManualClock } from './clock.js';
import { silentLogger } from '../logger.js';
import { setup, tick } from '../../test/support/engine-setup.js';

/** An action that runs until the test releases it, counting how many of it run at once. */
function gatedAction() {
  const gate = { running: 0, max: 0, started: [] as string[], releases: [] as Array<() => void> };
  const action = (ctx: ActionContext) => {
    gate.started.push(String(ctx.data.n));
    gate.running++;
    gate.max = Math.max(gate.max, gate.running);
    return new Promise<ActionResult>((resolve) =>
      gate.releases.push(() => {
        gate.running--;
        resolve(ActionResult.success());
      }),
    );
  };
  /** Releases the attempt that started first among those still running. */
  const releaseOne = async () => {
    gate.releases.shift()!();
    await tick();
  };
  return { gate, action, releaseOne };
}

function limitedEngine(options: InProcessRunnerOptions) {
  const runner = new InProcessRunner(options);
  const { engine, clock } = setup({ runner });
  return { engine, clock, runner };
}

describe('InProcessRunner: per-definition limits', () => {
  it('runs at most `concurrency` attempts of a limited definition at once, in start order, while another runs at full concurrency', async () => {
    const { engine, runner } = limitedEngine({ concurrency: 10, definitions: { report_export: { concurrency: 2 } } });
    const exports = gatedAction();
    const orders = gatedAction();
    engine.registerAction('export', exports.action);
    engine.registerAction('order', orders.action);
    engine.registerDefinition({ name: 'report_export', steps: { run: { action: 'export' } } });
    engine.registerDefinition({ name: 'order', steps: { run: { action: 'order' } } });
    const ids: string[] = [];
    for (let n = 1; n <= 6; n++) ids.push((await engine.start('report_export', { n })).id);
    for (let n = 1; n <= 6; n++) ids.push((await engine.start('order', { n })).id);
    await tick();

    expect(exports.gate.started).toEqual(['1', '2']);
    expect(orders.gate.running).toBe(6); // started after the held-back exports, not held up by them
    expect(await runner.queueDepth()).toBe(4);

    for (let i = 0; i < 6; i++) await orders.releaseOne();
    while (exports.gate.releases.length > 0) await exports.releaseOne();
    await engine.idle();

    expect(exports.gate.started).toEqual(['1', '2', '3', '4', '5', '6']); // FIFO within the definition
    expect(exports.gate.max).toBe(2);
    expect(orders.gate.max).toBe(6);
    for (const id of ids) expect((await engine.getInstance(id)).state).toBe('COMPLETED');
    expect(await runner.queueDepth()).toBe(0);
    await engine.close();
  });

  it('keeps the global concurrency as a cap over every definition', async () => {
    const { engine } = limitedEngine({ concurrency: 3, definitions: { a: { concurrency: 2 } } });
    const all = gatedAction();
    engine.registerAction('work', all.action);
    engine.registerDefinition({ name: 'a', steps: { s: { action: 'work' } } });
    engine.registerDefinition({ name: 'b', steps: { s: { action: 'work' } } });
    for (let n = 1; n <= 3; n++) await engine.start('a', { n: `a${n}` });
    for (let n = 1; n <= 3; n++) await engine.start('b', { n: `b${n}` });
    await tick();
    expect(all.gate.started).toEqual(['a1', 'a2', 'b1']);
    await all.releaseOne(); // a1 ends: a3 was dispatched before b2, and a has a slot again
    expect(all.gate.started).toEqual(['a1', 'a2', 'b1', 'a3']);
    while (all.gate.releases.length > 0) await all.releaseOne();
    await engine.idle();
    expect(all.gate.max).toBe(3);
    expect(all.gate.started).toHaveLength(6);
    await engine.close();
  });

  it('starts at most `rateLimit.max` attempts per `durationMs` on the engine clock; idle() waits for the held-back ones', async () => {
    const { engine, clock, runner } = limitedEngine({ definitions: { ping: { rateLimit: { max: 2, durationMs: 1000 } } } });
    const startedAt: number[] = [];
    const t0 = clock.now();
    engine.registerAction('ping', () => {
      startedAt.push(clock.now() - t0);
      return ActionResult.success();
    });
    let free = 0;
    engine.registerAction('free', () => {
      free++;
      return ActionResult.success();
    });
    engine.registerDefinition({ name: 'ping', steps: { s: { action: 'ping' } } });
    engine.registerDefinition({ name: 'free', steps: { s: { action: 'free' } } });
    for (let n = 0; n < 5; n++) await engine.start('ping', { n });
    await engine.start('free');
    await clock.advance(0);
    expect(startedAt).toEqual([0, 0]);
    expect(free).toBe(1); // not held up by the rate-limited definition
    expect(await runner.queueDepth()).toBe(3);

    let idle = false;
    const idled = engine.idle().then(() => (idle = true));
    await clock.advance(999);
    expect(startedAt).toEqual([0, 0]);
    expect(idle).toBe(false);
    await clock.advance(1);
    expect(startedAt).toEqual([0, 0, 1000, 1000]);
    await clock.advance(1000);
    expect(startedAt).toEqual([0, 0, 1000, 1000, 2000]);
    await idled;
    expect(await runner.queueDepth()).toBe(0);
    await engine.close();
  });

  it('combines concurrency and rateLimit: a start waits for both', async () => {
    const { engine, clock } = limitedEngine({ definitions: { job: { concurrency: 1, rateLimit: { max: 1, durationMs: 100 } } } });
    const jobs = gatedAction();
    engine.registerAction('job', jobs.action);
    engine.registerDefinition({ name: 'job', steps: { s: { action: 'job' } } });
    for (let n = 1; n <= 3; n++) await engine.start('job', { n });
    await clock.advance(0);
    expect(jobs.gate.started).toEqual(['1']);
    await clock.advance(500);
    expect(jobs.gate.started).toEqual(['1']); // the rate allows it, its concurrency does not
    await jobs.releaseOne();
    expect(jobs.gate.started).toEqual(['1', '2']); // the slot freed: it starts at once
    await jobs.releaseOne();
    expect(jobs.gate.started).toEqual(['1', '2']); // the slot is free, the rate is not
    await clock.advance(100);
    expect(jobs.gate.started).toEqual(['1', '2', '3']);
    await jobs.releaseOne();
    await engine.close();
  });

  it('close() drops work held back by a rate limit and clears the rate timer', async () => {
    const { engine, clock, runner } = limitedEngine({ definitions: { ping: { rateLimit: { max: 1, durationMs: 60_000 } } } });
    let calls = 0;
    engine.registerAction('ping', () => {
      calls++;
      return ActionResult.success();
    });
    engine.registerDefinition({ name: 'ping', steps: { s: { action: 'ping' } } });
    for (let n = 0; n < 3; n++) await engine.start('ping', { n });
    await clock.advance(0);
    expect(calls).toBe(1);
    const pendingBefore = clock.pending;
    await runner.close();
    expect(clock.pending).toBe(pendingBefore - 1);
    expect(await runner.queueDepth()).toBe(0);
    await clock.advance(120_000);
    expect(calls).toBe(1);
    await engine.close();
  });

  it('runs work without a definition name (claimed from a shared storage) under the global cap only', async () => {
    const started: string[] = [];
    const runner = new InProcessRunner({ concurrency: 4, definitions: { x: { concurrency: 1 } } });
    const host = { logger: silentLogger, clock: new ManualClock(), recover: async () => 0, recoverInstance: async () => undefined, fireTimer: async () => undefined };
    runner.start({ ...host, executeWork: (item) => (started.push(item.instanceId), new Promise<void>(() => undefined)) });
    for (const id of ['x1', 'x2']) runner.dispatch({ instanceId: id, stepId: 's', attempt: 1, kind: 'step', definitionName: 'x' });
    for (const id of ['n1', 'n2']) runner.dispatch({ instanceId: id, stepId: 's', attempt: 1, kind: 'step' });
    expect(started).toEqual(['x1', 'n1', 'n2']);
    expect(await runner.queueDepth()).toBe(1);
  });

  describe('bad options', () => {
    it.each([
      [{ concurrency: 0 }, 'concurrency must be a positive integer, got 0'],
      [{ definitions: [] }, 'definitions must be an object of limits by definition name'],
      [{ definitions: { a: 3 } }, 'definitions.a must be an object with concurrency and/or rateLimit'],
      [{ definitions: { a: { concurrency: 0 } } }, 'definitions.a.concurrency must be a positive integer, got 0'],
      [{ definitions: { a: { concurrency: 1.5 } } }, 'definitions.a.concurrency must be a positive integer, got 1.5'],
      [{ definitions: { a: { rateLimit: 10 } } }, 'definitions.a.rateLimit must be { max, durationMs }'],
      [{ definitions: { a: { rateLimit: { max: 0, durationMs: 1000 } } } }, 'definitions.a.rateLimit.max must be a positive integer, got 0'],
      [{ definitions: { a: { rateLimit: { max: 5 } } } }, 'definitions.a.rateLimit.durationMs must be a number of milliseconds >= 1, got undefined'],
      [{ definitions: { a: { rateLimit: { max: 5, durationMs: 0 } } } }, 'definitions.a.rateLimit.durationMs must be a number of milliseconds >= 1, got 0'],
      [{ definitions: { a: { priority: 1 } } }, 'definitions.a.priority is not supported by the in-process runner'],
      [{ definitions: { a: { concurency: 2 } } }, 'definitions.a.concurency is not an option; use concurrency and/or rateLimit'],
    ])('rejects %j with WF_INPUT_INVALID naming the option', (options, message) => {
      let error: unknown;
      try {
        new InProcessRunner(options as InProcessRunnerOptions);
      } catch (e) {
        error = e;
      }
      expect(error).toMatchObject({ code: 'WF_INPUT_INVALID' });
      expect((error as Error).message).toContain(`InProcessRunner: ${message}`);
    });

    it('accepts limits of definitions it never sees', () => {
      expect(() => new InProcessRunner({ definitions: { nowhere: { concurrency: 1 } } })).not.toThrow();
    });
  });
});

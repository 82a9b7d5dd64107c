/**
 * A real pino logger (createLogger) as the engine's logger: the lines of a run carry the workflow,
 * step, attempt and correlation ids, in actions (`ctx.logger`) and in the engine's own lines.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { ActionResult, WorkflowEngine, type ActionContext } from '@workflow-mastery/core';
import { createLogger } from '../src/index.js';
import { captureLogger } from './log-capture.js';

const engines: WorkflowEngine[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.close()));
});

describe('createLogger', () => {
  it('binds workflowId, stepId, attempt and correlationId to every ctx.logger line, attempt by attempt', async () => {
    const log = captureLogger({ name: 'orders-worker' });
    const engine = new WorkflowEngine({
      logger: log.logger,
      actions: {
        charge: (ctx: ActionContext) => {
          ctx.logger.info({ amount: 42 }, 'charging the card');
          if (ctx.attempt === 1) throw new Error('gateway timeout');
          return ActionResult.success();
        },
        notify: (ctx: ActionContext) => {
          ctx.logger.warn({}, 'customer has no e-mail; skipping');
          return ActionResult.success();
        },
      },
      definitions: [{ name: 'checkout', steps: { charge: { action: 'charge', retry_attempts: 1, retry_delay: 0 }, notify: { action: 'notify' } }, transitions: [{ from: 'charge', to: 'notify' }] }],
    });
    engines.push(engine);
    const inst = await engine.start('checkout', {}, { correlationId: 'req-7f3a' });
    expect((await engine.waitFor(inst.id)).state).toBe('COMPLETED');

    const lines = log.lines();
    const charging = lines.filter((l) => l.msg === 'charging the card');
    expect(charging).toEqual([
      expect.objectContaining({ level: 30, name: 'orders-worker', workflowId: inst.id, stepId: 'charge', attempt: 1, correlationId: 'req-7f3a', amount: 42 }),
      expect.objectContaining({ level: 30, workflowId: inst.id, stepId: 'charge', attempt: 2, correlationId: 'req-7f3a' }),
    ]);
    expect(lines.find((l) => l.msg === 'customer has no e-mail; skipping')).toMatchObject({ level: 40, workflowId: inst.id, stepId: 'notify', attempt: 1, correlationId: 'req-7f3a' });
    // JSON lines with pino's usual fields.
    expect(charging[0]).toEqual(expect.objectContaining({ time: expect.any(Number), pid: process.pid, hostname: expect.any(String) }));
  });

  it("defaults the correlation id to the instance id, and a child workflow to its parent's", async () => {
    const log = captureLogger();
    const engine = new WorkflowEngine({
      logger: log.logger,
      actions: {
        say: (ctx: ActionContext) => (ctx.logger.info({}, `in ${ctx.definitionName}`), ActionResult.success()),
        spawn: () => ActionResult.startChild({ workflow: 'child' }),
      },
      definitions: [
        { name: 'child', steps: { hello: { action: 'say' } } },
        { name: 'parent', steps: { hello: { action: 'say' }, run_child: { action: 'spawn' } }, transitions: [{ from: 'hello', to: 'run_child' }] },
      ],
    });
    engines.push(engine);
    const parent = await engine.start('parent');
    expect((await engine.waitFor(parent.id, { until: 'terminal' })).state).toBe('COMPLETED');
    const inParent = log.lines().find((l) => l.msg === 'in parent')!;
    const inChild = log.lines().find((l) => l.msg === 'in child')!;
    expect(inParent.correlationId).toBe(parent.id);
    expect(inChild).toMatchObject({ correlationId: parent.id, stepId: 'hello', attempt: 1 });
    expect(inChild.workflowId).not.toBe(parent.id);
  });

  it("carries the ids on the engine's own lines about an instance", async () => {
    const log = captureLogger();
    const engine = new WorkflowEngine({ logger: log.logger, actions: { ok: () => ActionResult.success() }, definitions: [{ name: 'flow', steps: { a: { action: 'ok' } } }] });
    engines.push(engine);
    engine.on('step.completed', () => {
      throw new Error('listener bug');
    });
    const inst = await engine.start('flow', {}, { correlationId: 'req-1' });
    await engine.waitFor(inst.id);
    expect(log.lines().find((l) => l.msg === 'event listener threw')).toMatchObject({ level: 50, workflowId: inst.id, stepId: 'a', attempt: 1, err: { message: 'listener bug', type: 'Error', stack: expect.stringContaining('listener bug') } });
  });

  it('honours level and base, and writes to stdout by default', () => {
    const quiet = captureLogger({ level: 'warn', base: { service: 'orders' } });
    quiet.logger.info({}, 'hidden');
    quiet.logger.warn({ workflowId: 'w1' }, 'shown');
    expect(quiet.lines()).toEqual([expect.objectContaining({ msg: 'shown', service: 'orders', workflowId: 'w1' })]);
    expect(quiet.lines()[0]).not.toHaveProperty('pid');
    const stdout = createLogger({ level: 'silent' });
    expect(typeof stdout.child({ workflowId: 'x' }).info).toBe('function');
  });
});

/** replayHistory accepts what real runs of a definition recorded, in every exported shape. */
import { describe, expect, it } from '@jest/globals';
import { ActionResult } from '../../actions/action-result.js';
import type { WorkflowDefinitionInput } from '../../definition/definition.types.js';
import type { HistoryEvent } from '../../model/instance.types.js';
import { setup, tick, types } from '../../../test/support/engine-setup.js';
import type { WorkflowEngine } from '../workflow-engine.js';
import { replayHistory } from './replay-history.js';

/** Replay an instance's history as the engine, the CLI (`--json`) and the HTTP API hand it out: valid each time. */
async function expectValid(engine: WorkflowEngine, id: string, def: WorkflowDefinitionInput | string): Promise<HistoryEvent[]> {
  const history = await engine.getHistory(id);
  const definition = typeof def === 'string' ? engine.getDefinition(def) : def;
  const shapes = [history, JSON.stringify(history), JSON.stringify({ instanceId: id, events: history }, null, 2), JSON.parse(JSON.stringify({ items: history })) as { items: HistoryEvent[] }];
  for (const shape of shapes) {
    const result = replayHistory(shape, definition);
    if (!result.valid) throw new Error(`replay diverged at seq ${result.divergence.seq}: ${result.divergence.reason}\n${types(history).join('\n')}`);
    expect(result).toMatchObject({ valid: true, events: history.length });
  }
  return history;
}

const order: WorkflowDefinitionInput = {
  name: 'order',
  version: '1',
  steps: { validate: { action: 'validate' }, check_fraud: { action: 'fraud' }, reserve: { action: 'reserve' } },
  transitions: [
    { from: 'validate', to: 'check_fraud', condition: 'order.total > 1000' },
    { from: 'validate', to: 'reserve' },
    { from: 'check_fraud', to: 'reserve' },
  ],
};

describe('replayHistory: valid runs', () => {
  it('accepts a run of the definition, and the instance it rebuilds is the engine\'s', async () => {
    const { engine } = setup();
    engine.registerAction('validate', () => ActionResult.success({ validated: true }));
    engine.registerAction('fraud', () => ActionResult.success({ risk: 0.1 }));
    engine.registerAction('reserve', () => ActionResult.success({ reserved: true }));
    engine.registerDefinition(order);
    const { id } = await engine.start('order', { order: { total: 2000 } }, { startedBy: 'ann' });
    const done = await engine.waitFor(id, { until: 'terminal' });
    const history = await expectValid(engine, id, order);
    expect(history[0]!.data).toMatchObject({ input: { order: { total: 2000 } }, by: 'ann' });
    const result = replayHistory(history, order);
    expect(result.valid && result.instance).toMatchObject({ state: 'COMPLETED', data: done.data, seq: done.seq });
    await engine.close();
  });

  it('accepts a run still going (a history read while it waits)', async () => {
    const { engine } = setup();
    engine.registerAction('ask', () => ActionResult.wait({ signal: 'go', timeout: '1h' }));
    engine.registerAction('done', () => ActionResult.success());
    const def: WorkflowDefinitionInput = { name: 'waits', steps: { ask: { action: 'ask' }, done: { action: 'done' } }, transitions: [{ from: 'ask', to: 'done' }] };
    engine.registerDefinition(def);
    const { id } = await engine.start('waits');
    await engine.waitFor(id);
    await expectValid(engine, id, def);
    await engine.close();
  });

  it('loops: a step entered again and again', async () => {
    const { engine } = setup();
    engine.registerAction('poll', (ctx) => ActionResult.success({ polls: Number(ctx.data.polls ?? 0) + 1 }));
    engine.registerAction('ok', () => ActionResult.success());
    const def: WorkflowDefinitionInput = {
      name: 'loop',
      steps: { begin: { action: 'ok' }, poll: { action: 'poll' }, finish: { action: 'ok' } },
      transitions: [
        { from: 'begin', to: 'poll' },
        { from: 'poll', to: 'poll', condition: 'polls < 3' },
        { from: 'poll', to: 'finish' },
      ],
    };
    engine.registerDefinition(def);
    const { id } = await engine.start('loop');
    await engine.waitFor(id, { until: 'terminal' });
    const history = await expectValid(engine, id, def);
    expect(types(history).filter((t) => t === 'step.completed:poll')).toHaveLength(3);
    await engine.close();
  });

  it('parallel groups: a guard skipping a member, join all, and join any cancelling the slower member', async () => {
    const { engine } = setup();
    engine.registerAction('ok', () => ActionResult.success());
    engine.registerAction('slow', () => ActionResult.wait({ signal: 'never' }));
    const def: WorkflowDefinitionInput = {
      name: 'groups',
      steps: {
        a: { action: 'ok' },
        b: { action: 'ok', conditions: ['big === true'] },
        c: { action: 'ok' },
        d: { action: 'slow' },
        e: { action: 'ok' },
        end: { action: 'ok' },
      },
      parallel_groups: { first: ['a', 'b', 'c'], second: ['d', 'e'] },
      transitions: [
        { from: 'first', to: 'second', join: 'all' },
        { from: 'second', to: 'end', join: 'any' },
      ],
    };
    engine.registerDefinition(def);
    const { id } = await engine.start('groups', { big: false });
    await engine.waitFor(id, { until: 'terminal' });
    const history = await expectValid(engine, id, def);
    expect(types(history)).toEqual(expect.arrayContaining(['step.skipped:b', 'step.cancelled:d', 'workflow.completed']));
    await engine.close();
  });

  it('signals: one buffered before the wait, one delivered to the wait, a wait timing out into a retry', async () => {
    const { engine, clock } = setup();
    let release!: () => void;
    engine.registerAction('early', async () => {
      await new Promise<void>((r) => (release = r));
      return ActionResult.wait({ signal: 'first' });
    });
    engine.registerAction('late', () => ActionResult.wait({ signal: 'second', timeout: '1h' }));
    const def: WorkflowDefinitionInput = {
      name: 'signals',
      steps: { early: { action: 'early' }, late: { action: 'late', retry_attempts: 1, retry_delay: '1m' } },
      transitions: [{ from: 'early', to: 'late' }],
    };
    engine.registerDefinition(def);
    const { id } = await engine.start('signals');
    await tick();
    await engine.signal(id, 'first', { a: 1 }, 'bob');
    release();
    await engine.waitFor(id);
    await clock.advance(3_600_000);
    await clock.advance(60_000);
    await engine.waitFor(id);
    await engine.signal(id, 'second', { b: 2 });
    await engine.waitFor(id, { until: 'terminal' });
    const history = await expectValid(engine, id, def);
    expect(history.find((e) => e.type === 'step.completed' && e.stepId === 'early')?.data).toMatchObject({ signal: 'first', output: { a: 1 } });
    expect(types(history)).toContain('step.retrying:late');
    await engine.close();
  });

  it('retries as durable timers, then a failure compensated (a compensation retried) and the deadline', async () => {
    const { engine, clock } = setup();
    let calls = 0;
    let undo = 0;
    engine.registerAction('flaky', () => (++calls < 3 ? ActionResult.failure(`down ${calls}`) : ActionResult.success({ paid: true })));
    engine.registerAction('refund', () => (++undo < 2 ? ActionResult.failure('refund service down') : ActionResult.success()));
    engine.registerAction('ship', () => ActionResult.failure('no courier', { retryable: false }));
    const def: WorkflowDefinitionInput = {
      name: 'saga',
      steps: { pay: { action: 'flaky', retry_attempts: 3, retry_delay: '30s', compensation: 'refund' }, ship: { action: 'ship' } },
      transitions: [{ from: 'pay', to: 'ship' }],
      error_handling: { on_failure: 'compensate' },
    };
    engine.registerDefinition(def);
    const { id } = await engine.start('saga');
    for (let i = 0; i < 5; i++) await clock.advance(30_000);
    const failed = await engine.waitFor(id, { until: 'terminal' });
    expect(failed).toMatchObject({ state: 'FAILED', compensation: { status: 'COMPLETED' } });
    await expectValid(engine, id, def);

    engine.registerAction('wait', () => ActionResult.wait({ signal: 'never' }));
    const timed: WorkflowDefinitionInput = { name: 'timed', timeout: '1h', steps: { w: { action: 'wait' } } };
    engine.registerDefinition(timed);
    const late = await engine.start('timed');
    await clock.advance(3_600_000);
    expect((await engine.waitFor(late.id, { until: 'terminal' })).error?.code).toBe('WF_TIMEOUT');
    await expectValid(engine, late.id, timed);
    await engine.close();
  });

  it('human tasks: prepared, claimed, completed; an overdue one escalated through on_timeout', async () => {
    const { engine, clock } = setup();
    engine.registerAction('prepare', () => ActionResult.success({ prepared: true }));
    engine.registerAction('ok', () => ActionResult.success());
    const def: WorkflowDefinitionInput = {
      name: 'tasks',
      steps: { approve: { action: 'prepare', assigned_to: 'managers', timeout: '2d' }, boss: { action: 'prepare', assigned_to: 'boss' }, done: { action: 'ok' } },
      transitions: [
        { from: 'approve', to: 'done', condition: 'approved === true' },
        { from: 'approve', to: 'boss', on_timeout: true },
        { from: 'boss', to: 'done' },
      ],
    };
    engine.registerDefinition(def);
    const first = await engine.start('tasks');
    await engine.waitFor(first.id);
    const [task] = await engine.listTasks({ instanceId: first.id });
    await engine.claimTask(task!.id, 'maria');
    await engine.completeTask(task!.id, { approved: true }, 'maria');
    await engine.waitFor(first.id, { until: 'terminal' });
    await expectValid(engine, first.id, def);

    const second = await engine.start('tasks');
    await engine.waitFor(second.id);
    await clock.advance(2 * 86_400_000);
    await engine.waitFor(second.id);
    const [bossTask] = await engine.listTasks({ instanceId: second.id, assignedTo: 'boss' });
    await engine.completeTask(bossTask!.id, {}, 'bea');
    await engine.waitFor(second.id, { until: 'terminal' });
    expect(types(await expectValid(engine, second.id, def))).toContain('task.expired:approve');
    await engine.close();
  });

  it('operator events: pause and resume, update data, skip a stuck step, retry a failed run, retry from a step, cancel', async () => {
    const { engine } = setup();
    let fail = true;
    engine.registerAction('ok', () => ActionResult.success());
    engine.registerAction('stuck', () => ActionResult.wait({ signal: 'never' }));
    engine.registerAction('fragile', () => (fail ? ActionResult.failure('broken', { retryable: false }) : ActionResult.success({ fixed: true })));
    const def: WorkflowDefinitionInput = {
      name: 'ops',
      steps: { a: { action: 'ok' }, b: { action: 'stuck' }, c: { action: 'fragile' }, d: { action: 'stuck' } },
      transitions: [
        { from: 'a', to: 'b' },
        { from: 'b', to: 'c' },
        { from: 'c', to: 'd' },
      ],
    };
    engine.registerDefinition(def);
    const { id } = await engine.start('ops');
    await engine.waitFor(id);
    await engine.pause(id, 'ops-team');
    await engine.resume(id, 'ops-team');
    await engine.updateData(id, { note: 'checked' }, 'ops-team');
    await engine.skipStep(id, 'b', { skipped: true }, 'ops-team');
    expect((await engine.waitFor(id, { until: 'terminal' })).state).toBe('FAILED');
    fail = false;
    await engine.retry(id, 'ops-team');
    await engine.waitFor(id);
    await engine.retryFrom(id, 'c', 'ops-team');
    await engine.waitFor(id);
    await engine.cancel(id, "enough", "ops-team");
    const history = await expectValid(engine, id, def);
    expect(types(history)).toEqual(
      expect.arrayContaining(['workflow.paused', 'workflow.resumed', 'instance.data_updated', 'step.skipped_by_operator:b', 'workflow.retried', 'instance.retried_from:c', 'workflow.cancelled']),
    );
    await engine.close();
  });

  it('a child workflow: the parent step waits for it and gets its data', async () => {
    const { engine } = setup();
    engine.registerAction('spawn', (ctx) => ActionResult.startChild({ workflow: 'child', data: { n: ctx.data.n as number } }));
    engine.registerAction('double', (ctx) => ActionResult.success({ doubled: (ctx.data.n as number) * 2 }));
    engine.registerAction('check', () => ActionResult.success());
    const parent: WorkflowDefinitionInput = {
      name: 'parent',
      steps: { spawn: { action: 'spawn' }, big: { action: 'check' }, small: { action: 'check' } },
      transitions: [
        { from: 'spawn', to: 'big', condition: 'spawn.doubled > 10' },
        { from: 'spawn', to: 'small' },
      ],
    };
    const child: WorkflowDefinitionInput = { name: 'child', steps: { d: { action: 'double' } } };
    engine.registerDefinition(parent);
    engine.registerDefinition(child);
    const { id } = await engine.start('parent', { n: 21 });
    await engine.waitFor(id, { until: 'terminal' });
    expect(types(await expectValid(engine, id, parent))).toEqual(expect.arrayContaining(['child.started:spawn', 'child.finished:spawn', 'step.scheduled:big']));
    const [kid] = (await engine.listInstances({ definitionName: 'child' })).items;
    await expectValid(engine, kid!.id, child);
    await engine.close();
  });
});

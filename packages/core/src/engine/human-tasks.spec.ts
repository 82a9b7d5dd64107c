import { describe, expect, it } from '@jest/globals';
import { ActionResult } from '../actions/action-result.js';
import type { WorkflowDefinitionInput } from '../definition/definition.types.js';
import { silentLogger } from '../logger.js';
import { MemoryStorage } from '../storage/memory-storage.js';
import { ManualClock } from './clock.js';
import { WorkflowEngine } from './workflow-engine.js';

function setup() {
  const clock = new ManualClock();
  const engine = new WorkflowEngine({ clock, storage: new MemoryStorage(), logger: silentLogger });
  engine.registerAction('prepare', (ctx) => ActionResult.success({ prepared: ctx.stepId }));
  engine.registerAction('ok', () => ActionResult.success());
  return { engine, clock };
}

const review: WorkflowDefinitionInput = {
  name: 'review',
  steps: {
    submit: { action: 'ok' },
    approve: { action: 'prepare', assigned_to: 'manager_role', timeout: '2d', config: { fields: ['approved', 'comment'] } },
    archive: { action: 'ok' },
    reject: { action: 'ok' },
  },
  transitions: [
    { from: 'submit', to: 'approve' },
    { from: 'approve', to: 'archive', condition: 'approved === true' },
    { from: 'approve', to: 'reject' },
  ],
};

describe('human tasks', () => {
  it('opens a task after the preparing action, waits, and goes on when it is completed', async () => {
    const { engine, clock } = setup();
    engine.registerDefinition(review);
    const { id } = await engine.start('review');
    const waiting = await engine.waitFor(id);
    expect(waiting.state).toBe('WAITING');
    const [task] = await engine.listTasks({ assignedTo: 'manager_role' });
    expect(task).toMatchObject({
      id: `${id}.approve.1`,
      instanceId: id,
      stepId: 'approve',
      state: 'OPEN',
      assignedTo: 'manager_role',
      dueAt: clock.now() + 2 * 86_400_000,
      form: { fields: ['approved', 'comment'] },
    });
    expect(waiting.data.prepared).toBe('approve');
    expect(await engine.listTasks({ assignedTo: 'legal_team' })).toEqual([]);

    await engine.claimTask(task!.id, 'alice');
    await expect(engine.completeTask(task!.id, { approved: true }, 'bob')).rejects.toMatchObject({ code: 'WF_ILLEGAL_TRANSITION', message: expect.stringContaining('claimed by alice') });
    await engine.completeTask(task!.id, { approved: true, comment: 'fine' }, 'alice');
    const done = await engine.waitFor(id);
    expect(done.state).toBe('COMPLETED');
    expect(done.data).toMatchObject({ approved: true, comment: 'fine' });
    expect(Object.keys(done.steps)).toEqual(['submit', 'approve', 'archive']);
    expect(done.steps.approve!.task).toMatchObject({ state: 'COMPLETED', completedBy: 'alice', claimedBy: 'alice' });
    const completed = (await engine.getHistory(id)).find((e) => e.type === 'task.completed');
    expect(completed?.data).toMatchObject({ by: 'alice', data: { approved: true, comment: 'fine' } });
    expect(await engine.listTasks()).toEqual([]);
    expect(await engine.listTasks({ state: 'COMPLETED' })).toHaveLength(1);
    await expect(engine.completeTask(task!.id, {}, 'alice')).rejects.toMatchObject({ code: 'WF_ILLEGAL_TRANSITION', message: expect.stringContaining('the task is COMPLETED') });
    await engine.close();
  });

  it('fails the step when the task is overdue and there is no escalation', async () => {
    const { engine, clock } = setup();
    engine.registerDefinition(review);
    const { id } = await engine.start('review');
    await engine.waitFor(id);
    await clock.advance(2 * 86_400_000);
    const inst = await engine.waitFor(id);
    expect(inst.state).toBe('FAILED');
    expect(inst.error).toMatchObject({ code: 'WF_TIMEOUT', stepId: 'approve', message: expect.stringContaining('was not completed by its due time (2d)') });
    expect(inst.steps.approve!.task!.state).toBe('EXPIRED');
    await engine.close();
  });

  it('follows the on_timeout transition when the task is overdue', async () => {
    const { engine, clock } = setup();
    engine.registerDefinition({ ...review, name: 'escalating', steps: { ...review.steps, escalate: { action: 'ok' } }, transitions: [...review.transitions!, { from: 'approve', to: 'escalate', on_timeout: true }] });
    const { id } = await engine.start('escalating');
    await engine.waitFor(id);
    await clock.advance(2 * 86_400_000);
    const inst = await engine.waitFor(id);
    expect(inst.state).toBe('COMPLETED');
    expect(inst.steps.approve!.status).toBe('TIMED_OUT');
    expect(inst.steps.escalate!.status).toBe('COMPLETED');
    expect(inst.steps.reject).toBeUndefined();
    await engine.close();
  });

  it('refuses to complete a task of a cancelled instance, or an unknown task', async () => {
    const { engine } = setup();
    engine.registerDefinition(review);
    const { id } = await engine.start('review');
    await engine.waitFor(id);
    const [task] = await engine.listTasks();
    await engine.cancel(id);
    await expect(engine.completeTask(task!.id, {}, 'alice')).rejects.toMatchObject({ code: 'WF_ILLEGAL_TRANSITION', message: expect.stringContaining('the task is CANCELLED') });
    await expect(engine.completeTask(`${id}.nope.1`, {}, 'alice')).rejects.toMatchObject({ code: 'WF_NOT_FOUND' });
    await expect(engine.completeTask(task!.id, {})).rejects.toMatchObject({ code: 'WF_INPUT_INVALID' });
    await engine.close();
  });

  it('rejects on_timeout on a step that is not a human task', () => {
    const { engine } = setup();
    expect(() =>
      engine.registerDefinition({ name: 'bad', steps: { a: { action: 'ok' }, b: { action: 'ok' } }, transitions: [{ from: 'a', to: 'b', on_timeout: true }] }),
    ).toThrow('transitions[0].on_timeout: applies only to transitions leaving a human task step (one with assigned_to); "a" has none');
  });
});

import { afterAll, describe, expect, it, jest } from '@jest/globals';
import path from 'node:path';
import { FIXTURES, json, runCli, tempDatabase } from './support/cli-process.js';

// Every test runs the CLI as child processes (about half a second each).
jest.setTimeout(60_000);

const approvalModule = path.join(FIXTURES, 'approval.mjs');

interface Instance {
  id: string;
  state: string;
  data: Record<string, unknown>;
  steps: Record<string, { status: string }>;
}

describe('human tasks and signals', () => {
  const db = tempDatabase();
  const env = { WORKFLOW_DATABASE_URL: db.url };
  afterAll(() => db.remove());

  it('waits on a task, lists it, completes it, then goes on with a signal', async () => {
    const run = await runCli(['run', 'expense_approval', '--module', approvalModule], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/expense_approval v1 {2}WAITING/);
    expect(run.stdout).toMatch(/complete it: workflow-mastery --module \S+approval\.mjs complete [0-9a-f-]{36}\.review\.1 --data/);

    const tasks = json<{ items: Array<{ id: string; instanceId: string; assignedTo: string; state: string }> }>(await runCli(['tasks', '--assignee', 'finance', '--json'], env));
    expect(tasks.items).toHaveLength(1);
    const task = tasks.items[0]!;
    expect(task).toMatchObject({ assignedTo: 'finance', state: 'OPEN' });
    const table = await runCli(['tasks'], env);
    expect(table.stdout).toContain(task.id);
    expect((await runCli(['tasks', '--assignee', 'legal', '--json'], env)).stdout).toContain('"items": []');

    const completed = await runCli(['complete', task.id, '--data', '{"approved":true}', '--by', 'alice', '--module', approvalModule], env);
    expect(completed.code).toBe(0);
    expect(completed.stdout).toContain(`task ${task.id} completed by alice`);
    expect(completed.stdout).toContain('WAITING');
    expect(completed.stdout).toContain(`workflow-mastery --module ${approvalModule} signal ${task.instanceId} payout_sent`);

    const signalled = await runCli(['signal', task.instanceId, 'payout_sent', '--data', '{"amount":42}', '--module', approvalModule, '--json'], env);
    expect(signalled.code).toBe(0);
    const done = json<Instance>(signalled);
    expect(done.state).toBe('COMPLETED');
    expect(done.data).toMatchObject({ approved: true });
    expect(done.steps.archive!.status).toBe('COMPLETED');

    const history = json<{ events: Array<{ type: string; data?: Record<string, unknown> }> }>(await runCli(['history', task.instanceId, '--json'], env));
    expect(history.events.find((e) => e.type === 'task.completed')!.data).toMatchObject({ by: 'alice' });
    expect(history.events.find((e) => e.type === 'signal.received')!.data).toMatchObject({ name: 'payout_sent' });
  });

  it('hands work off when the command has no actions (the definition comes from the database)', async () => {
    const run = json<Instance>(await runCli(['run', 'expense_approval', '--module', approvalModule, '--json'], env));
    // No --module, no --definition: the version the instance runs on is stored with it.
    const result = await runCli(['complete', `${run.id}.review.1`, '--data', '{"approved":false}', '--by', 'bob'], env);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('its next steps run in a process that has its actions');
    const status = json<Instance>(await runCli(['status', run.id, '--json'], env));
    // Nothing ran here: the next step waits, scheduled, for a process with actions.
    expect(status.state).toBe('RUNNING');
    expect(status.steps.reject!.status).toBe('SCHEDULED');
  });
});

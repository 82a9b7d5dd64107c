import { afterAll, describe, expect, it, jest } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { FIXTURES, json, runCli, tempDatabase } from './support/cli-process.js';

// Every test runs the CLI as child processes (about half a second each).
jest.setTimeout(60_000);

const approvalModule = path.join(FIXTURES, 'approval.mjs');

interface Instance {
  id: string;
  state: string;
  data: Record<string, unknown>;
}

describe('pause, resume, cancel and retry', () => {
  const db = tempDatabase();
  const env = { WORKFLOW_DATABASE_URL: db.url };
  const withModule = ['--module', approvalModule];
  afterAll(() => db.remove());

  it('pauses and resumes a waiting instance, then cancels it with a reason', async () => {
    const { id } = json<Instance>(await runCli(['run', 'expense_approval', ...withModule, '--json'], env));

    const paused = await runCli(['pause', id, ...withModule, '--by', 'ops'], env);
    expect(paused.code).toBe(0);
    expect(paused.stdout).toContain(`${id} paused`);
    expect(paused.stdout).toContain(`workflow-mastery --module ${approvalModule} resume ${id}`);
    expect(json<Instance>(await runCli(['status', id, '--json'], env)).state).toBe('PAUSED');

    const resumed = json<Instance>(await runCli(['resume', id, ...withModule, '--json'], env));
    expect(resumed.state).toBe('WAITING');

    const cancelled = await runCli(['cancel', id, '--reason', 'duplicate request', ...withModule], env);
    expect(cancelled.code).toBe(0);
    expect(cancelled.stdout).toContain('CANCELLED');
    const history = json<{ events: Array<{ type: string; data?: Record<string, unknown> }> }>(await runCli(['history', id, '--json'], env));
    expect(history.events.map((e) => e.type)).toEqual(expect.arrayContaining(['workflow.paused', 'workflow.resumed', 'workflow.cancelled']));
    expect(history.events.find((e) => e.type === 'workflow.cancelled')!.data).toMatchObject({ reason: 'duplicate request' });

    // An illegal move is one line with the engine's code.
    const again = await runCli(['cancel', id, ...withModule], env);
    expect(again.code).toBe(1);
    expect(again.stderr.trim().split('\n')).toHaveLength(1);
    expect(again.stderr).toMatch(/^workflow-mastery: .*CANCELLED.* \[WF_ILLEGAL_TRANSITION\]$/m);
  });

  it('retries a FAILED instance once its cause is fixed, running it here with --module', async () => {
    const marker = path.join(db.dir, 'fixed');
    const failed = await runCli(['run', 'flaky', ...withModule, '--data', JSON.stringify({ marker }), '--json'], env);
    expect(failed.code).toBe(1);
    const { id, state } = json<Instance>(failed);
    expect(state).toBe('FAILED');

    writeFileSync(marker, 'ok');
    const retried = await runCli(['retry', id, ...withModule], env);
    expect(retried.code).toBe(0);
    expect(retried.stdout).toContain(`${id} retried`);
    expect(retried.stdout).toContain('✔ attempt completed');
    expect(retried.stdout).toMatch(/flaky v1 {2}COMPLETED/);
    expect(json<Instance>(await runCli(['status', id, '--json'], env)).data).toMatchObject({ fixed_ok: true });
  });
});

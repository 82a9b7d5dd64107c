import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { replayHistory, type WorkflowDefinitionInput } from '@workflow-mastery/core';
import { parse } from 'yaml';
import { FIXTURES, json, runCli, tempDatabase } from './support/cli-process.js';

// Every test runs the CLI as child processes (about half a second each).
jest.setTimeout(60_000);

const yamlFile = path.join(FIXTURES, 'greeting.yaml');
const greetingActions = path.join(FIXTURES, 'greeting-actions.mjs');
const approvalModule = path.join(FIXTURES, 'approval.mjs');

interface Instance {
  id: string;
  state: string;
  definitionName: string;
  data: Record<string, unknown>;
}

describe('run, start and the read commands on SQLite', () => {
  const db = tempDatabase();
  const env = { WORKFLOW_DATABASE_URL: db.url };
  let completedId = '';
  let failedId = '';

  beforeAll(async () => {
    const ok = await runCli(['run', yamlFile, '--module', greetingActions, '--data', '{"name":"Ada"}', '--json'], env);
    expect(ok.code).toBe(0);
    completedId = json<Instance>(ok).id;
    const failed = await runCli(['run', yamlFile, '--module', greetingActions, '--data', '{"name":"nobody"}', '--json'], env);
    expect(failed.code).toBe(1);
    failedId = json<Instance>(failed).id;
  });
  afterAll(() => db.remove());

  it('runs a YAML definition with actions from a module, with progress lines, exit 0', async () => {
    const result = await runCli(['run', yamlFile, '--module', greetingActions, '--data', '{"name":"Grace"}'], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/greeting v1\.0 started: [0-9a-f-]{36}/);
    expect(result.stdout).toContain('[1/2] ✔ compose completed');
    expect(result.stdout).toContain('[2/2] ✔ deliver completed');
    expect(result.stdout).toMatch(/greeting v1\.0 {2}COMPLETED/);
    expect(result.stdout).not.toMatch(/\u001b\[/); // NO_COLOR and not a TTY
  });

  it('run with an idempotency key already used follows that instance instead of starting another', async () => {
    const first = await runCli(['run', yamlFile, '--module', greetingActions, '--data', '{"name":"Key"}', '--idempotency-key', 'greet-key', '--json'], env);
    const firstId = json<Instance>(first).id;
    const again = await runCli(['run', yamlFile, '--module', greetingActions, '--data', '{"name":"Other"}', '--idempotency-key', 'greet-key'], env);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain(`idempotency key already used: following instance ${firstId}`);
    expect(again.stdout).toContain(`greeting v1.0 started: ${firstId}`);
  });

  it('prints one JSON document with --json, and exits 1 on a FAILED instance', async () => {
    const status = await runCli(['status', completedId, '--json'], env);
    expect(status.code).toBe(0);
    expect(json<Instance>(status)).toMatchObject({ id: completedId, state: 'COMPLETED', data: { name: 'Ada', greeting: 'Hello, Ada!', delivered: true } });
    const failed = await runCli(['status', failedId, '--json'], env);
    expect(json<Instance>(failed).state).toBe('FAILED');
  });

  it('runs a module exporting definitions and actions, choosing one by name', async () => {
    const marker = path.join(db.dir, 'absent');
    const result = await runCli(['run', approvalModule, '--workflow', 'flaky', '--data', JSON.stringify({ marker })], env);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('flaky v1  FAILED');
    expect(result.stdout).toContain(`retry it: workflow-mastery --module ${approvalModule} retry`);
  });

  it('starts without waiting and prints only the id when not on a TTY', async () => {
    const result = await runCli(['start', yamlFile, '--module', greetingActions], env);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toMatch(/^[0-9a-f-]{36}$/);
    const status = await runCli(['status', result.stdout.trim(), '--json'], env);
    expect(json<Instance>(status).definitionName).toBe('greeting');
  });

  it('lists instances in a table and filters by state, workflow and age', async () => {
    const table = await runCli(['list'], env);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/│ id\s+│ workflow\s+│ version\s+│ state/);
    expect(table.stdout).toContain(completedId);
    expect(table.stdout).toContain(failedId);

    const failedOnly = json<{ items: Instance[] }>(await runCli(['list', '--state', 'failed', '--workflow', 'greeting', '--json'], env));
    expect(failedOnly.items.map((i) => i.id)).toEqual([failedId]);

    const recent = json<{ items: Instance[] }>(await runCli(['list', '--since', '1h', '--limit', '2', '--json'], env));
    expect(recent.items).toHaveLength(2);
    const future = json<{ items: Instance[] }>(await runCli(['list', '--since', '2999-01-01', '--json'], env));
    expect(future.items).toEqual([]);
  });

  it('shows the history as a table and as JSON', async () => {
    const table = await runCli(['history', completedId], env);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/workflow\.started[\s\S]*step\.completed[\s\S]*workflow\.completed/);
    const doc = json<{ instanceId: string; events: Array<{ seq: number; type: string }> }>(await runCli(['history', completedId, '--json'], env));
    expect(doc.instanceId).toBe(completedId);
    expect(doc.events[0]).toMatchObject({ seq: 1, type: 'workflow.started' });
    expect(doc.events.at(-1)!.type).toBe('workflow.completed');
    // What `history --json` prints is what replayHistory takes to check the run against a definition version.
    const printed = (await runCli(['history', failedId, '--json'], env)).stdout;
    const greeting = parse(await readFile(yamlFile, 'utf8')) as WorkflowDefinitionInput;
    expect(replayHistory(printed, greeting)).toMatchObject({ valid: true });
    const renamed = { ...greeting, steps: { compose: greeting.steps.compose!, hand_over: greeting.steps.deliver! }, transitions: [{ from: 'compose', to: 'hand_over' }] };
    expect(replayHistory(printed, renamed)).toMatchObject({ valid: false, divergence: { stepId: 'deliver', event: { type: 'step.scheduled' } } });
  });

  it('shows the status of an instance with its steps', async () => {
    const result = await runCli(['status', failedId], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('FAILED');
    expect(result.stdout).toContain('error: deliver: nobody to deliver to');
    expect(result.stdout).toMatch(/│ deliver\s+│ FAILED/);
  });
});

import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import path from 'node:path';
import { FIXTURES, json, runCli, tempDatabase } from './support/cli-process.js';

// Every test runs the CLI as child processes (about half a second each).
jest.setTimeout(60_000);

const greetingYaml = path.join(FIXTURES, 'greeting.yaml');
const greetingActions = path.join(FIXTURES, 'greeting-actions.mjs');
const approvalModule = path.join(FIXTURES, 'approval.mjs');

describe('diagram', () => {
  const db = tempDatabase();
  // File storage keeps the definition of every started instance, so `diagram --instance` needs no --definition.
  const env = { WORKFLOW_DATABASE_URL: `file:${path.join(db.dir, 'files')}` };
  let completedId = '';
  let waitingId = '';

  beforeAll(async () => {
    const done = await runCli(['run', greetingYaml, '--module', greetingActions, '--data', '{"name":"Ada"}', '--json'], env);
    expect(done.code).toBe(0);
    completedId = json<{ id: string }>(done).id;
    const waiting = await runCli(['run', approvalModule, '--workflow', 'expense_approval', '--json'], env);
    expect(waiting.code).toBe(0);
    waitingId = json<{ id: string }>(waiting).id;
  });
  afterAll(() => db.remove());

  it('prints a definition from --module as Mermaid text on stdout, nothing else', async () => {
    const result = await runCli(['diagram', 'expense_approval', '--module', approvalModule], env);
    expect([result.code, result.stderr]).toEqual([0, '']);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe('flowchart TD');
    expect(lines).toEqual(
      expect.arrayContaining([
        '  %% expense_approval@1',
        '  s_review(["review<br/>action: prepare_review<br/>human task: finance"])',
        '  s_review -->|"approved === true"| s_wait_payout',
        '  s_review -->|"otherwise"| s_reject',
        '  class s_review human',
      ]),
    );
    expect(result.stdout.endsWith('\n')).toBe(true);
  });

  it('takes NAME@VERSION, a definition file, --direction LR, and --json', async () => {
    const named = await runCli(['diagram', 'greeting@1.0', '--definition', greetingYaml, '--direction', 'LR'], env);
    expect(named.code).toBe(0);
    expect(named.stdout).toMatch(/^flowchart LR\n {2}%% greeting@1\.0\n/);
    const file = await runCli(['diagram', greetingYaml], env);
    expect(file.stdout).toContain('  s_compose --> s_deliver\n');
    const doc = json<{ name: string; version: string; mermaid: string }>(await runCli(['diagram', greetingYaml, '--json'], env));
    expect(doc).toMatchObject({ name: 'greeting', version: '1.0' });
    expect(doc.mermaid).toBe(file.stdout);
  });

  it('--instance marks the path taken and the current step, with the definition the instance runs on', async () => {
    const completed = await runCli(['diagram', '--instance', completedId], env);
    expect(completed.code).toBe(0);
    expect(completed.stdout).toContain(`  %% instance ${completedId}: COMPLETED\n`);
    expect(completed.stdout).toContain('  class s_compose completed\n  class s_deliver completed\n  linkStyle 0,1 stroke:');

    const waiting = await runCli(['diagram', 'expense_approval', '--instance', waitingId], env);
    expect(waiting.code).toBe(0);
    expect(waiting.stdout).toContain('  class s_submit completed\n');
    expect(waiting.stdout).toContain('  class s_review current\n');
    expect(waiting.stdout).toMatch(/ {2}linkStyle 0,1 /);
  });

  it('refuses an unknown name naming the known definitions, an unknown version, instance or layout', async () => {
    const unknown = await runCli(['diagram', 'nope', '--module', approvalModule], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stdout).toBe('');
    // The stored greeting@1.0 (its instance ran) is known too.
    expect(unknown.stderr).toMatch(/no workflow definition "nope" in --module\/--definition files or the database; known: .*expense_approval@1/);
    expect(unknown.stderr).toMatch(/known: .*flaky@1/);
    expect(unknown.stderr).toMatch(/known: .*greeting@1\.0/);

    const version = await runCli(['diagram', 'greeting@9', '--definition', greetingYaml], env);
    expect(version.stderr).toContain('no workflow definition "greeting@9" in --module/--definition files or the database; known: ');

    const noInstance = await runCli(['diagram', '--instance', 'missing'], env);
    expect([noInstance.code, noInstance.stderr.trim()]).toEqual([1, 'workflow-mastery: No instance "missing". [WF_NOT_FOUND]']);

    const other = await runCli(['diagram', 'flaky', '--instance', completedId], env);
    expect(other.code).toBe(2);
    expect(other.stderr).toContain(`instance ${completedId} runs on greeting@1.0, not flaky`);

    expect((await runCli(['diagram', 'greeting', '--direction', 'BT'], env)).stderr).toContain('--direction must be TD or LR, got "BT"');
    expect((await runCli(['diagram'], env)).code).toBe(2);
  });
});

import { afterAll, describe, expect, it, jest } from '@jest/globals';
import { spawn } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BIN, finished, FIXTURES, runCli, tempDatabase, type CliResult } from './support/cli-process.js';

// Every test runs the CLI as child processes (about half a second each).
jest.setTimeout(60_000);

const approvalModule = path.join(FIXTURES, 'approval.mjs');

/** The command printed after `label` ("retry it:"), as one line. */
function hint(result: CliResult, label: string): string {
  const line = result.stdout.split('\n').find((l) => l.trimStart().startsWith(label));
  if (!line) throw new Error(`no "${label}" hint in:\n${result.stdout}\n${result.stderr}`);
  return line.trimStart().slice(label.length).trim();
}

describe('printed next steps', () => {
  const db = tempDatabase();
  // A `workflow-mastery` on PATH, so a hint runs in a shell exactly as a user would paste it.
  const shim = path.join(db.dir, 'workflow-mastery');
  writeFileSync(shim, `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
  chmodSync(shim, 0o755);
  afterAll(() => db.remove());

  /** Run `command` in `sh`, with no storage settings in the environment: only what the hint says counts. */
  function runInShell(command: string): Promise<CliResult> {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', PATH: `${db.dir}${path.delimiter}${process.env.PATH ?? ''}` };
    for (const name of ['NODE_OPTIONS', 'FORCE_COLOR', 'WORKFLOW_DATABASE_URL', 'WORKFLOW_MODULES', 'WORKFLOW_TABLE_PREFIX']) delete env[name];
    return finished(spawn('sh', ['-c', command], { env, cwd: db.dir, stdio: ['ignore', 'pipe', 'pipe'] }));
  }

  it('a retry hint carries --database and --module and works as printed', async () => {
    const marker = path.join(db.dir, 'fixed');
    const run = await runCli(['--database', db.url, 'run', 'flaky', '--module', approvalModule, '--data', JSON.stringify({ marker })]);
    expect(run.code).toBe(1);
    const retry = hint(run, 'retry it:');
    expect(retry).toMatch(/^workflow-mastery --database \S+ --module \S+approval\.mjs retry [0-9a-f-]{36}$/);

    writeFileSync(marker, 'the cause is fixed');
    const retried = await runInShell(retry);
    expect(retried.stderr).toBe('');
    expect(retried.code).toBe(0);
    expect(retried.stdout).toMatch(/flaky v1 {2}COMPLETED/);
  });

  it('a complete hint after `run FILE` names that file as --module, and works with its placeholders filled in', async () => {
    const run = await runCli(['run', approvalModule, '--workflow', 'expense_approval', '--database', db.url]);
    expect(run.code).toBe(0);
    const complete = hint(run, 'complete it:');
    expect(complete).toMatch(/^workflow-mastery --database \S+ --module \S+approval\.mjs complete \S+\.review\.1 --data '\{\.\.\.\}' --by USER$/);

    const done = await runInShell(complete.replace(`'{...}'`, `'{"approved":true}'`).replace(/USER$/, 'alice'));
    expect(done.stderr).toBe('');
    expect(done.code).toBe(0);
    expect(done.stdout).toMatch(/completed by alice/);
    // The next hint (a signal to send) carries the same options.
    expect(hint(done, 'send it:')).toMatch(/^workflow-mastery --database \S+ --module \S+approval\.mjs signal [0-9a-f-]{36} payout_sent --data/);
  });

  it('leaves out what came from the environment (the next command in that shell has it too)', async () => {
    const run = await runCli(['run', 'flaky', '--module', approvalModule, '--data', '{"marker":"/nonexistent"}'], { WORKFLOW_DATABASE_URL: db.url });
    expect(hint(run, 'retry it:')).toMatch(/^workflow-mastery --module \S+ retry [0-9a-f-]{36}$/);
  });

  it("lists the global options in every command's help", async () => {
    for (const command of ['run', 'complete', 'retry', 'serve']) {
      const help = await runCli([command, '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain('Global Options:');
      expect(help.stdout).toMatch(/-m, --module <file>/);
      expect(help.stdout).toMatch(/-d, --database <url>/);
    }
  });
});

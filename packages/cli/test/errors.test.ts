import { afterAll, describe, expect, it, jest } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { FIXTURES, json, runCli, tempDatabase } from './support/cli-process.js';

// Every test runs the CLI as child processes (about half a second each).
jest.setTimeout(60_000);

describe('errors: one line on stderr, no stack trace, a non-zero exit code', () => {
  const db = tempDatabase();
  const env = { WORKFLOW_DATABASE_URL: db.url };
  afterAll(() => db.remove());

  const oneLine = (stderr: string) => {
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).not.toMatch(/\n\s+at /);
  };

  it('an unknown instance: exit 1, the engine code, and a JSON error with --json', async () => {
    const result = await runCli(['status', 'no-such-instance'], env);
    expect(result.code).toBe(1);
    oneLine(result.stderr);
    expect(result.stderr.trim()).toBe('workflow-mastery: No instance "no-such-instance". [WF_NOT_FOUND]');
    const asJson = await runCli(['history', 'no-such-instance', '--json'], env);
    expect(asJson.code).toBe(1);
    expect(json(asJson)).toEqual({ error: { code: 'WF_NOT_FOUND', message: 'No instance "no-such-instance".' } });
  });

  it('bad YAML: a line naming the file, the problem and where', async () => {
    const result = await runCli(['run', path.join(FIXTURES, 'bad.yaml')], env);
    expect(result.code).toBe(1);
    oneLine(result.stderr);
    expect(result.stderr).toMatch(/^workflow-mastery: .*bad\.yaml is not valid YAML: .+ \(line 5, column \d+\) \[CLI_DEFINITION_SYNTAX\]$/m);
  });

  it('an invalid definition: every issue on the one line, with its path', async () => {
    const file = path.join(db.dir, 'invalid.json');
    writeFileSync(file, JSON.stringify({ name: 'x', steps: { a: { action: 'a', retry_delay: '30x' } }, transitions: [{ from: 'a', to: 'nowhere' }] }));
    const result = await runCli(['run', file], env);
    expect(result.code).toBe(1);
    oneLine(result.stderr);
    expect(result.stderr).toContain('Invalid workflow definition "x"');
    expect(result.stderr).toContain('steps.a.retry_delay');
    expect(result.stderr).toContain('[WF_DEFINITION_INVALID]');
  });

  it('a definition whose actions are not registered says to pass --module', async () => {
    const result = await runCli(['run', path.join(FIXTURES, 'greeting.yaml')], env);
    expect(result.code).toBe(1);
    oneLine(result.stderr);
    expect(result.stderr).toContain('uses actions that are not registered: compose_greeting, deliver_greeting; pass --module FILE');
  });

  it('usage errors exit 2: unknown command, bad option values, bad --data, bad --database', async () => {
    for (const args of [['bogus'], ['list', '--limit', 'zero'], ['list', '--state', 'DONE'], ['signal', 'id', 'go', '--data', '[1]'], ['list', '--database', 'oracle://db']]) {
      const result = await runCli(args, env);
      expect({ args, code: result.code }).toEqual({ args, code: 2 });
      expect(result.stderr).toMatch(/^workflow-mastery: /);
    }
  });

  it('--verbose adds the stack trace', async () => {
    const result = await runCli(['status', 'nope', '--verbose'], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/\n\s+at /);
  });
});

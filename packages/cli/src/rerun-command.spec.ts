import { describe, expect, it } from '@jest/globals';
import { Command } from 'commander';
import { addGlobalOptions } from './global-options.js';
import { commandLine, givenGlobalArgs, shellQuote } from './rerun-command.js';

/** The args `givenGlobalArgs` finds for `argv` on a program with the global options and a `status` command. */
function given(argv: string[], env: NodeJS.ProcessEnv = {}): string[] {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    let found: string[] = [];
    const program = addGlobalOptions(new Command('workflow-mastery').exitOverride());
    program.command('status').argument('<id>').action((_id, _opts, command: Command) => void (found = givenGlobalArgs(command)));
    program.parse(argv, { from: 'user' });
    return found;
  } finally {
    process.env = saved;
  }
}

describe('givenGlobalArgs', () => {
  it('carries storage and definition options given before or after the command, in a fixed order', () => {
    expect(given(['-m', 'a.mjs', 'status', 'x', '--database', 'sqlite:db.sqlite', '--module', 'b.mjs', '--queue', 'q', '--json', '-v'])).toEqual([
      '--database', 'sqlite:db.sqlite', '--module', 'a.mjs', '--module', 'b.mjs', '--queue', 'q',
    ]);
  });

  it('leaves out values from the environment and hides passwords', () => {
    expect(given(['status', 'x'], { WORKFLOW_DATABASE_URL: 'sqlite:env.sqlite' })).toEqual([]);
    expect(given(['status', 'x', '--database', 'postgres://app:s3cret@db:5432/wf', '--redis', 'redis://:pw@cache:6379'])).toEqual([
      '--database', 'postgres://app:***@db:5432/wf', '--redis', 'redis://:***@cache:6379',
    ]);
  });
});

describe('commandLine', () => {
  it('quotes what a shell would split or expand', () => {
    expect(commandLine(['--module', './my flows/m.mjs', '--database', 'sqlite:/tmp/a.sqlite'])).toBe("workflow-mastery --module './my flows/m.mjs' --database sqlite:/tmp/a.sqlite");
    expect(shellQuote("it's $HOME")).toBe(`'it'\\''s $HOME'`);
  });
});

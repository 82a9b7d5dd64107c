/** The commander program: global options plus every command of {@link COMMANDS}. */
import { Command } from 'commander';
import type { CliRuntime } from './cli-runtime.js';
import { COMMANDS } from './commands/index.js';
import { addGlobalOptions } from './global-options.js';
import { CLI_VERSION } from './version.js';

/** A program whose commands run on `runtime` (its output goes to `runtime.io`). */
export function createProgram(runtime: CliRuntime): Command {
  const program = new Command('workflow-mastery')
    .description('Run and operate Workflow Mastery workflows: start, inspect, signal, complete tasks, serve the HTTP API.')
    .version(CLI_VERSION, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    // Inherited by every command (set before they are added): `run --help` lists --module, --database...
    .configureHelp({ showGlobalOptions: true })
    .exitOverride()
    .configureOutput({
      writeOut: (s) => void runtime.io.stdout.write(s),
      writeErr: (s) => void runtime.io.stderr.write(s),
      outputError: (s, write) => write(`workflow-mastery: ${s.replace(/^error: /, '')}`),
    });
  addGlobalOptions(program);
  for (const command of COMMANDS) command.register(program, runtime);
  return program;
}

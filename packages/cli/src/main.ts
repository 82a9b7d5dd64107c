/** Entry point: parse argv, run the command, turn every outcome into an exit code. */
import { CommanderError } from 'commander';
import { ExitCode } from './cli-error.js';
import { CliRuntime } from './cli-runtime.js';
import { createProgram } from './program.js';
import type { CliIo } from './session.js';

/** The real process's streams, environment and folder. */
export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() };
}

/**
 * Run `workflow-mastery` with `argv` (as `process.argv`: node, script, then arguments) and return
 * its exit code: 0 done, 1 error (or the instance FAILED/CANCELLED), 2 usage error.
 */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const runtime = new CliRuntime(io);
  const program = createProgram(runtime);
  try {
    await program.parseAsync([...argv]);
    return runtime.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
    return runtime.report(error, { verbose: argv.includes('--verbose') || argv.includes('-v'), json: argv.includes('--json') });
  }
}

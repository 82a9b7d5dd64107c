/** The shape of one command: a file in `src/commands/`, listed once in `commands/index.ts`. */
import type { Command } from 'commander';
import type { CliRuntime } from './cli-runtime.js';

/** Adds one subcommand to the program. */
export interface CliCommand {
  /** The subcommand's name, as typed. */
  readonly name: string;
  /** Declare the subcommand (arguments, options, help) on `program` and bind its action through `runtime.action`. */
  register(program: Command, runtime: CliRuntime): void;
}

/** Runs command bodies: builds their session, reports their errors, records the exit code. */
import type { Command } from 'commander';
import { ExitCode } from './cli-error.js';
import { errorLine, reportOf } from './error-line.js';
import type { GlobalOptions } from './global-options.js';
import { givenGlobalArgs } from './rerun-command.js';
import { Session, type CliIo } from './session.js';

/**
 * A command body: gets the session, its positional arguments and its own options; returns the exit
 * code (`undefined` is 0).
 */
export type CommandBody<Opts> = (session: Session, args: string[], options: Opts) => Promise<number | void>;

/** Shared by every command of one program run. */
export class CliRuntime {
  /** Exit code of the command that ran. */
  exitCode: number = ExitCode.Ok;

  constructor(readonly io: CliIo) {}

  /**
   * A commander action running `body` in a fresh {@link Session}; any error becomes one line on
   * stderr (plus `{ error }` on stdout with `--json`, the stack with `--verbose`).
   */
  action<Opts = Record<string, unknown>>(body: CommandBody<Opts>): (...all: unknown[]) => Promise<void> {
    return async (...all: unknown[]) => {
      const command = all[all.length - 1] as Command;
      const options = all[all.length - 2] as Opts;
      const args = all.slice(0, -2).flatMap((a) => (Array.isArray(a) ? (a as string[]) : a === undefined ? [] : [String(a)]));
      const globals = command.optsWithGlobals<GlobalOptions & Opts>();
      let session: Session | undefined;
      try {
        session = new Session(globals, this.io, givenGlobalArgs(command));
        const code = await body(session, args, options);
        this.exitCode = code ?? ExitCode.Ok;
      } catch (error) {
        this.exitCode = this.report(error, globals);
      } finally {
        await session?.close();
      }
    };
  }

  /** Write the error line (and JSON body, stack); returns its exit code. */
  report(error: unknown, globals: Partial<GlobalOptions>): number {
    const report = reportOf(error);
    this.io.stderr.write(`${errorLine(report)}\n`);
    if (globals.verbose && error instanceof Error && error.stack) this.io.stderr.write(`${error.stack}\n`);
    if (globals.json) this.io.stdout.write(`${JSON.stringify({ error: { code: report.code, message: report.message } }, null, 2)}\n`);
    return report.exitCode;
  }
}

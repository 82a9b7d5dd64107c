/** Errors the command line raises itself (bad arguments, unreadable files), with their exit code. */

/** Exit codes of `workflow-mastery`. */
export const ExitCode = {
  /** Done; or the instance COMPLETED (or is waiting for a task or signal). */
  Ok: 0,
  /** An error, or the instance FAILED or was CANCELLED. */
  Failure: 1,
  /** Bad usage: unknown option, missing argument, invalid option value. */
  Usage: 2,
  /** Interrupted with Ctrl-C. */
  Interrupted: 130,
} as const;

/** A problem the user can fix, reported as one line on stderr. */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    /** Exit code of the process. @defaultValue 1 */
    readonly exitCode: number = ExitCode.Failure,
    /** Stable code for `--json` error output. @defaultValue `CLI_ERROR` */
    readonly code: string = 'CLI_ERROR',
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A bad option value or argument: exit code 2, like commander's own usage errors. */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, ExitCode.Usage, 'CLI_USAGE');
  }
}

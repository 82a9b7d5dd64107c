/** Turns any error into the one line (and the JSON body) the command line reports. */
import { isWorkflowError, NotFoundError } from '@workflow-mastery/core';
import { CliError } from './cli-error.js';
import { MISSING_DEFINITION_HINT } from './cli.messages.js';

/** What the CLI reports about an error. */
export interface ErrorReport {
  code: string;
  /** One line, no trailing period duplication. */
  message: string;
  exitCode: number;
}

/** Collapse a multi-line message into one line (`a:\n  - b\n  - c` → `a: b; c`). */
export function oneLine(text: string): string {
  const lines = text
    .split('\n')
    .map((l) => l.trim().replace(/^- /, ''))
    .filter((l) => l !== '');
  if (lines.length <= 1) return lines[0] ?? '';
  const [head, ...rest] = lines;
  return `${head!.replace(/:$/, '')}: ${rest.join('; ')}`;
}

/** The report for `error`: engine errors keep their code, everything else is `CLI_ERROR`/its name. */
export function reportOf(error: unknown): ErrorReport {
  if (error instanceof CliError) return { code: error.code, message: oneLine(error.message), exitCode: error.exitCode };
  if (error instanceof NotFoundError && error.kind === 'definition') {
    return { code: error.code, message: `workflow definition "${error.id}" is not loaded in this command; ${MISSING_DEFINITION_HINT}`, exitCode: 1 };
  }
  if (isWorkflowError(error)) return { code: error.code, message: oneLine(error.message), exitCode: 1 };
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return { code: typeof code === 'string' ? code : error.name, message: oneLine(error.message) || error.name, exitCode: 1 };
  }
  return { code: 'CLI_ERROR', message: oneLine(String(error)), exitCode: 1 };
}

/** `workflow-mastery: <message> [<code>]`. */
export function errorLine(report: ErrorReport): string {
  const tag = report.code && report.code !== 'CLI_ERROR' && report.code !== 'CLI_USAGE' ? ` [${report.code}]` : '';
  return `workflow-mastery: ${report.message}${tag}`;
}

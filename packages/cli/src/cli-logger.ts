/** The engine's logger under the command line: quiet unless asked, one line per message. */
import type { Logger } from '@workflow-mastery/core';

/** How much of the engine's logging reaches stderr. */
export type LogLevel = 'silent' | 'error' | 'warn' | 'info' | 'debug';

const RANK: Record<LogLevel, number> = { silent: 0, error: 1, warn: 2, info: 3, debug: 4 };

/** A logger writing `workflow-mastery [level] message {fields}` lines through `write`, up to `level`. */
export function cliLogger(level: LogLevel, write: (line: string) => void): Logger {
  const at = (lvl: Exclude<LogLevel, 'silent'>) => (obj: object, msg?: string) => {
    if (RANK[lvl] > RANK[level]) return;
    write(`workflow-mastery [${lvl}] ${msg ?? ''} ${fields(obj)}`.trimEnd());
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

function fields(obj: object): string {
  const entries = Object.entries(obj).map(([k, v]) => {
    // The cause is what an operator needs (a storage error under a WorkflowError); one line, no stack.
    if (v instanceof Error) return [k, v.cause instanceof Error ? `${v.message} (cause: ${v.cause.message})` : v.message];
    return [k, v];
  });
  if (entries.length === 0) return '';
  try {
    return JSON.stringify(Object.fromEntries(entries));
  } catch {
    return '';
  }
}

/** Parsers of option values shared by several commands. */
import { isDuration, parseDuration, TERMINAL_STATES, type InstanceState, type TaskState } from '@workflow-mastery/core';
import { UsageError } from './cli-error.js';

/** Every instance state, for `--state`. */
export const INSTANCE_STATES: readonly InstanceState[] = ['PENDING', 'RUNNING', 'WAITING', 'PAUSED', 'COMPENSATING', ...TERMINAL_STATES];

/** Every task state, for `tasks --state`. */
export const TASK_STATES: readonly TaskState[] = ['OPEN', 'CLAIMED', 'COMPLETED', 'EXPIRED', 'CANCELLED'];

/** `--limit N` (or the option `flag`): a positive integer. */
export function parseLimit(value: string | undefined, fallback: number, max = 1000, flag = '--limit'): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new UsageError(`${flag} must be an integer from 1 to ${max}, got "${value}"`);
  return n;
}

/** `--state a,b`: some of `allowed`, case-insensitive; `what` names them in the error. */
function parseStateList<S extends string>(value: string | undefined, allowed: readonly S[], what: string): S[] | undefined {
  if (value === undefined) return undefined;
  const states = value.split(',').map((s) => s.trim().toUpperCase()).filter((s) => s !== '');
  for (const s of states) {
    if (!(allowed as readonly string[]).includes(s)) throw new UsageError(`--state "${s}" is not ${what}; use ${allowed.join(', ')}`);
  }
  return states as S[];
}

/** `--state a,b`: instance states, case-insensitive. */
export function parseStates(value: string | undefined): InstanceState[] | undefined {
  return parseStateList(value, INSTANCE_STATES, 'a state');
}

/** `tasks --state a,b`: task states, case-insensitive. */
export function parseTaskStates(value: string | undefined): TaskState[] | undefined {
  return parseStateList(value, TASK_STATES, 'a task state');
}

/** `--since 1h` (a duration back from now) or `--since 2025-01-31T10:00` (a date): epoch ms. */
export function parseSince(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  if (isDuration(value)) return now - parseDuration(value);
  const date = Date.parse(value);
  if (Number.isNaN(date)) throw new UsageError(`--since "${value}" is neither a duration (30m, 2h, 7d) nor a date (2025-01-31, 2025-01-31T10:00:00Z)`);
  return date;
}

/** `--timeout 10m`: milliseconds, or `undefined` when not given. */
export function parseTimeout(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!isDuration(value)) throw new UsageError(`--timeout "${value}" is not a duration (500ms, 30s, 2m, 1h, 2d)`);
  return parseDuration(value);
}

/** `--retention 30d` (or `false`/`off`/`forever`): milliseconds, `false`, or `undefined` when not given. */
export function parseRetention(value: string | undefined): number | false | undefined {
  if (value === undefined || value === '') return undefined;
  if (['false', 'off', 'forever', 'never'].includes(value.trim().toLowerCase())) return false;
  if (!isDuration(value)) throw new UsageError(`--retention "${value}" is not a duration (1h, 7d, 30d) nor false (keep finished instances forever); also settable as WORKFLOW_RETENTION`);
  return parseDuration(value);
}

/** `--attr name=value` (repeatable): the search attributes to match, all of them. */
export function parseAttributes(values: readonly string[] | undefined): Record<string, string> | undefined {
  if (!values || values.length === 0) return undefined;
  const attributes: Record<string, string> = {};
  for (const pair of values) {
    const eq = pair.indexOf('=');
    const name = eq < 0 ? '' : pair.slice(0, eq).trim();
    if (eq < 0 || !/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) {
      throw new UsageError(`--attr "${pair}" must be name=value, a search attribute of the definition (e.g. --attr customer=C-42)`);
    }
    attributes[name] = pair.slice(eq + 1);
  }
  return attributes;
}

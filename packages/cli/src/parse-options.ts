/** Parsers of option values shared by several commands. */
import { isDuration, parseDuration, TERMINAL_STATES, type InstanceState, type TaskState } from '@workflow-mastery/core';
import { UsageError } from './cli-error.js';

/** Every instance state, for `--state`. */
export const INSTANCE_STATES: readonly InstanceState[] = ['PENDING', 'RUNNING', 'WAITING', 'PAUSED', 'COMPENSATING', ...TERMINAL_STATES];

/** Every task state, for `tasks --state`. */
export const TASK_STATES: readonly TaskState[] = ['OPEN', 'CLAIMED', 'COMPLETED', 'EXPIRED', 'CANCELLED'];

/** `--limit N`: a positive integer. */
export function parseLimit(value: string | undefined, fallback: number, max = 1000): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new UsageError(`--limit must be an integer from 1 to ${max}, got "${value}"`);
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

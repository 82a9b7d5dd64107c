/** Arguments of the migration commands: `NAME@VERSION` and `--step-map old=new`. */
import { UsageError } from './cli-error.js';

/** `order@1` → `{ name: 'order', version: '1' }` (split at the last `@`). */
export function parseNameAtVersion(value: string, what: string): { name: string; version: string } {
  const at = value.lastIndexOf('@');
  const name = at > 0 ? value.slice(0, at).trim() : '';
  const version = at > 0 ? value.slice(at + 1).trim() : '';
  if (name === '' || version === '') throw new UsageError(`${what} "${value}" must be NAME@VERSION, e.g. order@1`);
  return { name, version };
}

/**
 * `--step-map a=b` (repeatable; `a=b,c=d` also works) → `{ a: 'b', c: 'd' }`. `undefined` when
 * none was given.
 */
export function parseStepMap(values: readonly string[] | undefined): Record<string, string> | undefined {
  if (!values || values.length === 0) return undefined;
  const map: Record<string, string> = {};
  for (const pair of values.flatMap((v) => v.split(','))) {
    if (pair.trim() === '') continue;
    const eq = pair.indexOf('=');
    const from = eq > 0 ? pair.slice(0, eq).trim() : '';
    const to = eq > 0 ? pair.slice(eq + 1).trim() : '';
    if (from === '' || to === '') throw new UsageError(`--step-map "${pair}" must be OLD_STEP=NEW_STEP, e.g. --step-map review=manager_review`);
    if (from in map && map[from] !== to) throw new UsageError(`--step-map maps "${from}" twice (to "${map[from]}" and "${to}")`);
    map[from] = to;
  }
  return map;
}

/** Collects a repeatable option. */
export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

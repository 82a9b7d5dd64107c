/**
 * What every decision writes on the record besides its own change: the search attributes read
 * from the data (when the definition declares some), and when a finished instance may be purged.
 */
import type { Json, SearchAttribute } from '../../definition/definition.types.js';
import { MAX_SEARCH_ATTRIBUTE_LENGTH } from '../../definition/parse-retention.js';
import { isTerminal, type InstanceRecord } from '../../model/instance.types.js';
import type { DecideEnv } from './types.js';

/** Sets `attributes` and `purgeAfter` of `inst` (the draft's own copy) for the decision at `env.now`. */
export function stampRecord(env: DecideEnv, inst: InstanceRecord): void {
  const declared = env.definition.searchAttributes;
  if (declared !== undefined) {
    const next = readAttributes(declared, inst.data);
    if (!sameAttributes(inst.attributes, next)) inst.attributes = next;
  }
  if (isTerminal(inst.state)) {
    const retention = env.retentionMs;
    if (inst.purgeAfter === undefined && retention !== undefined && retention !== false) inst.purgeAfter = (inst.completedAt ?? env.now) + retention;
  } else if (inst.purgeAfter !== undefined) inst.purgeAfter = undefined;
}

/** The declared attributes' values as text; absent, non-scalar and over-long values are left out. */
export function readAttributes(declared: readonly SearchAttribute[], data: InstanceRecord['data']): Record<string, string> | undefined {
  let out: Record<string, string> | undefined;
  for (const { name, path } of declared) {
    let value: Json | undefined = data;
    for (const key of path) {
      value = value !== null && typeof value === 'object' && !Array.isArray(value) && Object.hasOwn(value, key) ? value[key] : undefined;
      if (value === undefined) break;
    }
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') continue;
    const text = String(value);
    if (text.length > MAX_SEARCH_ATTRIBUTE_LENGTH) continue;
    (out ??= {})[name] = text;
  }
  return out;
}

function sameAttributes(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((k) => a[k] === b[k]);
}

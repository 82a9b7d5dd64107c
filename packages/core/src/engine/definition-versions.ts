/** Ordering versions, and telling a compiled definition from its source. */
import type { WorkflowDefinition } from '../definition/definition.types.js';

/** Compare dotted versions numerically where they are numbers (`2.10` > `2.9`). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.');
  const pb = b.split('.');
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? '0';
    const y = pb[i] ?? '0';
    const nx = Number(x);
    const ny = Number(y);
    const c = Number.isFinite(nx) && Number.isFinite(ny) ? nx - ny : x.localeCompare(y);
    if (c !== 0) return c;
  }
  return 0;
}

export function isCompiled(def: unknown): def is WorkflowDefinition {
  return typeof def === 'object' && def !== null && 'outgoing' in def && 'source' in def;
}

/**
 * The scan behind `workflow_instances_active` and `workflow_oldest_active_seconds`: unfinished
 * instances read from storage at scrape time, oldest first, up to a cap.
 */
import type { InstanceState, WorkflowEngine } from '@workflow-mastery/core';
import { ACTIVE_STATES } from './metric-names.js';

/** What one scan found. */
export interface ActiveInstances {
  /** Instances by definition name, then state. */
  counts: Map<string, Map<InstanceState, number>>;
  /** `createdAt` (epoch ms) of the oldest unfinished instance of each definition. */
  oldest: Map<string, number>;
  /** True when the cap stopped the scan: the counts are then lower bounds (the oldest ages are exact). */
  truncated: boolean;
}

const PAGE = 500;

/**
 * Pages through the unfinished instances (PENDING, RUNNING, WAITING, PAUSED, COMPENSATING) in
 * creation order, reading at most `max`. Storage adapters filter by state in the query (an index
 * on state), so this reads unfinished instances only, never the finished history.
 */
export async function scanActiveInstances(engine: WorkflowEngine, max: number): Promise<ActiveInstances> {
  const counts = new Map<string, Map<InstanceState, number>>();
  const oldest = new Map<string, number>();
  let scanned = 0;
  let cursor: string | undefined;
  do {
    const page = await engine.listInstances({ state: [...ACTIVE_STATES], order: 'asc', limit: Math.min(PAGE, max - scanned), ...(cursor ? { cursor } : {}) });
    for (const inst of page.items) {
      let byState = counts.get(inst.definitionName);
      if (!byState) counts.set(inst.definitionName, (byState = new Map()));
      byState.set(inst.state, (byState.get(inst.state) ?? 0) + 1);
      // Ascending creation order: the first seen of a definition is its oldest.
      if (!oldest.has(inst.definitionName)) oldest.set(inst.definitionName, inst.createdAt);
    }
    scanned += page.items.length;
    cursor = page.nextCursor;
  } while (cursor && scanned < max);
  return { counts, oldest, truncated: cursor !== undefined };
}

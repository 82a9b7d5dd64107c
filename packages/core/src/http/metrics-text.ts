/**
 * `GET /metrics` when no `metrics` source is given to `createWorkflowApi`: instance counts per
 * state, computed from storage, in the Prometheus text format 0.0.4. The full metrics (counters,
 * step histograms, active gauges) come from `@workflow-mastery/observability`.
 */
import type { WorkflowEngine } from '../engine/workflow-engine.js';
import type { InstanceState } from '../model/instance.types.js';

/** Content type of the Prometheus text exposition format. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

const STATES: readonly InstanceState[] = ['PENDING', 'RUNNING', 'WAITING', 'PAUSED', 'COMPENSATING', 'COMPLETED', 'FAILED', 'CANCELLED'];

/** Escape a label value (backslash, quote, newline). */
function label(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/**
 * Counts every instance in storage by state (and by definition and state). It pages through the
 * whole storage: fine for a scrape every 15 s on thousands of instances, not on millions.
 */
export async function instanceMetricsText(engine: WorkflowEngine): Promise<string> {
  const byState = new Map<string, number>(STATES.map((s) => [s, 0]));
  const byDefinition = new Map<string, number>();
  let cursor: string | undefined;
  do {
    const page = await engine.listInstances({ order: 'asc', limit: 1000, ...(cursor ? { cursor } : {}) });
    for (const inst of page.items) {
      byState.set(inst.state, (byState.get(inst.state) ?? 0) + 1);
      const key = `${inst.definitionName}\u0000${inst.state}`;
      byDefinition.set(key, (byDefinition.get(key) ?? 0) + 1);
    }
    cursor = page.nextCursor;
  } while (cursor);
  const lines = [
    '# HELP workflow_instances Workflow instances in storage, by state.',
    '# TYPE workflow_instances gauge',
    ...[...byState].map(([state, n]) => `workflow_instances{state="${label(state)}"} ${n}`),
    '# HELP workflow_instances_by_definition Workflow instances in storage, by definition and state.',
    '# TYPE workflow_instances_by_definition gauge',
    ...[...byDefinition].sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, n]) => {
      const [definition, state] = key.split('\u0000') as [string, string];
      return `workflow_instances_by_definition{definition="${label(definition)}",state="${label(state)}"} ${n}`;
    }),
    '# HELP workflow_definitions Registered workflow definition versions.',
    '# TYPE workflow_definitions gauge',
    `workflow_definitions ${engine.listDefinitions().length}`,
  ];
  return `${lines.join('\n')}\n`;
}

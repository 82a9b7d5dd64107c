/** The names of every metric `createWorkflowMetrics` registers (before any `prefix`). */

/**
 * Every metric name by role, as dashboards and alert rules use them. Labels:
 *
 * | name | type | labels |
 * | --- | --- | --- |
 * | `workflow_started_total` | counter | `workflow` |
 * | `workflow_completed_total` | counter | `workflow`, `status` (`completed`, `failed`, `cancelled`) |
 * | `workflow_duration_seconds` | histogram | `workflow` (COMPLETED instances) |
 * | `workflow_step_duration_seconds` | histogram | `workflow`, `step` |
 * | `workflow_errors_total` | counter | `workflow` |
 * | `workflow_step_retries_total` | counter | `workflow`, `step` |
 * | `workflow_compensations_total` | counter | `workflow`, `step`, `status` (`completed`, `failed`) |
 * | `workflow_instances_active` | gauge | `workflow`, `state` (`PENDING`, `RUNNING`, `WAITING`, `PAUSED`, `COMPENSATING`) |
 * | `workflow_oldest_active_seconds` | gauge | `workflow` |
 * | `workflow_queue_depth` | gauge | none |
 * | `workflow_instances_purged_total` | counter | `definition` |
 * | `workflow_instances_archived_total` | counter | none |
 */
export const WORKFLOW_METRIC = {
  started: 'workflow_started_total',
  completed: 'workflow_completed_total',
  duration: 'workflow_duration_seconds',
  stepDuration: 'workflow_step_duration_seconds',
  errors: 'workflow_errors_total',
  retries: 'workflow_step_retries_total',
  compensations: 'workflow_compensations_total',
  instancesActive: 'workflow_instances_active',
  oldestActive: 'workflow_oldest_active_seconds',
  queueDepth: 'workflow_queue_depth',
  purged: 'workflow_instances_purged_total',
  archived: 'workflow_instances_archived_total',
} as const;

/** One of {@link WORKFLOW_METRIC}'s values. */
export type WorkflowMetricName = (typeof WORKFLOW_METRIC)[keyof typeof WORKFLOW_METRIC];

/** Every metric name `createWorkflowMetrics` registers (before any `prefix`; see {@link WORKFLOW_METRIC} for labels). */
export const METRIC_NAMES: readonly WorkflowMetricName[] = Object.freeze(Object.values(WORKFLOW_METRIC));

/** Instance states `workflow_instances_active` reports (every state that is not terminal). */
export const ACTIVE_STATES = ['PENDING', 'RUNNING', 'WAITING', 'PAUSED', 'COMPENSATING'] as const;

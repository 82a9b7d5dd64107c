/** Attribute names of the spans `otelInstrumentation` makes. */

/** The attributes set on `workflow <name>` and `step <stepId>` spans. */
export const SPAN_ATTRIBUTES = {
  /** The instance id. */
  workflowId: 'workflow.id',
  /** The definition name. */
  workflowName: 'workflow.name',
  /** The definition version the instance runs on. */
  workflowVersion: 'workflow.version',
  /** Ties the run to the request that started it (also on every log line of the run). */
  correlationId: 'workflow.correlation_id',
  stepId: 'step.id',
  /** 1 for the first try. */
  stepAttempt: 'step.attempt',
  /** `step` or `compensation`. */
  stepKind: 'step.kind',
  /** The registered action name. */
  stepAction: 'step.action',
  /** What the action returned: `success`, `failure`, `wait` or `child`. */
  stepOutcome: 'step.outcome',
  /** On a failure: whether it may be retried. */
  stepRetryable: 'step.retryable',
} as const;

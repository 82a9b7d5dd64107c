/**
 * {@link createWorkflowMetrics}: prom-client metrics of one engine, under the seed's names. Counters
 * and histograms are fed by the engine's events in this process; the active-instance gauges are
 * read from storage at scrape time; the queue depth from the runner (or a callback).
 */
import { ErrorCode, WorkflowError, type Logger, type WorkflowEngine, type WorkflowEvent } from '@workflow-mastery/core';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import { AttemptTimer } from './attempt-timer.js';
import { WORKFLOW_METRIC, type WorkflowMetricName } from './metric-names.js';
import { registerScrapeGauges } from './scrape-gauges.js';
import { badPrefixMessage, badScanLimitMessage, metricTakenMessage, METRICS_ENGINE_REQUIRED } from './observability.messages.js';

/** Default buckets of `workflow_step_duration_seconds`: 5 ms to 10 min. */
export const STEP_DURATION_BUCKETS: readonly number[] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

/** Default buckets of `workflow_duration_seconds`: 100 ms to 7 days. */
export const WORKFLOW_DURATION_BUCKETS: readonly number[] = [0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 1800, 3600, 7200, 21600, 86400, 604800];

/** Options of {@link createWorkflowMetrics}. */
export interface WorkflowMetricsOptions {
  /** The engine whose events and storage are observed. */
  engine: WorkflowEngine;
  /**
   * Where the metrics are registered. Share one with your own metrics to serve them together.
   * @defaultValue a new prom-client `Registry` (never the global one, so two engines never clash)
   */
  registry?: Registry;
  /** Prepended to every metric name (`orders_` gives `orders_workflow_started_total`). @defaultValue `''` */
  prefix?: string;
  /**
   * Work waiting to run, for `workflow_queue_depth`, read at scrape time.
   * @defaultValue `engine.runner.queueDepth()` when the runner has it (the BullMQ runner: jobs
   * waiting and delayed in Redis; the in-process runner: attempts waiting for a free slot, usually 0), else 0
   */
  queueDepth?: () => Promise<number>;
  /**
   * Scrape the active-instance gauges from storage. Turn it off on all but one process when several
   * share a storage, or aggregate them with `max` rather than `sum`. @defaultValue true
   */
  activeInstances?: boolean;
  /**
   * Most unfinished instances read per scrape (oldest first). Past it the counts of
   * `workflow_instances_active` are lower bounds and a warning is logged once; the oldest ages stay exact.
   * @defaultValue 10000
   */
  maxActiveScan?: number;
  /** A scan is reused by scrapes within this many milliseconds. @defaultValue 1000 */
  scanCacheMs?: number;
  /** Buckets (seconds) of `workflow_step_duration_seconds`. @defaultValue {@link STEP_DURATION_BUCKETS} */
  stepBuckets?: readonly number[];
  /** Buckets (seconds) of `workflow_duration_seconds`. @defaultValue {@link WORKFLOW_DURATION_BUCKETS} */
  workflowBuckets?: readonly number[];
  /** Also collect prom-client's process metrics (CPU, memory, event loop lag) into the registry. @defaultValue false */
  defaultMetrics?: boolean;
  /** Where scrape failures (storage down) are logged. @defaultValue the engine's logger */
  logger?: Logger;
}

/** What {@link createWorkflowMetrics} returns: serve `metrics()` with `contentType` (or pass it as `createWorkflowApi`'s `metrics`). */
export interface WorkflowMetrics {
  readonly registry: Registry;
  /** Content type of {@link WorkflowMetrics.metrics}' text (Prometheus text format 0.0.4). */
  readonly contentType: string;
  /** The exposition text: counters as of now, gauges read from storage and the runner now. */
  metrics(): Promise<string>;
  /** Stop listening to the engine and unregister the metrics from the registry. */
  close(): void;
}

type Labels<K extends string> = Partial<Record<K, string>>;

/**
 * Register the workflow metrics of `engine` and keep them up to date.
 *
 * Counters and histograms count what happens in this process (a BullMQ worker counts the steps it
 * runs, the API process the starts it makes): aggregate them across processes with `sum`.
 * `workflow_step_duration_seconds` times each step attempt from `step.started` to its outcome
 * (completed, failed, retrying, waiting for a signal, task opened, child started); compensation
 * attempts are not in it. `workflow_instances_purged_total` and `workflow_instances_archived_total`
 * count the purges this engine runs (its loop, or `engine.purge()`). Gauges read shared state (storage, the queue): every process reports the
 * same value, so aggregate them with `max`, or turn `activeInstances` off where not needed.
 *
 * ```ts
 * const metrics = createWorkflowMetrics({ engine });
 * app.use('/workflow', createWorkflowRouter({ engine, authorize, metrics }));   // GET /workflow/metrics
 * ```
 * @throws WorkflowError `WF_INPUT_INVALID` when `engine` is missing, `prefix` is not a valid name prefix, or a metric name is already taken in `registry`.
 */
export function createWorkflowMetrics(options: WorkflowMetricsOptions): WorkflowMetrics {
  const { engine } = options;
  if (!engine || typeof engine.on !== 'function') throw new WorkflowError(ErrorCode.InputInvalid, METRICS_ENGINE_REQUIRED);
  const prefix = options.prefix ?? '';
  if (prefix !== '' && !/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(prefix)) throw new WorkflowError(ErrorCode.InputInvalid, badPrefixMessage(prefix));
  const maxActiveScan = options.maxActiveScan ?? 10_000;
  if (!Number.isInteger(maxActiveScan) || maxActiveScan < 1) throw new WorkflowError(ErrorCode.InputInvalid, badScanLimitMessage(options.maxActiveScan));
  const scanCacheMs = options.scanCacheMs ?? 1000;
  const logger = options.logger ?? engine.logger;
  const registry = options.registry ?? new Registry();
  const owned = options.registry === undefined;
  const registered: string[] = [];
  /** Builds the metric `base` under its prefixed name, refusing a name the registry already has. */
  const register = <T>(base: WorkflowMetricName, build: (name: string) => T): T => {
    const metricName = `${prefix}${base}`;
    if (registry.getSingleMetric(metricName)) throw new WorkflowError(ErrorCode.InputInvalid, metricTakenMessage(metricName));
    const metric = build(metricName);
    registered.push(metricName);
    return metric;
  };
  const registers = [registry];

  const started = register(WORKFLOW_METRIC.started, (name) => new Counter({ name, help: 'Workflow instances started.', labelNames: ['workflow'] as const, registers }));
  const completed = register(WORKFLOW_METRIC.completed, (name) =>
    new Counter({ name, help: 'Workflow instances that ended, by status: completed, failed or cancelled.', labelNames: ['workflow', 'status'] as const, registers }),
  );
  const duration = register(WORKFLOW_METRIC.duration, (name) =>
    new Histogram({ name, help: 'Duration of completed workflow instances, from start to completion, in seconds.', labelNames: ['workflow'] as const, buckets: [...(options.workflowBuckets ?? WORKFLOW_DURATION_BUCKETS)], registers }),
  );
  const stepDuration = register(WORKFLOW_METRIC.stepDuration, (name) =>
    new Histogram({ name, help: 'Duration of step attempts (the action running), in seconds.', labelNames: ['workflow', 'step'] as const, buckets: [...(options.stepBuckets ?? STEP_DURATION_BUCKETS)], registers }),
  );
  const errors = register(WORKFLOW_METRIC.errors, (name) =>
    new Counter({ name, help: 'Errors: failed step attempts (retried or final), failed compensation attempts and workflow deadlines passed.', labelNames: ['workflow'] as const, registers }),
  );
  const retries = register(WORKFLOW_METRIC.retries, (name) =>
    new Counter({ name, help: 'Step attempts that failed and were scheduled again.', labelNames: ['workflow', 'step'] as const, registers }),
  );
  const compensations = register(WORKFLOW_METRIC.compensations, (name) =>
    new Counter({ name, help: 'Compensations of completed steps run by a saga, by outcome: completed or failed (after its retries).', labelNames: ['workflow', 'step', 'status'] as const, registers }),
  );

  const purged = register(WORKFLOW_METRIC.purged, (name) =>
    new Counter({ name, help: 'Finished instances deleted by the purge (past their retention), by definition.', labelNames: ['definition'] as const, registers }),
  );
  const archived = register(WORKFLOW_METRIC.archived, (name) =>
    new Counter({ name, help: 'Finished instances copied to the purge archive before they were deleted.', registers }),
  );

  registerScrapeGauges(register, {
    engine,
    logger,
    registers,
    activeInstances: options.activeInstances !== false,
    maxActiveScan,
    scanCacheMs,
    queueDepth: options.queueDepth,
  });

  if (options.defaultMetrics) collectDefaultMetrics({ register: registry, ...(prefix ? { prefix } : {}) });

  const timer = new AttemptTimer();
  const observeAttempt = (e: WorkflowEvent) => {
    if (e.stepId === undefined || e.attempt === undefined) return;
    const seconds = timer.stop(e.instanceId, e.stepId, e.attempt);
    if (seconds !== undefined) stepDuration.observe({ workflow: e.definitionName, step: e.stepId }, seconds);
  };
  const onEvent = (e: WorkflowEvent): void => {
    const workflow = e.definitionName;
    switch (e.type) {
      case 'workflow.started':
        started.inc({ workflow });
        break;
      case 'workflow.completed': {
        completed.inc({ workflow, status: 'completed' });
        const ms = e.data?.durationMs;
        if (typeof ms === 'number') duration.observe({ workflow }, ms / 1000);
        timer.forget(e.instanceId);
        break;
      }
      case 'workflow.failed':
        completed.inc({ workflow, status: 'failed' });
        timer.forget(e.instanceId);
        break;
      case 'workflow.cancelled':
        completed.inc({ workflow, status: 'cancelled' });
        timer.forget(e.instanceId);
        break;
      case 'workflow.timed_out':
        errors.inc({ workflow });
        break;
      case 'step.started':
        if (e.data?.kind === 'step' && e.stepId !== undefined && e.attempt !== undefined) timer.start(e.instanceId, e.stepId, e.attempt);
        break;
      case 'step.retrying':
        observeAttempt(e);
        retries.inc(labels({ workflow, step: e.stepId }));
        errors.inc({ workflow });
        break;
      case 'step.failed':
        observeAttempt(e);
        errors.inc({ workflow });
        break;
      case 'step.completed':
      case 'step.waiting':
      case 'task.opened':
      case 'child.started':
        observeAttempt(e);
        break;
      case 'step.cancelled':
      case 'step.skipped_by_operator':
        if (e.stepId !== undefined && e.attempt !== undefined) timer.stop(e.instanceId, e.stepId, e.attempt);
        break;
      case 'compensation.step_completed':
        compensations.inc(labels({ workflow, step: e.stepId, status: 'completed' }));
        break;
      case 'compensation.step_failed':
        errors.inc({ workflow });
        if (e.data?.final === true) compensations.inc(labels({ workflow, step: e.stepId, status: 'failed' }));
        break;
      default:
        break;
    }
  };
  const off = engine.on('*', onEvent);
  // An engine without retention support (another copy of core) has no onPurge: the counters stay at 0.
  const offPurge =
    typeof engine.onPurge === 'function'
      ? engine.onPurge((report) => {
          for (const [definition, count] of Object.entries(report.byDefinition)) if (count > 0) purged.inc({ definition }, count);
          if (report.archived > 0) archived.inc(report.archived);
        })
      : undefined;

  let closed = false;
  return {
    registry,
    contentType: registry.contentType,
    metrics: () => registry.metrics(),
    close() {
      if (closed) return;
      closed = true;
      off();
      offPurge?.();
      if (owned) registry.clear();
      else for (const metricName of registered) registry.removeSingleMetric(metricName);
    },
  };
}

/** Drops undefined label values (a step id is always set on step events; this keeps the types honest). */
function labels<K extends string>(values: Labels<K>): Record<K, string> {
  const out = {} as Record<K, string>;
  for (const [k, v] of Object.entries(values) as Array<[K, string | undefined]>) if (v !== undefined) out[k] = v;
  return out;
}

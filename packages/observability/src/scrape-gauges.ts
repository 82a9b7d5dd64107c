/**
 * The gauges of {@link createWorkflowMetrics} read at scrape time from shared state: unfinished
 * instances by state and the oldest one's age (one storage scan feeds both), and the queue depth.
 */
import type { Logger, WorkflowEngine } from '@workflow-mastery/core';
import { Gauge, type Registry } from 'prom-client';
import { scanActiveInstances } from './active-instances.js';
import { ACTIVE_STATES, WORKFLOW_METRIC, type WorkflowMetricName } from './metric-names.js';

/** Registers a metric under its prefixed name (refusing a taken one). */
export type RegisterMetric = <T>(base: WorkflowMetricName, build: (name: string) => T) => T;

/** What the scrape-time gauges read. */
export interface ScrapeGaugeOptions {
  engine: WorkflowEngine;
  logger: Logger;
  registers: Registry[];
  /** Read unfinished instances from storage (else the instance gauges stay empty). */
  activeInstances: boolean;
  maxActiveScan: number;
  scanCacheMs: number;
  /** Work waiting to run; else the runner's `queueDepth()`, or 0 without one. */
  queueDepth?: (() => Promise<number>) | undefined;
}

/** Registers `workflow_instances_active`, `workflow_oldest_active_seconds` and `workflow_queue_depth`. */
export function registerScrapeGauges(register: RegisterMetric, options: ScrapeGaugeOptions): void {
  const { engine, logger, registers, maxActiveScan, scanCacheMs } = options;
  // Gauges read shared state at scrape time; one scan feeds both instance gauges.
  let scan: { at: number; result: ReturnType<typeof scanActiveInstances> } | undefined;
  let warnedTruncated = false;
  const knownActive = new Set<string>();
  const scanOnce = () => {
    const now = Date.now();
    if (!scan || now - scan.at > scanCacheMs) {
      const result = scanActiveInstances(engine, maxActiveScan);
      scan = { at: now, result };
      result.catch(() => {
        if (scan?.result === result) scan = undefined;
      });
    }
    return scan.result;
  };
  const activeEnabled = options.activeInstances;
  register(WORKFLOW_METRIC.instancesActive, (name) =>
    new Gauge({
      name,
      help: 'Unfinished workflow instances in storage, by state (read at scrape time).',
      labelNames: ['workflow', 'state'] as const,
      registers,
      async collect() {
        if (!activeEnabled) return;
        try {
          const found = await scanOnce();
          if (found.truncated && !warnedTruncated) {
            warnedTruncated = true;
            logger.warn({ maxActiveScan }, `${name} counts only the ${maxActiveScan} oldest unfinished instances; raise maxActiveScan for exact counts`);
          }
          for (const def of engine.listDefinitions()) for (const state of ACTIVE_STATES) knownActive.add(`${def.name}\u0000${state}`);
          for (const [workflow, byState] of found.counts) for (const state of byState.keys()) knownActive.add(`${workflow}\u0000${state}`);
          this.reset();
          for (const key of knownActive) {
            const [workflow, state] = key.split('\u0000') as [string, (typeof ACTIVE_STATES)[number]];
            this.set({ workflow, state }, found.counts.get(workflow)?.get(state) ?? 0);
          }
        } catch (error) {
          this.reset();
          logger.warn({ err: error }, `${name}: reading unfinished instances from storage failed; the gauge is left out of this scrape`);
        }
      },
    }),
  );
  register(WORKFLOW_METRIC.oldestActive, (name) =>
    new Gauge({
      name,
      help: 'Age in seconds of the oldest unfinished instance of each workflow (0 when none; read at scrape time).',
      labelNames: ['workflow'] as const,
      registers,
      async collect() {
        if (!activeEnabled) return;
        try {
          const found = await scanOnce();
          const now = engine.clock.now();
          this.reset();
          const workflows = new Set([...engine.listDefinitions().map((d) => d.name), ...found.oldest.keys()]);
          for (const workflow of workflows) {
            const createdAt = found.oldest.get(workflow);
            this.set({ workflow }, createdAt === undefined ? 0 : Math.max(0, (now - createdAt) / 1000));
          }
        } catch {
          this.reset(); // logged by the other gauge, which shares the scan
        }
      },
    }),
  );
  const readQueueDepth = options.queueDepth ?? runnerQueueDepth(engine);
  register(WORKFLOW_METRIC.queueDepth, (name) =>
    new Gauge({
      name,
      help: 'Step attempts waiting to run (BullMQ: jobs waiting or delayed; in-process: attempts waiting for a free slot).',
      registers,
      async collect() {
        try {
          this.set(await readQueueDepth());
        } catch (error) {
          this.reset();
          logger.warn({ err: error }, `${name}: reading the queue depth failed; left out of this scrape`);
        }
      },
    }),
  );
}

/** `engine.runner.queueDepth()` when the runner has one, else a constant 0. */
function runnerQueueDepth(engine: WorkflowEngine): () => Promise<number> {
  const { runner } = engine;
  return async () => (await runner.queueDepth?.()) ?? 0;
}

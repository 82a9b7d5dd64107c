/**
 * A worker process: takes order-processing step attempts and timers from BullMQ and records
 * their outcomes in PostgreSQL. SIGTERM drains (WM_DRAIN_MS, default 10 s) then exits.
 * Prints `worker <pid> ready` once taking work and `worker <pid> progress <n>` as attempts finish.
 */
import { createWorker } from '@workflow-mastery/bullmq';
import { consoleLogger } from '@workflow-mastery/core';
import { storageCheck } from '@workflow-mastery/core/http';
import { createWorkflowMetrics, startMetricsServer, type MetricsServer } from '@workflow-mastery/observability';
import { buildEngine } from './build-engine.js';
import { configFromEnv } from './config.js';
import { Ledger } from './ledger.js';
import { orderWorkflowActions } from './order-workflow.js';

const num = (name: string): number | undefined => (process.env[name] !== undefined ? Number(process.env[name]) : undefined);

async function main(): Promise<void> {
  const config = configFromEnv();
  const ledger = new Ledger(config.databaseUrl, config.tablePrefix);
  await ledger.init();
  const engine = buildEngine({
    config,
    actions: orderWorkflowActions(ledger),
    logger: consoleLogger,
    sweepIntervalMs: num('WM_SWEEP_MS'),
    lockDurationMs: num('WM_LOCK_MS'),
    stalledIntervalMs: num('WM_STALLED_MS'),
  });
  let done = 0;
  let shown = 0;
  engine.on('step.completed', () => void done++);
  const worker = await createWorker({ engine, concurrency: num('WM_CONCURRENCY') ?? 16, drainTimeoutMs: num('WM_DRAIN_MS') ?? 10_000 });
  let metricsServer: MetricsServer | undefined;
  const metricsPort = num('WM_METRICS_PORT');
  if (metricsPort !== undefined) {
    const metrics = createWorkflowMetrics({ engine });
    metricsServer = await startMetricsServer({ port: metricsPort, metrics, readiness: [storageCheck(engine), { name: 'queue', check: () => worker.runner.ping() }] });
    process.stdout.write(`worker ${process.pid} metrics on :${metricsServer.port}/metrics\n`);
  }
  process.stdout.write(`worker ${process.pid} ready\n`);
  const progress = setInterval(() => {
    if (done !== shown) process.stdout.write(`worker ${process.pid} progress ${(shown = done)}\n`);
  }, 250);
  const stop = (signal: string) => {
    process.stdout.write(`worker ${process.pid} ${signal}: draining\n`);
    clearInterval(progress);
    worker
      .close()
      .then(() => metricsServer?.close())
      .then(() => ledger.close())
      .then(
        () => {
          process.stdout.write(`worker ${process.pid} stopped after ${done} steps\n`);
          process.exit(0);
        },
        (error: unknown) => {
          console.error(`worker ${process.pid} did not stop cleanly: ${(error as Error).message}`);
          process.exit(1);
        },
      );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(`worker ${process.pid}: ${(error as Error).message}`);
  process.exit(1);
});

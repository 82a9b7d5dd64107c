/** `worker`: take step attempts and timers from the BullMQ queue until SIGTERM, then drain. */
import { storageCheck } from '@workflow-mastery/core/http';
import { UsageError } from '../cli-error.js';
import type { CliCommand } from '../command.types.js';
import { shutdownSignal } from '../until-interrupted.js';

interface WorkerOptions {
  concurrency: string;
  drainTimeout: string;
  metricsPort: string;
}

function positiveInt(name: string, value: string, min = 1): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`${name} must be an integer >= ${min}, got "${value}"`);
  return n;
}

/** `workflow-mastery worker`. */
export const workerCommand: CliCommand = {
  name: 'worker',
  register(program, runtime) {
    program
      .command('worker')
      .description('run workflow steps from the BullMQ queue (--redis) until SIGTERM; serves /metrics, /health, /ready')
      .option('-c, --concurrency <n>', 'step attempts at once in this process', process.env.WORKFLOW_CONCURRENCY ?? '16')
      .option('--drain-timeout <ms>', 'on SIGTERM, how long running attempts get before they are handed back to the queue', '30000')
      .option('--metrics-port <port>', 'port of /metrics, /health and /ready ("off" for none)', process.env.WORKFLOW_METRICS_PORT ?? '9464')
      .action(
        runtime.action<WorkerOptions>(async (session, _args, opts) => {
          if (!session.options.redis) throw new UsageError('worker needs the queue: --redis redis://HOST:6379 (or WORKFLOW_REDIS_URL)');
          const concurrency = positiveInt('--concurrency', opts.concurrency);
          const drainTimeoutMs = positiveInt('--drain-timeout', opts.drainTimeout, 0);
          const metricsPort = opts.metricsPort === 'off' ? undefined : positiveInt('--metrics-port', opts.metricsPort, 0);
          const sources = await session.sources();
          if (Object.keys(sources.actions).length === 0) throw new UsageError('worker needs the actions of your workflows: --module FILE exporting `definitions` and `actions` (or WORKFLOW_MODULES)');
          const engine = await session.engine('worker', sources);
          const { createWorker } = await import('@workflow-mastery/bullmq');
          const worker = await createWorker({ engine, concurrency, drainTimeoutMs });
          let server: { port: number; close(): Promise<void> } | undefined;
          let metrics: { close(): void } | undefined;
          if (metricsPort !== undefined) {
            const { createWorkflowMetrics, startMetricsServer } = await import('@workflow-mastery/observability');
            const m = createWorkflowMetrics({ engine });
            metrics = m;
            server = await startMetricsServer({ port: metricsPort, metrics: m, readiness: [storageCheck(engine), { name: 'queue', check: () => worker.runner.ping() }] });
          }
          const out = session.out;
          let steps = 0;
          engine.on('step.completed', () => void steps++);
          out.document({ queue: worker.runner.queueName, concurrency, storage: session.describeDatabase(), metricsPort: server?.port ?? null, pid: process.pid });
          out.line(`${out.c.green('●')} worker ${process.pid} taking work from queue "${worker.runner.queueName}" (concurrency ${concurrency}; storage ${session.describeDatabase()}${server ? `; metrics :${server.port}/metrics` : ''})`);
          const signal = await shutdownSignal();
          out.note(`${signal}: draining (running attempts get ${drainTimeoutMs} ms, then go back to the queue)`);
          await worker.close();
          await server?.close();
          metrics?.close();
          out.note(`stopped after ${steps} step(s)`);
        }),
      );
  },
};

/** The engine of an API or a worker process: PostgreSQL state, BullMQ runner. */
import { BullMQRunner } from '@workflow-mastery/bullmq';
import { WorkflowEngine, type ActionFunction, type Logger } from '@workflow-mastery/core';
import { TypeOrmStorage } from '@workflow-mastery/storage-typeorm';
import type { DistributedConfig } from './config.js';
import { orderWorkflow } from './order-workflow.js';

/** Options of {@link buildEngine}. */
export interface BuildEngineOptions {
  config: DistributedConfig;
  /** Given in workers; an API process has none. */
  actions?: Record<string, ActionFunction>;
  logger?: Logger;
  /** Sweep for lost jobs this often (workers). */
  sweepIntervalMs?: number;
  lockDurationMs?: number;
  stalledIntervalMs?: number;
}

/** An engine on the sample's PostgreSQL and Redis. */
export function buildEngine(options: BuildEngineOptions): WorkflowEngine {
  const { config } = options;
  const storage = new TypeOrmStorage({ type: 'postgres', url: config.databaseUrl, tablePrefix: config.tablePrefix, poolSize: 10 });
  const { sweepIntervalMs, lockDurationMs, stalledIntervalMs, actions, logger } = options;
  const runner = new BullMQRunner({ connection: config.redisUrl, queue: config.queue, sweepIntervalMs, lockDurationMs, stalledIntervalMs });
  return new WorkflowEngine({ storage, runner, definitions: [orderWorkflow], actions, logger });
}

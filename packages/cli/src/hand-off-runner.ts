/**
 * A runner that runs nothing: work a command makes runnable (a resumed step, the step after a
 * completed task) stays in storage for the processes that run workflows.
 */
import type { RunnerHost, WorkflowRunner } from '@workflow-mastery/core';

/**
 * Used by commands that only read or command state. Its delivery is `none`: the engine neither
 * recovers nor claims other processes' work, and commits new work without a lease:
 * on a shared storage (SQLite, PostgreSQL, MySQL) any `serve` process claims it at its next poll; on a
 * single-process storage (files) the next process that opens it with recovery runs it.
 */
export class HandOffRunner implements WorkflowRunner {
  readonly delivery = 'none';
  start(_host: RunnerHost): void {}
  dispatch(): void {}
  armTimer(): void {}
  disarmTimer(): void {}
  idle(): Promise<void> {
    return Promise.resolve();
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** What a metrics test made, closed after it: `afterEach(() => tracked.close())`. */
import type { WorkflowEngine } from '@workflow-mastery/core';
import type { WorkflowMetrics } from '../src/index.js';

export class Tracked {
  private readonly engines: WorkflowEngine[] = [];
  private readonly metricSets: WorkflowMetrics[] = [];

  /** `engine`, closed after the test. */
  engine<E extends WorkflowEngine>(engine: E): E {
    this.engines.push(engine);
    return engine;
  }

  /** `metrics`, closed after the test (before the engines). */
  metrics(metrics: WorkflowMetrics): WorkflowMetrics {
    this.metricSets.push(metrics);
    return metrics;
  }

  async close(): Promise<void> {
    for (const m of this.metricSets.splice(0)) m.close();
    await Promise.all(this.engines.splice(0).map((e) => e.close()));
  }
}

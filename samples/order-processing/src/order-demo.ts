/** Runs the demo orders through the order processing workflow and reports each one's path. */
import { WorkflowEngine } from '@workflow-mastery/core';
import type { InstanceRecord, JsonObject, WorkflowEngineOptions } from '@workflow-mastery/core';
import { DemoServices } from './demo-services.js';
import type { DemoOrder } from './demo-orders.js';
import { demoOrders } from './demo-orders.js';
import { orderActions } from './order-actions.js';
import { orderProcessingWorkflow } from './order-processing.workflow.js';
import { reportProgress } from '@workflow-mastery/sample-kit';

/** Options of {@link runOrderDemo}. */
export interface OrderDemoOptions extends Pick<WorkflowEngineOptions, 'storage' | 'clock' | 'logger'> {
  orders?: DemoOrder[];
  /** Where progress lines go. @defaultValue none */
  write?: (line: string) => void;
  /** Decision the reviewer sends for orders parked in manual review. @defaultValue approve */
  reviewDecision?: JsonObject;
  /** Real milliseconds before the reviewer answers. @defaultValue 200 */
  reviewAfterMs?: number;
}

/** One order's outcome. */
export interface OrderOutcome {
  label: string;
  shows: string;
  expected?: 'COMPLETED' | 'FAILED';
  instance: InstanceRecord;
  /** Steps as they ended, in order: `validate_order`, `check_fraud(skipped)`, `↩release_inventory`... */
  path: string[];
}

/** Result of {@link runOrderDemo}. */
export interface OrderDemoResult {
  outcomes: OrderOutcome[];
  /** Instances of an earlier, interrupted run that this run finished. */
  recovered: OrderOutcome[];
  services: DemoServices;
}

/** Run every demo order to its end (or to its wait for review, answered by a demo reviewer). */
export async function runOrderDemo(options: OrderDemoOptions = {}): Promise<OrderDemoResult> {
  const services = new DemoServices();
  const labels = new Map<string, string>();
  const engine = new WorkflowEngine({
    ...(options.storage ? { storage: options.storage } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  });
  engine.registerActions(orderActions, (cls) => new cls(services));
  engine.registerDefinition(orderProcessingWorkflow);
  const write = options.write ?? (() => undefined);
  const label = (id: string) => labels.get(id) ?? id.slice(0, 8);
  const stop = reportProgress(engine, write, label);

  // A reviewer who answers every manual review after a moment.
  const reviews: Array<Promise<unknown>> = [];
  engine.on('step.waiting', (e) => {
    if (e.stepId !== 'manual_review') return;
    reviews.push(
      new Promise((r) => setTimeout(r, options.reviewAfterMs ?? 200)).then(() =>
        engine.signal(e.instanceId, 'review_decision', { review: options.reviewDecision ?? { approved: true, reviewer: 'risk-team' } }, 'risk-team'),
      ),
    );
  });

  try {
    await engine.ready;
    // Instances left unfinished by an interrupted earlier run are already going on again.
    const leftover = (await engine.listInstances({ state: ['RUNNING', 'WAITING', 'COMPENSATING', 'PAUSED'], limit: 1000 })).items;
    for (const inst of leftover) labels.set(inst.id, `${String((inst.data.order as JsonObject | undefined)?.id ?? inst.id.slice(0, 8))}*`);
    if (leftover.length) write(`recovered ${leftover.length} unfinished instance(s) from an earlier run (marked *)`);

    const orders = options.orders ?? demoOrders;
    const started = await Promise.all(
      orders.map(async (o) => {
        const inst = await engine.start('order_processing', { order: o.order as unknown as JsonObject }, { startedBy: 'demo' });
        labels.set(inst.id, o.order.id);
        return { o, inst };
      }),
    );
    const finish = async (id: string): Promise<InstanceRecord> => {
      const inst = await engine.waitFor(id, { until: 'terminal', timeoutMs: 120_000 });
      return inst;
    };
    const outcomes = await Promise.all(
      started.map(async ({ o, inst }) => {
        const done = await finish(inst.id);
        return { label: o.order.id, shows: o.shows, expected: o.expected, instance: done, path: await pathOf(engine, done.id) };
      }),
    );
    const recovered = await Promise.all(
      leftover.map(async (inst) => {
        const done = await finish(inst.id);
        return { label: label(inst.id), shows: 'recovered from an earlier run', instance: done, path: await pathOf(engine, done.id) };
      }),
    );
    await Promise.all(reviews);
    await engine.idle();
    return { outcomes, recovered, services };
  } finally {
    stop();
    await engine.close();
  }
}

async function pathOf(engine: WorkflowEngine, id: string): Promise<string[]> {
  const history = await engine.getHistory(id);
  return history.flatMap((e) => {
    if (e.type === 'step.completed') return [e.stepId!];
    if (e.type === 'step.skipped') return [`${e.stepId}(skipped)`];
    if (e.type === 'step.failed') return [`${e.stepId}(failed)`];
    if (e.type === 'compensation.step_completed') return [`↩${String(e.data?.action)}`];
    return [];
  });
}

/** replayHistory on the order workflow: every recorded run replays; a renamed step or a changed condition is the first divergence. */
import { describe, expect, it } from '@jest/globals';
import { ManualClock, MemoryStorage, replayHistory, scaledClock, silentLogger, WorkflowEngine } from '@workflow-mastery/core';
import type { JsonObject, WorkflowDefinitionInput } from '@workflow-mastery/core';
import { expectEveryHistoryReplays, recordedRuns } from '../../sample-kit/test/replay-histories.js';
import { DemoServices } from '../src/demo-services.js';
import { demoOrders } from '../src/demo-orders.js';
import { runOrderDemo } from '../src/order-demo.js';
import { orderActions } from '../src/order-actions.js';
import { orderProcessingWorkflow } from '../src/order-processing.workflow.js';

const SECOND = 1000;
const DAY = 86_400_000;

/** The order workflow on a manual clock, with the demo actions. */
function manualEngine(storage: MemoryStorage) {
  const clock = new ManualClock();
  const engine = new WorkflowEngine({ storage, clock, logger: silentLogger });
  engine.registerActions(orderActions, (cls) => new cls(new DemoServices()));
  engine.registerDefinition(orderProcessingWorkflow);
  return { engine, clock };
}

/** A copy of a demo order's start data, with other failures to simulate if given. */
const order = (label: string, simulate?: JsonObject): JsonObject => {
  const o = JSON.parse(JSON.stringify(demoOrders.find((d) => d.order.id === label)!.order)) as JsonObject;
  return { order: simulate ? { ...o, simulate } : o };
};

describe('order processing: replaying recorded histories', () => {
  it('every demo order (skip, retries, manual review by signal, rejection, both sagas) replays, from the engine and as JSON', async () => {
    const storage = new MemoryStorage();
    await runOrderDemo({ storage, clock: scaledClock(1000), logger: silentLogger, reviewAfterMs: 20 });
    const states = await expectEveryHistoryReplays(storage, orderProcessingWorkflow);
    expect(states.sort()).toEqual(['COMPLETED', 'COMPLETED', 'COMPLETED', 'COMPLETED', 'COMPLETED', 'FAILED', 'FAILED']);
  });

  it('on a manual clock: five 30s payment retries then the saga, a review signal buffered before the wait, a review timing out after 2d', async () => {
    const storage = new MemoryStorage();
    const { engine, clock } = manualEngine(storage);
    const down = await engine.start('order_processing', order('A-1003', { payment_outages: 6 }));
    for (let i = 0; i < 5; i++) await clock.advance(30 * SECOND);
    expect(await engine.waitFor(down.id, { until: 'terminal' })).toMatchObject({ state: 'FAILED', steps: { process_payment: { attempt: 6 } }, compensation: { status: 'COMPLETED' } });

    const early = await engine.start('order_processing', order('A-1004'));
    await engine.signal(early.id, 'review_decision', { review: { approved: true, reviewer: 'risk-team' } });
    expect((await engine.waitFor(early.id, { until: 'terminal' })).state).toBe('COMPLETED');
    const buffered = await engine.getHistory(early.id);
    expect(buffered.find((e) => e.type === 'signal.received')?.data).toMatchObject({ delivered: false });
    expect(buffered.find((e) => e.type === 'step.completed' && e.stepId === 'manual_review')?.data).toMatchObject({ signal: 'review_decision' });

    const forgotten = await engine.start('order_processing', order('A-1004'));
    expect((await engine.waitFor(forgotten.id)).state).toBe('WAITING');
    await clock.advance(2 * DAY);
    expect((await engine.waitFor(forgotten.id, { until: 'terminal' })).error).toMatchObject({ code: 'WF_TIMEOUT', stepId: 'manual_review' });
    await engine.close();

    expect((await expectEveryHistoryReplays(storage, orderProcessingWorkflow)).sort()).toEqual(['COMPLETED', 'FAILED', 'FAILED']);
  });

  it('version 2.1 renames process_payment, then changes the fraud threshold: the first divergence of each, step and event', async () => {
    const storage = new MemoryStorage();
    await runOrderDemo({ storage, clock: scaledClock(1000), logger: silentLogger, reviewAfterMs: 20, orders: demoOrders.filter((o) => ['A-1001', 'A-1004'].includes(o.order.id)) });
    const [small, risky] = (await recordedRuns(storage)).sort((a, b) => (a.instance.data.order as JsonObject).total as number - ((b.instance.data.order as JsonObject).total as number));

    const { process_payment: payment, ...otherSteps } = orderProcessingWorkflow.steps;
    const renamed = {
      ...orderProcessingWorkflow,
      version: '2.1',
      steps: { ...otherSteps, charge_payment: payment },
      transitions: orderProcessingWorkflow.transitions.map((t) => ({ ...t, from: t.from === 'process_payment' ? 'charge_payment' : t.from, to: t.to === 'process_payment' ? 'charge_payment' : t.to })),
    } as WorkflowDefinitionInput;
    const result = replayHistory(small!.history, renamed);
    expect(result.valid).toBe(false);
    if (result.valid) return;
    expect(result.divergence).toMatchObject({ stepId: 'process_payment', event: { type: 'step.scheduled', stepId: 'process_payment' }, expected: { type: 'step.scheduled', stepId: 'charge_payment' } });
    expect(result.divergence.reason).toContain("step renamed or removed: recorded step.scheduled of 'process_payment' but the definition has no step 'process_payment'");

    const stricter = {
      ...orderProcessingWorkflow,
      version: '2.2',
      transitions: orderProcessingWorkflow.transitions.map((t) => (t.from === 'check_fraud' ? { ...t, condition: t.condition!.replace('0.7', '0.9') } : t)),
    } as WorkflowDefinitionInput;
    expect(replayHistory(small!.history, stricter).valid).toBe(true);
    const changed = replayHistory(risky!.history, stricter);
    expect(!changed.valid && changed.divergence).toMatchObject({ stepId: 'manual_review', expected: { stepId: 'reserve_inventory' } });
    expect(!changed.valid && changed.divergence.reason).toBe(
      'transition changed: after check_fraud the recorded run went to manual_review, the definition goes to reserve_inventory ' +
        '(its transitions from check_fraud: reserve_inventory if `fraud.risk < 0.9`, manual_review if `fraud.risk >= 0.9`)',
    );
  });
});

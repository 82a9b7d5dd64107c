/** replayHistory reports where a recorded run parts from a changed definition, and why. */
import { beforeAll, describe, expect, it } from '@jest/globals';
import { ActionResult } from '../../actions/action-result.js';
import type { WorkflowDefinitionInput } from '../../definition/definition.types.js';
import type { HistoryEvent } from '../../model/instance.types.js';
import { setup } from '../../../test/support/engine-setup.js';
import { replayHistory } from './replay-history.js';

const v1: WorkflowDefinitionInput = {
  name: 'order',
  version: '1',
  steps: {
    validate_order: { action: 'validate' },
    check_fraud: { action: 'fraud' },
    reject: { action: 'ok' },
    charge: { action: 'charge', retry_attempts: 2, retry_delay: '30s', compensation: 'refund' },
    ship: { action: 'ship' },
  },
  transitions: [
    { from: 'validate_order', to: 'check_fraud', condition: 'order.total > 1000' },
    { from: 'validate_order', to: 'charge', condition: 'order.total > 0' },
    { from: 'validate_order', to: 'reject' },
    { from: 'check_fraud', to: 'charge' },
    { from: 'charge', to: 'ship' },
  ],
  error_handling: { on_failure: 'compensate' },
};

/** v1 with some changes: steps replaced or added, transitions replaced. */
function v2(change: (def: WorkflowDefinitionInput & { steps: Record<string, unknown> }) => void): WorkflowDefinitionInput {
  const def = JSON.parse(JSON.stringify(v1)) as WorkflowDefinitionInput & { steps: Record<string, unknown> };
  def.version = '2';
  change(def);
  return def;
}

/** Histories of v1: a large order, a small one, and one whose charge fails once then shipping fails. */
async function record(): Promise<{ large: HistoryEvent[]; small: HistoryEvent[]; failing: HistoryEvent[] }> {
  const { engine, clock } = setup();
  let charges = 0;
  engine.registerAction('validate', () => ActionResult.success({ valid: true }));
  engine.registerAction('fraud', () => ActionResult.success({ risk: 0.2 }));
  engine.registerAction('ok', () => ActionResult.success());
  engine.registerAction('charge', (ctx) => (ctx.data.flaky === true && ++charges === 1 ? ActionResult.failure('gateway down') : ActionResult.success({ paid: true })));
  engine.registerAction('refund', () => ActionResult.success());
  engine.registerAction('ship', (ctx) => (ctx.data.flaky === true ? ActionResult.failure('no courier', { retryable: false }) : ActionResult.success()));
  engine.registerDefinition(v1);
  const run = async (data: Record<string, unknown>) => {
    const { id } = await engine.start('order', data as never);
    await clock.advance(60_000);
    await engine.waitFor(id, { until: 'terminal' });
    return engine.getHistory(id);
  };
  const result = { large: await run({ order: { total: 2000 } }), small: await run({ order: { total: 50 } }), failing: await run({ order: { total: 50 }, flaky: true }) };
  await engine.close();
  return result;
}

describe('replayHistory: divergences', () => {
  let runs: Awaited<ReturnType<typeof record>>;
  beforeAll(async () => {
    runs = await record();
  });

  it('every recorded run is valid against its own version', () => {
    for (const history of Object.values(runs)) expect(replayHistory(history, v1)).toMatchObject({ valid: true, events: history.length });
  });

  it('a renamed step: the first event naming it, with what the definition does instead', () => {
    const renamed = v2((d) => {
      d.steps.charge_card = d.steps.charge;
      delete d.steps.charge;
      d.transitions = d.transitions!.map((t) => ({ ...t, from: t.from === 'charge' ? 'charge_card' : t.from, to: t.to === 'charge' ? 'charge_card' : t.to }));
    });
    const result = replayHistory(runs.small, renamed);
    const scheduled = runs.small.find((e) => e.type === 'step.scheduled' && e.stepId === 'charge')!;
    expect(result).toEqual({
      valid: false,
      divergence: {
        seq: scheduled.seq,
        event: scheduled,
        expected: expect.objectContaining({ type: 'step.scheduled', stepId: 'charge_card', seq: scheduled.seq }),
        stepId: 'charge',
        reason: "step renamed or removed: recorded step.scheduled of 'charge' but the definition has no step 'charge'; it produces step.scheduled of 'charge_card' instead",
      },
    });
  });

  it('a changed transition condition: where the path differs, and the definition\'s transitions from there', () => {
    const raised = v2((d) => {
      d.transitions![0] = { from: 'validate_order', to: 'check_fraud', condition: 'order.total > 5000' };
    });
    const result = replayHistory(runs.large, raised);
    expect(result.valid).toBe(false);
    if (result.valid) return;
    expect(result.divergence).toMatchObject({ event: { type: 'step.scheduled', stepId: 'check_fraud' }, expected: { type: 'step.scheduled', stepId: 'charge' }, stepId: 'check_fraud' });
    expect(result.divergence.reason).toBe(
      'transition changed: after validate_order the recorded run went to check_fraud, the definition goes to charge ' +
        '(its transitions from validate_order: check_fraud if `order.total > 5000`, charge if `order.total > 0`, reject otherwise)',
    );
    // The runs that never met the changed condition's outcome are still valid.
    expect(replayHistory(runs.small, raised).valid).toBe(true);
  });

  it('a run that no transition of the new version allows, and one the new version ends sooner or later', () => {
    const strict = v2((d) => {
      delete d.steps.reject;
      d.transitions = d.transitions!.filter((t) => t.to !== 'reject');
      d.transitions[1] = { from: 'validate_order', to: 'charge', condition: 'order.total > 100' };
    });
    const noRoute = replayHistory(runs.small, strict);
    expect(!noRoute.valid && noRoute.divergence.reason).toMatch(/^transition changed: after validate_order the recorded run went to charge, the definition fails the workflow \(No transition from "validate_order" matched/);

    const longer = v2((d) => {
      d.steps.archive = { action: 'ok' };
      d.transitions!.push({ from: 'ship', to: 'archive' });
    });
    const ended = replayHistory(runs.small, longer);
    expect(!ended.valid && ended.divergence).toMatchObject({ event: { type: 'workflow.completed' }, expected: { type: 'step.scheduled', stepId: 'archive' } });
    expect(!ended.valid && ended.divergence.reason).toMatch(/^transition changed: after ship the recorded run ended \(workflow.completed\), the definition goes on to archive/);
  });

  it('a guard that now skips a step the run took', () => {
    const guarded = v2((d) => {
      d.steps.check_fraud = { action: 'fraud', conditions: ['order.total > 3000'] };
    });
    const result = replayHistory(runs.large, guarded);
    expect(!result.valid && result.divergence).toMatchObject({
      event: { type: 'step.scheduled', stepId: 'check_fraud' },
      expected: { type: 'step.skipped', stepId: 'check_fraud' },
      reason: "guard changed: the recorded run ran 'check_fraud', the definition skips it (its conditions: `order.total > 3000`)",
    });
  });

  it('a retry policy that no longer retries, and a compensation removed', () => {
    const noRetry = v2((d) => {
      d.steps.charge = { action: 'charge', compensation: 'refund' };
    });
    const retry = replayHistory(runs.failing, noRetry);
    expect(!retry.valid && retry.divergence).toMatchObject({ event: { type: 'step.retrying', stepId: 'charge' }, expected: { type: 'step.failed', stepId: 'charge' } });
    expect(!retry.valid && retry.divergence.reason).toMatch(/^retry policy changed: the recorded run retried 'charge' after attempt 1, the definition fails it there/);

    const noUndo = v2((d) => {
      d.steps.charge = { action: 'charge', retry_attempts: 2, retry_delay: '30s' };
    });
    const saga = replayHistory(runs.failing, noUndo);
    expect(!saga.valid && saga.divergence.reason).toBe('compensations changed: the recorded saga undid [charge], the definition undoes []');
  });

  it('a migrated instance: the replay stops at the migration and says why', async () => {
    const { engine } = setup();
    engine.registerAction('wait', () => ActionResult.wait({ signal: 'go' }));
    engine.registerAction('ok', () => ActionResult.success());
    const one: WorkflowDefinitionInput = { name: 'm', version: '1', steps: { w: { action: 'wait' }, end: { action: 'ok' } }, transitions: [{ from: 'w', to: 'end' }] };
    engine.registerDefinition(one);
    engine.registerDefinition({ ...one, version: '2' });
    const { id } = await engine.start('m', {}, { version: '1' });
    await engine.waitFor(id);
    await engine.migrateInstance(id, { toVersion: '2' });
    const history = await engine.getHistory(id);
    const result = replayHistory(history, one);
    expect(!result.valid && result.divergence).toMatchObject({ event: { type: 'instance.migrated' }, seq: history.findIndex((e) => e.type === 'instance.migrated') + 1 });
    expect(!result.valid && result.divergence.reason).toMatch(/^the instance was migrated from version 1 to 2 here \(instance.migrated\)/);
    await engine.close();
  });

  it('another workflow, and a history cut short inside a decision', () => {
    const other = replayHistory(runs.small, { ...v1, name: 'invoice' });
    expect(!other.valid && other.divergence).toMatchObject({ seq: 1, reason: "the history is a run of workflow 'order', the definition is 'invoice'" });

    const cut = runs.small.slice(0, runs.small.findIndex((e) => e.type === 'step.scheduled' && e.stepId === 'charge'));
    const result = replayHistory(cut, v1);
    expect(!result.valid && result.divergence).toMatchObject({ seq: cut.length + 1, expected: { type: 'step.scheduled', stepId: 'charge' } });
    expect(!result.valid && result.divergence.event).toBeUndefined();
    expect(!result.valid && result.divergence.reason).toBe(`the recorded history ends at seq ${cut.length}; the definition goes on with step.scheduled of 'charge'`);
  });
});

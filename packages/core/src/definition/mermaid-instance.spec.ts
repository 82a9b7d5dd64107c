import { afterEach, describe, expect, it } from '@jest/globals';
import { ActionResult } from '../actions/action-result.js';
import { ManualClock } from '../engine/clock.js';
import { WorkflowEngine } from '../engine/workflow-engine.js';
import { silentLogger } from '../logger.js';
import type { InstanceRecord } from '../model/instance.types.js';
import { MemoryStorage } from '../storage/memory-storage.js';
import { cicdPipeline, documentApproval, orderProcessing, resolveActionName } from '../../test/support/seed-definitions.js';
import { parseFlowchart, takenEdges, type Flowchart } from '../../test/support/mermaid-syntax.js';
import { parseDefinition } from './definition-parser.js';
import type { WorkflowDefinitionInput } from './definition.types.js';
import { toMermaid } from './mermaid.js';

const engines: WorkflowEngine[] = [];
afterEach(async () => {
  for (const engine of engines.splice(0)) await engine.close();
});

/** An engine running `input` (actions as names) where every action succeeds unless overridden. */
function engineFor(input: unknown, overrides: Record<string, () => ActionResult> = {}) {
  const source = parseDefinition(input, { resolveActionName }).source as WorkflowDefinitionInput;
  const clock = new ManualClock();
  const actions: Record<string, () => ActionResult> = {};
  for (const step of Object.values(source.steps)) {
    for (const name of [step.action, step.compensation]) if (typeof name === 'string') actions[name] = () => ActionResult.success();
  }
  const engine = new WorkflowEngine({ clock, storage: new MemoryStorage(), logger: silentLogger, actions: { ...actions, ...overrides }, definitions: [source] });
  engines.push(engine);
  return { engine, clock, name: source.name };
}

/** The instance's diagram, read back; with its history unless `withHistory` is false. */
async function diagramOf(engine: WorkflowEngine, inst: InstanceRecord, withHistory = true): Promise<Flowchart> {
  const def = await engine.loadDefinition(inst.definitionName, inst.definitionVersion);
  const history = withHistory ? await engine.getHistory(inst.id) : undefined;
  const text = toMermaid(def, { instance: inst, ...(history ? { history } : {}) });
  const chart = parseFlowchart(text);
  expect(chart.comments).toContain(`instance ${inst.id}: ${inst.state}`);
  return chart;
}

/** Status class of each step node that has one (static classes left out). */
function statuses(chart: Flowchart): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [id, classes] of chart.classes) {
    const status = classes.filter((c) => !['start', 'human', 'async', 'compensation'].includes(c));
    if (status.length) out[id] = status.join(' ');
  }
  return out;
}

describe('toMermaid with an instance', () => {
  it('order waiting for manual review: the path taken and the open task as current', async () => {
    const { engine, name } = engineFor(orderProcessing());
    const started = await engine.start(name, { order: { valid: true, total: 1500 }, fraud: { risk: 0.9 } });
    const inst = await engine.waitFor(started.id);
    expect(inst.state).toBe('WAITING');
    const chart = await diagramOf(engine, inst);
    expect(statuses(chart)).toEqual({ s_validate_order: 'completed', s_check_fraud: 'completed', s_manual_review: 'current' });
    expect(chart.classes.get('s_manual_review')).toEqual(['human', 'current']);
    expect(takenEdges(chart)).toEqual(['wm_start → s_validate_order', 's_validate_order → s_check_fraud', 's_check_fraud → s_manual_review']);
    expect(chart.classDefs.get('current')).toContain('stroke-width:3px');
  });

  it('order whose payment fails: skipped guard, failed step, compensated step and its undo edge', async () => {
    const { engine, name } = engineFor(orderProcessing(), { process_payment: () => ActionResult.failure('card declined', { retryable: false }) });
    const started = await engine.start(name, { order: { valid: true, total: 50 }, fraud: { risk: 0.1 } });
    const inst = await engine.waitFor(started.id, { until: 'terminal' });
    expect(inst.state).toBe('FAILED');
    for (const withHistory of [true, false]) {
      const chart = await diagramOf(engine, inst, withHistory);
      expect(statuses(chart)).toEqual({
        s_validate_order: 'completed',
        s_check_fraud: 'skipped',
        s_reserve_inventory: 'compensated',
        s_process_payment: 'failed',
        c_reserve_inventory: 'completed',
      });
      expect(takenEdges(chart)).toEqual([
        'wm_start → s_validate_order',
        's_validate_order → s_check_fraud',
        's_check_fraud → s_reserve_inventory',
        's_reserve_inventory → s_process_payment',
        's_reserve_inventory → c_reserve_inventory',
      ]);
    }
  });

  it('completed order: every step on the path completed, the other branches unmarked', async () => {
    const { engine, name } = engineFor(orderProcessing(), { process_payment: () => ActionResult.success({ payment: { success: true } }) });
    const started = await engine.start(name, { order: { valid: true, total: 1500 }, fraud: { risk: 0.2 } });
    const inst = await engine.waitFor(started.id, { until: 'terminal' });
    expect(inst.state).toBe('COMPLETED');
    const chart = await diagramOf(engine, inst);
    const onPath = ['validate_order', 'check_fraud', 'reserve_inventory', 'process_payment', 'create_shipment', 'send_notification'];
    expect(statuses(chart)).toEqual(Object.fromEntries(onPath.map((s) => [`s_${s}`, 'completed'])));
    expect(takenEdges(chart)).toEqual(['wm_start → s_validate_order', ...onPath.slice(1).map((s, i) => `s_${onPath[i]} → s_${s}`)]);
  });

  it('document approval: the group entered, a guard skipping one review, the join taken, the next task current', async () => {
    const { engine, name } = engineFor(documentApproval());
    const { id } = await engine.start(name, { document: { type: 'contract', value: 10 } });
    await engine.waitFor(id);
    const [initial] = await engine.listTasks({ instanceId: id });
    await engine.completeTask(initial!.id, { review: { approved: true } }, 'manager');
    await engine.waitFor(id);
    const [legal] = await engine.listTasks({ instanceId: id });
    expect(legal!.stepId).toBe('legal_review');
    await engine.completeTask(legal!.id, { legal: { ok: true } }, 'lawyer');
    const inst = await engine.waitFor(id);
    const chart = await diagramOf(engine, inst);
    expect(statuses(chart)).toEqual({
      s_submit_document: 'completed',
      s_initial_review: 'completed',
      s_legal_review: 'completed',
      s_compliance_review: 'skipped',
      s_final_approval: 'current',
    });
    expect(takenEdges(chart)).toEqual([
      'wm_start → s_submit_document',
      's_submit_document → s_initial_review',
      's_initial_review → g_parallel_reviews',
      'g_parallel_reviews → s_final_approval',
    ]);
  });

  it('CI/CD pipeline failing its smoke tests: both deployments rolled back', async () => {
    const { engine, name } = engineFor(cicdPipeline(), { run_smoke_tests: () => ActionResult.failure('500 on /health', { retryable: false }) });
    const { id } = await engine.start(name, { tests: { passed: true } });
    await engine.waitFor(id);
    const [gate] = await engine.listTasks({ instanceId: id });
    await engine.completeTask(gate!.id, { approved: true }, 'release_manager');
    const inst = await engine.waitFor(id, { until: 'terminal' });
    expect(inst.state).toBe('FAILED');
    const chart = await diagramOf(engine, inst);
    expect(statuses(chart)).toMatchObject({
      s_deploy_staging: 'compensated',
      s_deploy_production: 'compensated',
      s_smoke_tests: 'failed',
      c_deploy_staging: 'completed',
      c_deploy_production: 'completed',
      s_run_unit_tests: 'completed',
      s_security_scan: 'completed',
    });
    expect(takenEdges(chart)).toEqual(expect.arrayContaining(['g_parallel_tests → s_run_integration_tests', 's_deploy_production → c_deploy_production', 's_deploy_staging → c_deploy_staging']));
  });

  it('an overdue task: the on_timeout route taken, the step timed out, the default route not taken', async () => {
    const review = {
      name: 'escalating',
      steps: { approve: { action: 'prepare', assigned_to: 'manager', timeout: '1h' }, archive: { action: 'ok' }, escalate: { action: 'ok' } },
      transitions: [
        { from: 'approve', to: 'archive' },
        { from: 'approve', to: 'escalate', on_timeout: true },
      ],
    };
    const { engine, clock, name } = engineFor(review);
    const { id } = await engine.start(name);
    await engine.waitFor(id);
    await clock.advance(3_600_000);
    const inst = await engine.waitFor(id, { until: 'terminal' });
    expect(inst.steps.approve!.status).toBe('TIMED_OUT');
    for (const withHistory of [true, false]) {
      const chart = await diagramOf(engine, inst, withHistory);
      expect(statuses(chart)).toEqual({ s_approve: 'timedout', s_escalate: 'completed' });
      expect(takenEdges(chart)).toEqual(['wm_start → s_approve', 's_approve → s_escalate']);
    }
  });

  it('a loop: the history tells which transition re-entered the step', () => {
    // Written by hand: the in-process runner does not run a step entered again by a loop (its work key has no run).
    const def = parseDefinition({
      name: 'loop',
      steps: { first: { action: 'ok' }, attempt: { action: 'ok' }, check: { action: 'ok' }, done: { action: 'ok' } },
      transitions: [
        { from: 'first', to: 'attempt' },
        { from: 'attempt', to: 'check' },
        { from: 'check', to: 'done', condition: 'tries >= 2' },
        { from: 'check', to: 'attempt' },
      ],
    });
    const done = { status: 'COMPLETED', attempt: 1, run: 1, scheduledAt: 0 } as const;
    const inst = { id: 'loop-1', definitionName: 'loop', definitionVersion: def.version, state: 'COMPLETED', steps: { first: done, attempt: { ...done, run: 2 }, check: { ...done, run: 2 }, done } } as unknown as InstanceRecord;
    const flow = ['first', 'attempt', 'check', 'attempt', 'check', 'done'];
    const history = flow.flatMap((stepId, i) => [
      { instanceId: 'loop-1', seq: 2 * i + 2, type: 'step.scheduled' as const, at: 0, stepId, attempt: 1 },
      { instanceId: 'loop-1', seq: 2 * i + 3, type: 'step.completed' as const, at: 0, stepId, attempt: 1 },
    ]);
    const chart = parseFlowchart(toMermaid(def, { instance: inst, history }));
    expect(takenEdges(chart)).toEqual(['wm_start → s_first', 's_first → s_attempt', 's_attempt → s_check', 's_check → s_done', 's_check → s_attempt']);
    // The history of one pass only: the way back was not taken.
    const once = parseFlowchart(toMermaid(def, { instance: inst, history: history.filter((e) => e.seq <= 7).concat([{ ...history[10]!, seq: 8 }, { ...history[11]!, seq: 9 }]) }));
    expect(takenEdges(once)).toEqual(['wm_start → s_first', 's_first → s_attempt', 's_attempt → s_check', 's_check → s_done']);
  });
});

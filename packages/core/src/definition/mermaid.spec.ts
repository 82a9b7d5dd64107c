import { describe, expect, it } from '@jest/globals';
import { cicdPipeline, documentApproval, orderProcessing, resolveActionName } from '../../test/support/seed-definitions.js';
import { edgeOf, parseFlowchart, type Flowchart } from '../../test/support/mermaid-syntax.js';
import { parseDefinition } from './definition-parser.js';
import { toMermaid } from './mermaid.js';
import type { WorkflowDefinition } from './definition.types.js';

const compile = (input: unknown): WorkflowDefinition => parseDefinition(input, { resolveActionName });

/** Every step is a node labelled with its id and action, every transition an edge. */
function expectComplete(def: WorkflowDefinition, chart: Flowchart): void {
  for (const [id, step] of Object.entries(def.steps)) {
    const node = chart.nodes.get(`s_${id}`);
    expect({ id, label: node?.label.split('\n').slice(0, 2) }).toEqual({ id, label: [id, `action: ${step.action}`] });
    expect(node!.subgraph).toBe(def.groupOf[id] ? `g_${def.groupOf[id]}` : undefined);
  }
  const transitions = Object.values(def.outgoing).flat();
  const drawn = chart.edges.filter((e) => e.from !== 'wm_start' && !e.to.startsWith('c_'));
  expect(drawn.map((e) => `${e.from}→${e.to}`)).toEqual(
    transitions.sort((a, b) => a.index - b.index).map((t) => `${def.groups[t.from] ? 'g' : 's'}_${t.from}→${def.groups[t.to] ? 'g' : 's'}_${t.to}`),
  );
  expect(chart.edges[0]).toMatchObject({ from: 'wm_start', to: `${def.groups[def.start] ? 'g' : 's'}_${def.start}` });
}

describe('toMermaid: the seed workflows', () => {
  it('order processing: steps, guard, conditional edges, human and async steps, compensations', () => {
    const def = compile(orderProcessing());
    const text = toMermaid(def);
    const chart = parseFlowchart(text);
    expect(chart.direction).toBe('TD');
    expect(chart.comments).toEqual(['order_processing@2.0']);
    expectComplete(def, chart);

    expect(chart.nodes.get('s_check_fraud')!.label).toBe('check_fraud\naction: check_fraud\nguard: order.total > 1000');
    expect(text).toContain('guard: order.total #gt; 1000');
    expect(chart.nodes.get('s_manual_review')).toMatchObject({ shape: 'stadium', label: 'manual_review\naction: manual_review\nhuman task: fraud_team' });
    expect(chart.classes.get('s_manual_review')).toEqual(['human']);
    expect(chart.nodes.get('s_send_notification')).toMatchObject({ shape: 'flag', label: expect.stringContaining('async') });
    expect(chart.classes.get('s_send_notification')).toEqual(['async']);
    expect(chart.nodes.get('s_validate_order')!.shape).toBe('rect');

    expect(edgeOf(chart, 's_validate_order', 's_check_fraud')!.label).toBe('order.valid === true');
    expect(edgeOf(chart, 's_validate_order', 's_send_rejection')!.label).toBe('order.valid === false');
    expect(edgeOf(chart, 's_check_fraud', 's_manual_review')!.label).toBe('fraud.risk >= 0.7');
    expect(edgeOf(chart, 's_reserve_inventory', 's_process_payment')!.label).toBeUndefined();
    expect(edgeOf(chart, 's_process_payment', 's_create_shipment')!.label).toBe('payment.success === true');

    expect(chart.nodes.get('c_reserve_inventory')).toMatchObject({ shape: 'round', label: 'compensation: release_inventory' });
    expect(chart.nodes.get('c_process_payment')!.label).toBe('compensation: refund_payment');
    expect(edgeOf(chart, 's_reserve_inventory', 'c_reserve_inventory', '-.->')!.label).toBe('undo');
    expect(edgeOf(chart, 's_process_payment', 'c_process_payment', '-.->')!.label).toBe('undo');
    expect(chart.classes.get('c_process_payment')).toEqual(['compensation']);
    expect(chart.edges.filter((e) => e.arrow === '-.->')).toHaveLength(2);
    // Without an instance nothing is marked.
    expect(chart.styledEdges).toEqual([]);
    expect([...chart.classDefs.keys()]).toEqual(['start', 'human', 'async', 'compensation']);
  });

  it('document approval: the parallel group is a subgraph, its join on the edge leaving it, quoted guards escaped', () => {
    const def = compile(documentApproval());
    const text = toMermaid(def, { direction: 'LR' });
    const chart = parseFlowchart(text);
    expect(chart.direction).toBe('LR');
    expectComplete(def, chart);
    expect(chart.subgraphs.get('g_parallel_reviews')).toEqual({ title: 'parallel_reviews: parallel', members: ['s_legal_review', 's_compliance_review'] });
    expect(edgeOf(chart, 's_initial_review', 'g_parallel_reviews')!.label).toBe('review.approved === true');
    expect(edgeOf(chart, 'g_parallel_reviews', 's_final_approval')!.label).toBe('join: all');
    expect(chart.nodes.get('s_legal_review')!.label).toBe('legal_review\naction: legal_review\nhuman task: legal_team\nguard: document.type === "contract"');
    expect(text).toContain('guard: document.type === #quot;contract#quot;');
    for (const id of ['initial_review', 'legal_review', 'compliance_review', 'final_approval']) expect(chart.classes.get(`s_${id}`)).toEqual(['human']);
    expect(chart.nodes.has('c_submit_document')).toBe(false);
  });

  it('CI/CD pipeline: group, join, approval gate, both rollbacks', () => {
    const def = compile(cicdPipeline());
    const chart = parseFlowchart(toMermaid(def));
    expectComplete(def, chart);
    expect(chart.subgraphs.get('g_parallel_tests')!.members).toEqual(['s_run_unit_tests', 's_security_scan']);
    expect(chart.edges[0]).toMatchObject({ from: 'wm_start', to: 's_checkout_code' });
    expect(edgeOf(chart, 's_checkout_code', 'g_parallel_tests')!.label).toBeUndefined();
    expect(edgeOf(chart, 'g_parallel_tests', 's_run_integration_tests')!.label).toBe('join: all');
    expect(chart.nodes.get('s_approval_gate')).toMatchObject({ shape: 'stadium', label: 'approval_gate\naction: manual_approval\nhuman task: release_manager' });
    expect(edgeOf(chart, 's_deploy_staging', 'c_deploy_staging', '-.->')).toBeDefined();
    expect(chart.nodes.get('c_deploy_staging')!.label).toBe('compensation: rollback_staging');
    expect(chart.nodes.get('c_deploy_production')!.label).toBe('compensation: rollback_production');
  });

  it('labels joins any and N, defaults beside conditions, and on_timeout routes', () => {
    const def = compile({
      name: 'joins',
      steps: {
        a: { action: 'ok' },
        b: { action: 'ok' },
        c: { action: 'ok' },
        d: { action: 'ok' },
        e: { action: 'ok' },
        f: { action: 'ok' },
        review: { action: 'ok', assigned_to: 'boss', timeout: '1h' },
        late: { action: 'ok' },
      },
      parallel_groups: { any_of: ['a', 'b'], two_of: ['c', 'd', 'e'] },
      transitions: [
        { from: 'any_of', to: 'two_of', join: 'any' },
        { from: 'two_of', to: 'review', join: 2, condition: 'go === true' },
        { from: 'two_of', to: 'f', join: 2 },
        { from: 'review', to: 'f', condition: 'ok === true' },
        { from: 'review', to: 'late', on_timeout: true },
      ],
    });
    const chart = parseFlowchart(toMermaid(def));
    expect(chart.edges[0]).toMatchObject({ from: 'wm_start', to: 'g_any_of' });
    expect(edgeOf(chart, 'g_any_of', 'g_two_of')!.label).toBe('join: any');
    expect(edgeOf(chart, 'g_two_of', 's_review')!.label).toBe('join: 2\ngo === true');
    expect(edgeOf(chart, 'g_two_of', 's_f')!.label).toBe('join: 2\notherwise');
    expect(edgeOf(chart, 's_review', 's_late', '==>')!.label).toBe('on timeout');
    expect(edgeOf(chart, 's_review', 's_f', '-->')!.label).toBe('ok === true');
  });
});

describe('toMermaid: refusals', () => {
  const def = compile(orderProcessing());

  it('refuses what is not a compiled definition, a bad direction, a history without its instance, an instance of another definition', () => {
    expect(() => toMermaid(orderProcessing() as never)).toThrow(/toMermaid\(definition\): pass a compiled definition, from parseDefinition\(input\)/);
    expect(() => toMermaid(undefined as never)).toThrow(expect.objectContaining({ code: 'WF_INPUT_INVALID' }));
    expect(() => toMermaid(def, { direction: 'BT' as never })).toThrow('toMermaid: options.direction must be "TD" or "LR"; got "BT"');
    expect(() => toMermaid(def, { history: [] })).toThrow('options.history marks the path of an instance; pass options.instance');
    const other = { id: 'i-1', definitionName: 'cicd_pipeline', definitionVersion: '3.0', steps: {} } as never;
    expect(() => toMermaid(def, { instance: other })).toThrow('instance i-1 runs on "cicd_pipeline@3.0", not on "order_processing"');
  });
});

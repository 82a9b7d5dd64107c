import { describe, expect, it } from '@jest/globals';
import { cicdPipeline, documentApproval, documentApprovalAsWritten, orderProcessing, orderProcessingAsWritten, resolveActionName, ValidateOrderAction } from '../../test/support/seed-definitions.js';
import { issuesOf } from '../../test/support/definition-issues.js';
import { parseDefinition } from './definition-parser.js';

describe('parseDefinition: the seed examples', () => {
  it('order processing as written: reports the two undefined targets together', () => {
    expect(issuesOf(orderProcessingAsWritten(), { resolveActionName })).toEqual([
      { path: 'transitions[1].to', message: expect.stringContaining('unknown step or group "send_rejection"') },
      { path: 'transitions[3].to', message: expect.stringContaining('unknown step or group "manual_review"') },
    ]);
  });

  it('order processing with the missing steps added compiles', () => {
    const def = parseDefinition(orderProcessing(), { resolveActionName });
    expect(def.name).toBe('order_processing');
    expect(def.version).toBe('2.0');
    expect(def.start).toBe('validate_order');
    expect(def.onFailure).toBe('compensate');
    expect(def.notificationChannels).toEqual(['email', 'slack']);
    expect(def.groups).toEqual({});
    expect(def.steps.validate_order).toMatchObject({
      action: 'validate_order',
      timeoutMs: 30_000,
      retry: { attempts: 3, delayMs: 1_000, backoff: 'fixed', maxDelayMs: 100_000 },
      async: false,
      config: {},
    });
    expect(def.steps.process_payment!.retry).toEqual({ attempts: 5, delayMs: 30_000, backoff: 'fixed', maxDelayMs: 3_000_000 });
    expect(def.steps.process_payment!.compensation).toBe('refund_payment');
    expect(def.steps.reserve_inventory!.retry).toBeUndefined();
    expect(def.steps.reserve_inventory!.compensation).toBe('release_inventory');
    expect(def.steps.send_notification!.async).toBe(true);
    expect(def.steps.manual_review!.assignedTo).toBe('fraud_team');
    expect(def.steps.check_fraud!.conditions.map((c) => c.source)).toEqual(['order.total > 1000']);
    expect(def.steps.check_fraud!.conditions[0]!.test({ order: { total: 1500 } })).toBe(true);

    const fromValidate = def.outgoing.validate_order!;
    expect(fromValidate.map((t) => [t.to, t.condition?.source, t.index])).toEqual([
      ['check_fraud', 'order.valid === true', 0],
      ['send_rejection', 'order.valid === false', 1],
    ]);
    expect(def.outgoing.reserve_inventory).toEqual([{ from: 'reserve_inventory', to: 'process_payment', join: 'all', index: 4 }]);
    expect(def.outgoing.send_notification).toEqual([]);
    expect(Object.keys(def.outgoing)).toEqual(Object.keys(orderProcessing().steps));
  });

  it('order processing: source is a JSON-safe copy with actions as names', () => {
    const input = orderProcessing();
    const def = parseDefinition(input, { resolveActionName });
    expect(JSON.parse(JSON.stringify(def.source))).toEqual(def.source);
    expect(def.source.steps.process_payment).toEqual({ action: 'process_payment', compensation: 'refund_payment', retry_attempts: 5, retry_delay: '30s' });
    expect(def.source.transitions).toEqual(input.transitions);
    expect(def.source.transitions).not.toBe(input.transitions);
    expect(input.steps.validate_order!.action).toBe(ValidateOrderAction); // input untouched
  });

  it('document approval as written: the bare group gets the naming error, missing targets are reported', () => {
    const issues = issuesOf(documentApprovalAsWritten());
    expect(issues).toEqual([
      {
        path: 'parallel_groups[0]',
        message:
          'a group needs a name; write parallel_groups: { my_group: ["legal_review", "compliance_review"] } or [{ name: "my_group", steps: [...] }]',
      },
      { path: 'transitions[1].to', message: expect.stringContaining('unknown step or group "parallel_reviews"') },
      { path: 'transitions[2].to', message: expect.stringContaining('unknown step or group "reject_document"') },
      { path: 'transitions[3].from', message: expect.stringContaining('unknown step or group "parallel_reviews"') },
    ]);
  });

  it('document approval with a named group and reject_document compiles', () => {
    const def = parseDefinition(documentApproval());
    expect(def.start).toBe('submit_document');
    expect(def.groups).toEqual({ parallel_reviews: ['legal_review', 'compliance_review'] });
    expect(def.groupOf).toEqual({ legal_review: 'parallel_reviews', compliance_review: 'parallel_reviews' });
    expect(def.outgoing.parallel_reviews).toEqual([{ from: 'parallel_reviews', to: 'final_approval', join: 'all', index: 3 }]);
    expect(def.outgoing.initial_review!.map((t) => t.to)).toEqual(['parallel_reviews', 'reject_document']);
    expect(def.steps.legal_review).toMatchObject({ assignedTo: 'legal_team', timeoutMs: 5 * 86_400_000 });
    expect(def.onFailure).toBe('fail');
    expect(def.notificationChannels).toEqual([]);
    expect(Object.keys(def.outgoing)).toEqual([...Object.keys(documentApproval().steps), 'parallel_reviews']);
  });

  it('document approval: the [{ name, steps }] form compiles to the same definition', () => {
    const arrayForm = { ...documentApproval(), parallel_groups: [{ name: 'parallel_reviews', steps: ['legal_review', 'compliance_review'] }] };
    const a = parseDefinition(documentApproval());
    const b = parseDefinition(arrayForm);
    expect(b.groups).toEqual(a.groups);
    const shape = (def: typeof a) => Object.values(def.outgoing).flat().map((t) => ({ ...t, condition: t.condition?.source }));
    expect(shape(b)).toEqual(shape(a));
    expect(Object.keys(b.outgoing)).toEqual(Object.keys(a.outgoing));
    expect(b.start).toBe(a.start);
  });

  it('CI/CD pipeline with the group named parallel_tests compiles', () => {
    const def = parseDefinition(cicdPipeline());
    expect(def.start).toBe('checkout_code');
    expect(def.groups).toEqual({ parallel_tests: ['run_unit_tests', 'security_scan'] });
    expect(def.outgoing.checkout_code!.map((t) => t.to)).toEqual(['parallel_tests']);
    expect(def.outgoing.parallel_tests).toEqual([{ from: 'parallel_tests', to: 'run_integration_tests', join: 'all', index: 1 }]);
    expect(def.steps.deploy_production).toMatchObject({ action: 'deploy_production', compensation: 'rollback_production' });
    expect(def.steps.approval_gate).toMatchObject({ action: 'manual_approval', assignedTo: 'release_manager', timeoutMs: 86_400_000 });
    expect(def.onFailure).toBe('compensate_and_notify');
    expect(def.notificationChannels).toEqual(['slack', 'pagerduty']);
  });

  it('CI/CD pipeline with the seed\'s bare group is rejected with the naming hint', () => {
    const issues = issuesOf({ ...cicdPipeline(), parallel_groups: [['run_unit_tests', 'security_scan']] });
    expect(issues[0]).toEqual({
      path: 'parallel_groups[0]',
      message: 'a group needs a name; write parallel_groups: { my_group: ["run_unit_tests", "security_scan"] } or [{ name: "my_group", steps: [...] }]',
    });
  });
});

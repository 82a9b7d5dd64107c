import { describe, expect, it } from '@jest/globals';
import { durationMessage } from '../duration.js';
import { DefinitionError, ExpressionError, type DefinitionIssue } from '../errors.js';
import { compileExpression } from '../expression/expression-compiler.js';
import { parseDefinition, type ParseDefinitionOptions } from './definition-parser.js';

// ---- the seed's three definitions (section 7), as JSON with action classes / names ----

class ValidateOrderAction {}
class FraudCheckAction {}
class ReserveInventoryAction {}
class ReleaseInventoryAction {}
class ProcessPaymentAction {}
class RefundPaymentAction {}
class CreateShipmentAction {}
class SendOrderConfirmationAction {}
const actionNames = new Map<Function, string>([
  [ValidateOrderAction, 'validate_order'],
  [FraudCheckAction, 'check_fraud'],
  [ReserveInventoryAction, 'reserve_inventory'],
  [ReleaseInventoryAction, 'release_inventory'],
  [ProcessPaymentAction, 'process_payment'],
  [RefundPaymentAction, 'refund_payment'],
  [CreateShipmentAction, 'create_shipment'],
  [SendOrderConfirmationAction, 'send_order_confirmation'],
]);
const resolveActionName = (ref: Function): string | undefined => actionNames.get(ref);

/** The seed's order processing, as written (it never defines send_rejection and manual_review). */
const orderProcessingAsWritten = () => ({
  name: 'order_processing',
  version: '2.0',
  steps: {
    validate_order: { action: ValidateOrderAction, timeout: '30s', retry_attempts: 3 },
    check_fraud: { action: FraudCheckAction, timeout: '2m', conditions: ['order.total > 1000'] },
    reserve_inventory: { action: ReserveInventoryAction, compensation: ReleaseInventoryAction },
    process_payment: { action: ProcessPaymentAction, compensation: RefundPaymentAction, retry_attempts: 5, retry_delay: '30s' },
    create_shipment: { action: CreateShipmentAction },
    send_notification: { action: SendOrderConfirmationAction, async: true },
  } as Record<string, Record<string, unknown>>,
  transitions: [
    { from: 'validate_order', to: 'check_fraud', condition: 'order.valid === true' },
    { from: 'validate_order', to: 'send_rejection', condition: 'order.valid === false' },
    { from: 'check_fraud', to: 'reserve_inventory', condition: 'fraud.risk < 0.7' },
    { from: 'check_fraud', to: 'manual_review', condition: 'fraud.risk >= 0.7' },
    { from: 'reserve_inventory', to: 'process_payment' },
    { from: 'process_payment', to: 'create_shipment', condition: 'payment.success === true' },
    { from: 'create_shipment', to: 'send_notification' },
  ],
  error_handling: { on_failure: 'compensate', notification_channels: ['email', 'slack'] },
});

const orderProcessing = () => {
  const def = orderProcessingAsWritten();
  def.steps.send_rejection = { action: 'send_rejection' };
  def.steps.manual_review = { action: 'manual_review', assigned_to: 'fraud_team' };
  return def;
};

/** The seed's document approval, as written: bare group, no reject_document step. */
const documentApprovalAsWritten = (): Record<string, unknown> & { steps: Record<string, unknown> } => ({
  name: 'document_approval',
  version: '1.5',
  steps: {
    submit_document: { action: 'submit_document' },
    initial_review: { action: 'initial_review', assigned_to: 'manager_role', timeout: '2d' },
    legal_review: { action: 'legal_review', assigned_to: 'legal_team', timeout: '5d', conditions: ['document.type === "contract"'] },
    compliance_review: { action: 'compliance_review', assigned_to: 'compliance_team', timeout: '3d', conditions: ['document.value > 100000'] },
    final_approval: { action: 'final_approval', assigned_to: 'executive_role', timeout: '1d' },
    archive_document: { action: 'archive_document' },
  },
  parallel_groups: [['legal_review', 'compliance_review']],
  transitions: [
    { from: 'submit_document', to: 'initial_review' },
    { from: 'initial_review', to: 'parallel_reviews', condition: 'review.approved === true' },
    { from: 'initial_review', to: 'reject_document', condition: 'review.approved === false' },
    { from: 'parallel_reviews', to: 'final_approval', join: 'all' },
    { from: 'final_approval', to: 'archive_document', condition: 'approval.granted === true' },
  ],
});

const documentApproval = () => {
  const def = documentApprovalAsWritten();
  def.steps.reject_document = { action: 'reject_document' };
  def.parallel_groups = { parallel_reviews: ['legal_review', 'compliance_review'] };
  return def;
};

const cicdPipeline = () => ({
  name: 'cicd_pipeline',
  version: '3.0',
  steps: {
    checkout_code: { action: 'checkout_code' },
    run_unit_tests: { action: 'run_unit_tests', timeout: '10m' },
    run_integration_tests: { action: 'run_integration_tests', timeout: '20m' },
    security_scan: { action: 'security_scan', timeout: '15m' },
    build_artifacts: { action: 'build_artifacts', timeout: '30m' },
    deploy_staging: { action: 'deploy_staging', compensation: 'rollback_staging' },
    run_e2e_tests: { action: 'run_e2e_tests', timeout: '45m' },
    approval_gate: { action: 'manual_approval', timeout: '24h', assigned_to: 'release_manager' },
    deploy_production: { action: 'deploy_production', compensation: 'rollback_production' },
    smoke_tests: { action: 'run_smoke_tests', timeout: '5m' },
  },
  parallel_groups: { parallel_tests: ['run_unit_tests', 'security_scan'] } as unknown,
  transitions: [
    { from: 'checkout_code', to: 'parallel_tests' },
    { from: 'parallel_tests', to: 'run_integration_tests', join: 'all' },
    { from: 'run_integration_tests', to: 'build_artifacts', condition: 'tests.passed === true' },
    { from: 'build_artifacts', to: 'deploy_staging' },
    { from: 'deploy_staging', to: 'run_e2e_tests' },
    { from: 'run_e2e_tests', to: 'approval_gate', condition: 'tests.passed === true' },
    { from: 'approval_gate', to: 'deploy_production', condition: 'approved === true' },
    { from: 'deploy_production', to: 'smoke_tests' },
  ],
  error_handling: { on_failure: 'compensate_and_notify', notification_channels: ['slack', 'pagerduty'] },
});

// ---- helpers ----

function issuesOf(input: unknown, options?: ParseDefinitionOptions): DefinitionIssue[] {
  try {
    parseDefinition(input, options);
  } catch (error) {
    if (error instanceof DefinitionError) return error.issues;
    throw error;
  }
  throw new Error('expected a DefinitionError');
}

/** Asserts that `input` yields exactly one issue, at `path`, whose message contains `fragment`. */
function expectOnly(input: unknown, path: string, fragment: string, options?: ParseDefinitionOptions): void {
  expect(issuesOf(input, options)).toEqual([{ path, message: expect.stringContaining(fragment) }]);
}

function expressionMessage(source: string): string {
  try {
    compileExpression(source);
  } catch (error) {
    if (error instanceof ExpressionError) return error.message;
    throw error;
  }
  throw new Error(`expected ${source} not to compile`);
}

/** A minimal valid two-step definition; `patch` edits step `a`. */
const simple = (patch: Record<string, unknown> = {}, top: Record<string, unknown> = {}): Record<string, unknown> => ({
  name: 'wf',
  steps: { a: { action: 'do_a', ...patch }, b: { action: 'do_b' } },
  transitions: [{ from: 'a', to: 'b' }],
  ...top,
});

/** A valid definition with a group `g` of x and y, between `start` and `end`. */
const grouped = (transitions?: unknown[], groups?: unknown): Record<string, unknown> => ({
  name: 'wf',
  steps: { start: { action: 's' }, x: { action: 'x' }, y: { action: 'y' }, end: { action: 'e' } },
  parallel_groups: groups ?? { g: ['x', 'y'] },
  transitions: transitions ?? [
    { from: 'start', to: 'g' },
    { from: 'g', to: 'end' },
  ],
});

// ---- tests ----

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

describe('parseDefinition: top level', () => {
  it('rejects a non-object', () => expectOnly([], '', 'must be an object'));
  it('requires a name', () => expectOnly({ ...simple(), name: undefined }, 'name', 'is required'));
  it('rejects a name with other characters', () => expectOnly({ ...simple(), name: 'order processing!' }, 'name', 'letters, digits'));
  it('defaults the version to "1"', () => expect(parseDefinition(simple()).version).toBe('1'));
  it('accepts a numeric version and stringifies it', () => {
    const def = parseDefinition(simple({}, { version: 3 }));
    expect(def.version).toBe('3');
    expect(def.source.version).toBe('3');
  });
  it('rejects an empty version', () => expectOnly(simple({}, { version: '' }), 'version', 'non-empty string'));
  it('requires steps', () => expectOnly({ name: 'wf' }, 'steps', 'is required'));
  it('rejects empty steps', () => expectOnly({ name: 'wf', steps: {} }, 'steps', 'at least one step'));
  it('rejects unknown keys with did-you-mean', () => expectOnly(simple({}, { transitons: [] }), 'transitons', 'unknown key; did you mean "transitions"?'));
  it('lists allowed keys when nothing is close', () => expectOnly(simple({}, { frobnicate: 1 }), 'frobnicate', 'unknown key; allowed keys: name, version'));
  it('rejects a non-object input schema', () => expectOnly(simple({}, { input: ['x'] }), 'input', 'must be an object'));
  it('keeps the input schema', () => {
    const schema = { type: 'object', required: ['order'] };
    expect(parseDefinition(simple({}, { input: schema })).inputSchema).toEqual(schema);
  });
  it('rejects a bad workflow timeout', () => expectOnly(simple({}, { timeout: '7 days' }), 'timeout', durationMessage('7 days')));
  it('compiles the workflow timeout', () => expect(parseDefinition(simple({}, { timeout: '7d' })).timeoutMs).toBe(7 * 86_400_000));
  it('rejects an unknown on_failure', () =>
    expectOnly(simple({}, { error_handling: { on_failure: 'rollback' } }), 'error_handling.on_failure', 'must be one of fail, compensate, compensate_and_notify, notify'));
  it('rejects non-string notification channels', () =>
    expectOnly(simple({}, { error_handling: { notification_channels: 'email' } }), 'error_handling.notification_channels', 'array of channel names'));
  it('rejects unknown error_handling keys', () =>
    expectOnly(simple({}, { error_handling: { on_failur: 'fail' } }), 'error_handling.on_failur', 'did you mean "on_failure"?'));
  it('treats undefined-valued keys as absent', () => {
    const def = parseDefinition({ ...simple({ timeout: undefined }), timeout: undefined, metadata: undefined });
    expect(def.steps.a!.timeoutMs).toBeUndefined();
    expect('timeout' in def.source).toBe(false);
  });
});

describe('parseDefinition: steps', () => {
  it('rejects a bad step id', () => {
    const def = { name: 'wf', steps: { 'bad id': { action: 'x' } } };
    expectOnly(def, 'steps.bad id', 'only letters, digits');
  });
  it('rejects a step that is not an object', () =>
    expectOnly({ name: 'wf', steps: { a: 'do_a' } }, 'steps.a', 'a step must be an object like { action: "validate_order" }'));
  it('requires an action', () => expectOnly(simple({ action: undefined }), 'steps.a.action', 'is required'));
  it('rejects an action of the wrong type', () => expectOnly(simple({ action: 42 }), 'steps.a.action', 'registered action name'));
  it('reports an action class without a registered name', () => {
    class Unnamed {}
    const msg = "action class Unnamed has no registered name; decorate it with @WorkflowAction('name') or register it";
    expectOnly(simple({ action: Unnamed }), 'steps.a.action', msg);
    expectOnly(simple({ action: Unnamed }), 'steps.a.action', msg, { resolveActionName: () => undefined });
  });
  it('resolves a compensation class and reports an unregistered one', () => {
    class Undo {}
    expect(parseDefinition(simple({ compensation: Undo }), { resolveActionName: () => 'undo' }).steps.a!.compensation).toBe('undo');
    expectOnly(simple({ compensation: Undo }), 'steps.a.compensation', 'action class Undo has no registered name');
  });
  it('rejects a config that is not an object', () => expectOnly(simple({ config: [1] }), 'steps.a.config', 'must be an object'));
  it('rejects a config that is not JSON', () => expectOnly(simple({ config: { when: new Date(0) } }), 'steps.a.config.when', 'a Date is not JSON'));
  it('keeps config as a copy', () => {
    const config = { url: 'https://x', retries: [1, 2] };
    const step = parseDefinition(simple({ config })).steps.a!;
    expect(step.config).toEqual(config);
    expect(step.config).not.toBe(config);
  });
  it('rejects a bad step timeout', () => expectOnly(simple({ timeout: 'soon' }), 'steps.a.timeout', '"soon" is not a duration'));
  it.each([-1, 1.5, '3'])('rejects retry_attempts %p', (value) =>
    expectOnly(simple({ retry_attempts: value }), 'steps.a.retry_attempts', 'whole number ≥ 0'));
  it('rejects a bad retry_delay at its path', () => {
    const def = orderProcessing();
    def.steps.process_payment!.retry_delay = '30x';
    expectOnly(def, 'steps.process_payment.retry_delay', '"30x" is not a duration', { resolveActionName });
  });
  it('rejects an unknown retry_backoff', () => expectOnly(simple({ retry_backoff: 'linear' }), 'steps.a.retry_backoff', 'must be "fixed", "exponential"'));
  it('rejects a bad retry_backoff type', () =>
    expectOnly(simple({ retry_backoff: { type: 'linear' } }), 'steps.a.retry_backoff.type', 'must be "fixed" or "exponential"'));
  it('rejects a bad max_delay', () =>
    expectOnly(simple({ retry_backoff: { type: 'exponential', max_delay: 'x' } }), 'steps.a.retry_backoff.max_delay', 'is not a duration'));
  it('rejects a max_delay below the delay', () =>
    expectOnly(simple({ retry_delay: '1m', retry_backoff: { type: 'exponential', max_delay: '10s' } }), 'steps.a.retry_backoff.max_delay', 'at least retry_delay'));
  it('rejects unknown retry_backoff keys', () =>
    expectOnly(simple({ retry_backoff: { type: 'exponential', max_dealy: '1m' } }), 'steps.a.retry_backoff.max_dealy', 'did you mean "max_delay"?'));
  it('compiles retry policies with defaults', () => {
    const retryOf = (patch: Record<string, unknown>) => parseDefinition(simple(patch)).steps.a!.retry;
    expect(retryOf({})).toBeUndefined();
    expect(retryOf({ retry_backoff: 'exponential' })).toEqual({ attempts: 0, delayMs: 1_000, backoff: 'exponential', maxDelayMs: 100_000 });
    expect(retryOf({ retry_attempts: 4, retry_delay: '2s', retry_backoff: { type: 'exponential', max_delay: '1m' } })).toEqual({
      attempts: 4,
      delayMs: 2_000,
      backoff: 'exponential',
      maxDelayMs: 60_000,
    });
    expect(retryOf({ retry_delay: 500 })).toEqual({ attempts: 0, delayMs: 500, backoff: 'fixed', maxDelayMs: 50_000 });
  });
  it('rejects conditions written as a string, with a hint to wrap it', () =>
    expectOnly(simple({ conditions: 'order.total > 1000' }), 'steps.a.conditions', 'wrap it: conditions: ["order.total > 1000"]'));
  it('rejects conditions that are not an array', () => expectOnly(simple({ conditions: 5 }), 'steps.a.conditions', 'must be an array'));
  it('rejects a condition that does not compile, with the compiler\'s message', () =>
    expectOnly(simple({ conditions: ['ok', 'order.total >'] }), 'steps.a.conditions[1]', expressionMessage('order.total >')));
  it('rejects a non-string condition', () => expectOnly(simple({ conditions: [true] }), 'steps.a.conditions[0]', 'non-empty expression string'));
  it('rejects an empty assigned_to', () => expectOnly(simple({ assigned_to: ' ' }), 'steps.a.assigned_to', 'non-empty string'));
  it('rejects a non-boolean async', () => expectOnly(simple({ async: 'yes' }), 'steps.a.async', 'must be true or false'));
  it('rejects metadata that is not an object', () => expectOnly(simple({ metadata: 'x' }), 'steps.a.metadata', 'must be an object'));
  it('rejects unknown step keys with did-you-mean', () =>
    expectOnly(simple({ retry_atempts: 3 }), 'steps.a.retry_atempts', 'unknown key; did you mean "retry_attempts"?'));
  it('passes expression options to the compiler', () => {
    const options = { expressionOptions: { functions: { lower: (s: unknown) => String(s).toLowerCase() } } };
    const def = parseDefinition(simple({ conditions: ['lower(user.name) === "bob"'] }), options);
    expect(def.steps.a!.conditions[0]!.test({ user: { name: 'BOB' } })).toBe(true);
  });
});

describe('parseDefinition: transitions', () => {
  it('rejects transitions that are not an array', () => expectOnly(simple({}, { transitions: { from: 'a', to: 'b' } }), 'transitions', 'must be an array'));
  it('rejects a transition that is not an object', () => expectOnly(simple({}, { transitions: [{ from: 'a', to: 'b' }, 'a->b'] }), 'transitions[1]', 'must be an object'));
  it('requires from', () => expectOnly(simple({}, { transitions: [{ to: 'b' }] }), 'transitions[0].from', 'is required'));
  it('rejects an unknown target with did-you-mean and the known ids', () => {
    const def = orderProcessing();
    def.transitions[3]!.to = 'manual_reveiw';
    expectOnly(def, 'transitions[3].to', 'unknown step or group "manual_reveiw"; did you mean "manual_review"? Known: "validate_order"', { resolveActionName });
  });
  it('rejects an unknown source', () => expectOnly(simple({}, { transitions: [{ from: 'z', to: 'b' }] }), 'transitions[0].from', 'unknown step or group "z"; known: "a", "b"'));
  it('rejects a condition that does not parse, with the compiler\'s message', () => {
    const issues = issuesOf(simple({}, { transitions: [{ from: 'a', to: 'b', condition: 'order.valid ===' }] }));
    expect(issues).toEqual([{ path: 'transitions[0].condition', message: expect.stringContaining(expressionMessage('order.valid ===')) }]);
  });
  it('rejects unknown transition keys with did-you-mean', () =>
    expectOnly(simple({}, { transitions: [{ from: 'a', to: 'b', conditon: 'x' }] }), 'transitions[0].conditon', 'did you mean "condition"?'));
  it('rejects join on a transition leaving a step', () =>
    expectOnly(simple({}, { transitions: [{ from: 'a', to: 'b', join: 'all' }] }), 'transitions[0].join', 'join applies only to transitions leaving a parallel group'));
  it.each(['most', 0, 1.5])('rejects join %p', (join) =>
    expectOnly(grouped([{ from: 'start', to: 'g' }, { from: 'g', to: 'end', join }]), 'transitions[1].join', 'must be "all", "any" or a whole number'));
  it('rejects a join count larger than the group', () =>
    expectOnly(grouped([{ from: 'start', to: 'g' }, { from: 'g', to: 'end', join: 3 }]), 'transitions[1].join', 'exceeds the 2 steps of group "g"'));
  it('accepts any, all and counts within the group', () => {
    expect(parseDefinition(grouped([{ from: 'start', to: 'g' }, { from: 'g', to: 'end', join: 2 }])).outgoing.g![0]!.join).toBe(2);
    expect(parseDefinition(grouped([{ from: 'start', to: 'g' }, { from: 'g', to: 'end', join: 'any' }])).outgoing.g![0]!.join).toBe('any');
  });
  it('rejects transitions leaving one group with different joins', () => {
    const transitions = [
      { from: 'start', to: 'g' },
      { from: 'g', to: 'end', condition: 'ok', join: 'any' },
      { from: 'g', to: 'end', join: 'all' },
    ];
    expectOnly(grouped(transitions), 'transitions[2].join', 'must share one join; transitions[1] uses "any"');
  });
  it('rejects a transition from a group member', () =>
    expectOnly(grouped([{ from: 'start', to: 'g' }, { from: 'g', to: 'end' }, { from: 'x', to: 'end', condition: 'ok' }]), 'transitions[2].from', 'route from the group: from: "g"'));
  it('rejects a transition to a group member', () =>
    expectOnly(grouped([{ from: 'start', to: 'g' }, { from: 'g', to: 'end' }, { from: 'end', to: 'x', condition: 'again' }]), 'transitions[2].to', 'write to: "g"'));
  it('rejects identical transitions', () =>
    expectOnly(simple({}, { transitions: [{ from: 'a', to: 'b' }, { from: 'a', to: 'b' }] }), 'transitions[1]', 'duplicate of transitions[0]'));
  it('rejects a second default transition from one step', () => {
    const def = { name: 'wf', steps: { a: { action: 'a' }, b: { action: 'b' }, c: { action: 'c' } }, transitions: [{ from: 'a', to: 'b' }, { from: 'a', to: 'c' }] };
    expectOnly(def, 'transitions[1]', '"a" already has a default transition without a condition (transitions[0])');
  });
});

describe('parseDefinition: parallel groups', () => {
  it('rejects parallel_groups of the wrong type', () =>
    expect(issuesOf(grouped(undefined, 'g'))).toContainEqual({ path: 'parallel_groups', message: expect.stringContaining('must be { group_name') }));
  it('rejects an array item that is not a group', () => expectOnly(grouped(undefined, [{ name: 'g', steps: ['x', 'y'] }, 7]), 'parallel_groups[1]', 'must be { name'));
  it('rejects unknown keys of an array item', () =>
    expect(issuesOf(grouped(undefined, [{ name: 'g', step: ['x', 'y'] }]))).toContainEqual({
      path: 'parallel_groups[0].step',
      message: 'unknown key; did you mean "steps"?',
    }));
  it('rejects a bad group name', () =>
    expect(issuesOf(grouped(undefined, [{ name: 'my group', steps: ['x', 'y'] }]))).toContainEqual({
      path: 'parallel_groups[0].name',
      message: expect.stringContaining('a group name must be a non-empty string of letters'),
    }));
  it('rejects duplicate group names', () => {
    const issues = issuesOf(grouped(undefined, [{ name: 'g', steps: ['x', 'y'] }, { name: 'g', steps: ['end', 'start'] }]));
    expect(issues).toEqual([{ path: 'parallel_groups[1].name', message: expect.stringContaining('duplicate group name "g"') }]);
  });
  it('rejects a group named like a step', () => {
    const def = grouped([{ from: 'start', to: 'end' }], { end: ['x', 'y'] });
    expect(issuesOf(def)).toContainEqual({ path: 'parallel_groups.end', message: expect.stringContaining('group name "end" is also a step id') });
  });
  it('rejects an unknown member at its index', () => {
    const def = documentApproval();
    def.parallel_groups = { parallel_reviews: ['legal_review', 'compliance_reveiw'] };
    expectOnly(def, 'parallel_groups.parallel_reviews[1]', 'unknown step "compliance_reveiw"; did you mean "compliance_review"?');
  });
  it('rejects a step in two groups', () => {
    const def = grouped([{ from: 'start', to: 'g' }, { from: 'g', to: 'h' }], { g: ['x', 'y'], h: ['y', 'end'] });
    expect(issuesOf(def)).toContainEqual({ path: 'parallel_groups.h[0]', message: expect.stringContaining('step "y" is already in group "g"; a step can belong to one group only') });
  });
  it('rejects a member listed twice', () => expectOnly(grouped(undefined, { g: ['x', 'y', 'x'] }), 'parallel_groups.g[2]', 'listed twice'));
  it('rejects a group of fewer than 2 steps', () => {
    const def = grouped([{ from: 'start', to: 'g' }, { from: 'g', to: 'y' }, { from: 'y', to: 'end' }], { g: ['x'] });
    expectOnly(def, 'parallel_groups.g', 'at least 2 steps');
  });
  it('rejects group steps that are not an array', () => expectOnly(grouped(undefined, [{ name: 'g', steps: 'x,y' }]), 'parallel_groups[0].steps', 'array of step ids'));
});

describe('parseDefinition: graph', () => {
  it('requires a start step', () => {
    const def = { name: 'wf', steps: { a: { action: 'a' }, b: { action: 'b' } }, transitions: [{ from: 'a', to: 'b' }, { from: 'b', to: 'a', condition: 'again' }] };
    expectOnly(def, 'transitions', 'no start step: every step is the target of a transition');
  });
  it('rejects more than one start step, listing them', () => {
    const def = { name: 'wf', steps: { a: { action: 'a' }, b: { action: 'b' }, c: { action: 'c' } }, transitions: [{ from: 'a', to: 'b' }] };
    expectOnly(def, 'transitions', 'more than one start step: "a", "c" are not the target of any transition');
  });
  it('accepts a single step without transitions', () => expect(parseDefinition({ name: 'wf', steps: { only: { action: 'x' } } }).start).toBe('only'));
  it('reports each unreachable step', () => {
    const def = {
      name: 'wf',
      steps: { a: { action: 'a' }, b: { action: 'b' }, c: { action: 'c' }, d: { action: 'd' } },
      transitions: [{ from: 'a', to: 'b' }, { from: 'c', to: 'd' }, { from: 'd', to: 'c', condition: 'again' }],
    };
    expect(issuesOf(def)).toEqual([
      { path: 'steps.c', message: 'step "c" is unreachable from the start "a"; add a transition to it or remove it' },
      { path: 'steps.d', message: 'step "d" is unreachable from the start "a"; add a transition to it or remove it' },
    ]);
  });
  it('reports an unreachable group once, at the group', () => {
    const def = grouped([{ from: 'start', to: 'end' }, { from: 'g', to: 'loop' }, { from: 'loop', to: 'g' }]);
    (def.steps as Record<string, unknown>).loop = { action: 'l' };
    expect(issuesOf(def)).toEqual([
      { path: 'steps.loop', message: expect.stringContaining('step "loop" is unreachable') },
      { path: 'parallel_groups.g', message: expect.stringContaining('parallel group "g" is unreachable from the start "start"') },
    ]);
  });
  it('skips graph checks while an endpoint is unknown, so a typo does not cascade', () => {
    const def = simple({}, { transitions: [{ from: 'a', to: 'bb' }] });
    expectOnly(def, 'transitions[0].to', 'unknown step or group "bb"');
  });
});

describe('parseDefinition: error reporting', () => {
  it('reports every issue together, in one DefinitionError naming the workflow', () => {
    const def = orderProcessing();
    def.steps.process_payment!.retry_delay = '30x';
    def.steps.check_fraud!.timeot = '2m';
    def.transitions[0]!.condition = 'order.valid ===';
    (def as Record<string, unknown>).error_handling = { on_failure: 'panic' };
    let error: unknown;
    try {
      parseDefinition(def, { resolveActionName });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DefinitionError);
    const err = error as DefinitionError;
    expect(err.code).toBe('WF_DEFINITION_INVALID');
    expect(err.definitionName).toBe('order_processing');
    expect(err.issues.map((i) => i.path)).toEqual([
      'error_handling.on_failure',
      'steps.check_fraud.timeot',
      'steps.process_payment.retry_delay',
      'transitions[0].condition',
    ]);
    expect(err.issues[1]!.message).toBe('unknown key; did you mean "timeout"?');
    expect(err.message).toContain('steps.process_payment.retry_delay: "30x" is not a duration');
    expect(err.message).toContain('Invalid workflow definition "order_processing"');
  });
});

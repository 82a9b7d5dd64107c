import { describe, expect, it } from '@jest/globals';
import { DefinitionError } from '../errors.js';
import { parseDefinition } from './definition-parser.js';
import type { WorkflowDefinition, WorkflowDefinitionInput } from './definition.types.js';
import { workflow } from './workflow-builder.js';

class FraudCheck {}
const resolveActionName = (ref: Function): string | undefined => (ref === FraudCheck ? 'check_fraud' : undefined);

/** The seed's order processing (with the two steps it forgets), written by hand. */
const orderProcessing: WorkflowDefinitionInput = {
  name: 'order_processing',
  version: '2.0',
  input: { type: 'object', required: ['order'] },
  steps: {
    validate_order: { action: 'validate_order', timeout: '30s', retry_attempts: 3 },
    check_fraud: { action: FraudCheck, timeout: '2m', conditions: ['order.total > 1000'] },
    reserve_inventory: { action: 'reserve_inventory', compensation: 'release_inventory' },
    process_payment: { action: 'process_payment', compensation: 'refund_payment', retry_attempts: 5, retry_delay: '30s' },
    create_shipment: { action: 'create_shipment' },
    send_notification: { action: 'send_order_confirmation', async: true },
    send_rejection: { action: 'send_rejection' },
    manual_review: { action: 'manual_review', assigned_to: 'fraud_team' },
  },
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
  timeout: '7d',
};

const orderProcessingBuilder = () =>
  workflow('order_processing', '2.0')
    .input({ type: 'object', required: ['order'] })
    .step('validate_order', { action: 'validate_order', timeout: '30s', retry_attempts: 3 })
    .step('check_fraud', { action: FraudCheck, timeout: '2m', conditions: ['order.total > 1000'] })
    .step('reserve_inventory', { action: 'reserve_inventory', compensation: 'release_inventory' })
    .step('process_payment', { action: 'process_payment', compensation: 'refund_payment', retry_attempts: 5, retry_delay: '30s' })
    .step('create_shipment', { action: 'create_shipment' })
    .step('send_notification', { action: 'send_order_confirmation', async: true })
    .step('send_rejection', { action: 'send_rejection' })
    .step('manual_review', { action: 'manual_review', assigned_to: 'fraud_team' })
    .transition('validate_order', 'check_fraud', { condition: 'order.valid === true' })
    .transition('validate_order', 'send_rejection', { condition: 'order.valid === false' })
    .transition('check_fraud', 'reserve_inventory', { condition: 'fraud.risk < 0.7' })
    .transition('check_fraud', 'manual_review', { condition: 'fraud.risk >= 0.7' })
    .transition('reserve_inventory', 'process_payment')
    .transition('process_payment', 'create_shipment', { condition: 'payment.success === true' })
    .transition('create_shipment', 'send_notification')
    .onFailure('compensate', ['email', 'slack'])
    .timeout('7d');

/** The compiled form without its expression objects (compared by source). */
function comparable(def: WorkflowDefinition): unknown {
  type Source = { source: string };
  return JSON.parse(
    JSON.stringify(def, (key, value: unknown) => {
      if (key === 'condition') return (value as Source).source;
      if (key === 'conditions') return (value as Source[]).map((c) => c.source);
      return value;
    }),
  );
}

describe('workflow builder', () => {
  it('builds exactly the hand-written order processing definition', () => {
    expect(orderProcessingBuilder().build()).toEqual(orderProcessing);
  });

  it('parses to the same compiled definition as the hand-written object', () => {
    const built = orderProcessingBuilder().parse({ resolveActionName });
    const handWritten = parseDefinition(orderProcessing, { resolveActionName });
    expect(comparable(built)).toEqual(comparable(handWritten));
    expect(built.steps.check_fraud!.action).toBe('check_fraud');
    expect(built.steps.check_fraud!.conditions.map((c) => c.source)).toEqual(['order.total > 1000']);
    expect(built.source.steps.check_fraud!.action).toBe('check_fraud');
  });

  it('builds the document approval with a named group, using then() from steps and groups', () => {
    const built = workflow('document_approval', '1.5')
      .step('submit_document', { action: 'submit_document' })
      .then('initial_review')
      .step('initial_review', { action: 'initial_review', assigned_to: 'manager_role', timeout: '2d' })
      .then('parallel_reviews', { condition: 'review.approved === true' })
      .then('reject_document', { condition: 'review.approved === false' })
      .step('legal_review', { action: 'legal_review', assigned_to: 'legal_team', timeout: '5d', conditions: ['document.type === "contract"'] })
      .step('compliance_review', { action: 'compliance_review', assigned_to: 'compliance_team', timeout: '3d', conditions: ['document.value > 100000'] })
      .parallel('parallel_reviews', ['legal_review', 'compliance_review'])
      .then('final_approval', { join: 'all' })
      .step('final_approval', { action: 'final_approval', assigned_to: 'executive_role', timeout: '1d' })
      .then('archive_document', { condition: 'approval.granted === true' })
      .step('archive_document', { action: 'archive_document' })
      .step('reject_document', { action: 'reject_document' })
      .build();
    expect(built.transitions).toEqual([
      { from: 'submit_document', to: 'initial_review' },
      { from: 'initial_review', to: 'parallel_reviews', condition: 'review.approved === true' },
      { from: 'initial_review', to: 'reject_document', condition: 'review.approved === false' },
      { from: 'parallel_reviews', to: 'final_approval', join: 'all' },
      { from: 'final_approval', to: 'archive_document', condition: 'approval.granted === true' },
    ]);
    expect(built.parallel_groups).toEqual({ parallel_reviews: ['legal_review', 'compliance_review'] });
    const def = parseDefinition(built);
    expect(def.start).toBe('submit_document');
    expect(def.groupOf.legal_review).toBe('parallel_reviews');
  });

  it('omits what was not set and leaves the version to the parser', () => {
    const built = workflow('tiny').step('only', { action: 'x' }).build();
    expect(built).toEqual({ name: 'tiny', steps: { only: { action: 'x' } } });
    expect(Object.keys(built)).toEqual(['name', 'steps']);
    expect(parseDefinition(built).version).toBe('1');
  });

  it('sets description and metadata', () => {
    const built = workflow('wf').description('demo').metadata({ owner: 'ops' }).step('a', { action: 'a' }).build();
    expect(built).toMatchObject({ description: 'demo', metadata: { owner: 'ops' } });
  });

  it('returns a copy that later calls do not change', () => {
    const builder = workflow('wf').step('a', { action: 'a', config: { n: 1 } });
    const first = builder.build();
    builder.step('b', { action: 'b' }).then('a');
    first.steps.a!.config!.n = 2;
    expect(first.steps.b).toBeUndefined();
    expect(first.transitions).toBeUndefined();
    expect(builder.build().steps.a!.config).toEqual({ n: 1 });
  });

  // The mistakes below are compile errors for a typed caller (workflow-builder.type-test.ts);
  // untyped callers (JavaScript, ids and durations held in `string`s) get them at run time.
  it('rejects a step or group id added twice', () => {
    const builder = workflow('wf').step('a', { action: 'a' });
    // @ts-expect-error "a" is already a step
    expect(() => builder.step('a', { action: 'a' })).toThrow(DefinitionError);
    // @ts-expect-error "a" is already a step
    expect(() => builder.parallel('a', ['x', 'y'])).toThrow(/"a" is already a step/);
  });

  it('rejects then() with nothing before it', () => {
    // @ts-expect-error then() needs a step or group before it
    expect(() => workflow('wf').then('a')).toThrow(/needs a step or group before it/);
  });

  it('parse() reports the issues of what was built', () => {
    // @ts-expect-error not a duration
    expect(() => workflow('wf').step('a', { action: 'a', timeout: '30x' }).parse()).toThrow(/steps\.a\.timeout: "30x" is not a duration/);
  });

  it('parse() reports what only the run time can see: durations, ids and conditions held in strings', () => {
    const timeout: string = '30x';
    const next: string = 'nowhere';
    const condition: string = '';
    const builder = workflow('wf').step('a', { action: 'a', timeout }).then(next, { condition }).step('b', { action: 'b' }).parallel('g', ['b', next]);
    expect(() => builder.parse()).toThrow(DefinitionError);
    expect(() => builder.parse()).toThrow(/steps\.a\.timeout: "30x" is not a duration/);
    expect(() => builder.parse()).toThrow(/transitions\[0\]\.to: unknown step or group "nowhere"/);
    expect(() => builder.parse()).toThrow(/transitions\[0\]\.condition: a condition must be a non-empty expression string/);
    expect(() => builder.parse()).toThrow(/parallel_groups\.g\[1\]: unknown step "nowhere"/);
  });
});

describe('workflow builder: retention and search attributes', () => {
  it('writes retention and search_attributes, which the parser compiles', () => {
    const built = workflow('kept', '1').step('a', { action: 'a' }).retention('30d').searchAttributes({ customer: 'customer.id' }).build();
    expect(built).toMatchObject({ retention: '30d', search_attributes: { customer: 'customer.id' } });
    const parsed = parseDefinition(built);
    expect(parsed.retentionMs).toBe(30 * 86_400_000);
    expect(parsed.searchAttributes).toEqual([{ name: 'customer', path: ['customer', 'id'] }]);
    expect(parseDefinition(workflow('forever').step('a', { action: 'a' }).retention(false).build()).retentionMs).toBe(false);
  });
});

import { describe, expect, it } from '@jest/globals';
import { durationMessage } from '../duration.js';
import { DefinitionError } from '../errors.js';
import { orderProcessing, resolveActionName } from '../../test/support/seed-definitions.js';
import { expectOnly, simple } from '../../test/support/definition-issues.js';
import { parseDefinition } from './definition-parser.js';

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

import { describe, expect, it } from '@jest/globals';
import { orderProcessing, resolveActionName } from '../../test/support/seed-definitions.js';
import { expectOnly, expressionMessage, simple } from '../../test/support/definition-issues.js';
import { parseDefinition } from './definition-parser.js';

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

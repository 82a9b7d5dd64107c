import { describe, expect, it } from '@jest/globals';
import { orderProcessing, resolveActionName } from '../../test/support/seed-definitions.js';
import { expectOnly, expressionMessage, grouped, issuesOf, simple } from '../../test/support/definition-issues.js';
import { parseDefinition } from './definition-parser.js';

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

import { describe, expect, it } from '@jest/globals';
import { expectOnly, grouped, issuesOf, simple } from '../../test/support/definition-issues.js';
import { parseDefinition } from './definition-parser.js';

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

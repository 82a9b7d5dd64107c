import { describe, expect, it } from '@jest/globals';
import { documentApproval } from '../../test/support/seed-definitions.js';
import { expectOnly, grouped, issuesOf } from '../../test/support/definition-issues.js';
import { parseDefinition } from './definition-parser.js';

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

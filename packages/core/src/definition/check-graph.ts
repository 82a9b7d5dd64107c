/** Graph checks: exactly one start node, every step reachable from it. */
import type { TransitionDefinition } from './definition.types.js';
import type { ParsedGroups } from './parse-groups.js';
import { quoteList, type IssueList } from './parse-util.js';

/**
 * Finds the start node and reports unreachable ones. Nodes are the steps outside any group plus
 * the groups (a group's members are reached through their group). The start is the one node no
 * transition targets; a targeted group reaches its members.
 * @returns the start node, or `undefined` when there is none or more than one (an issue is added).
 */
export function checkGraph(
  stepIds: readonly string[],
  g: ParsedGroups,
  transitions: readonly TransitionDefinition[],
  issues: IssueList,
): string | undefined {
  const nodes = [...stepIds.filter((id) => g.groupOf[id] === undefined), ...Object.keys(g.groups)];
  const targeted = new Set(transitions.map((t) => t.to));
  const starts = nodes.filter((n) => !targeted.has(n));
  if (starts.length === 0) {
    issues.add(
      'transitions',
      'no start step: every step is the target of a transition; the first step must be one that no transition leads to, so add such a step or remove the transition that loops back to the first one',
    );
    return undefined;
  }
  if (starts.length > 1) {
    issues.add(
      'transitions',
      `more than one start step: ${quoteList(starts)} are not the target of any transition, but a workflow has exactly one start; connect them with transitions from the rest of the workflow or remove them`,
    );
    return undefined;
  }
  const start = starts[0]!;
  const reached = new Set([start]);
  const queue = [start];
  for (let node = queue.shift(); node !== undefined; node = queue.shift()) {
    for (const t of transitions) {
      if (t.from === node && !reached.has(t.to)) {
        reached.add(t.to);
        queue.push(t.to);
      }
    }
  }
  for (const node of nodes) {
    if (reached.has(node)) continue;
    const isGroup = node in g.groups;
    issues.add(
      isGroup ? g.paths[node]! : `steps.${node}`,
      `${isGroup ? 'parallel group' : 'step'} ${JSON.stringify(node)} is unreachable from the start ${JSON.stringify(start)}; add a transition to it or remove it`,
    );
  }
  return start;
}

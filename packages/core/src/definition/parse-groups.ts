/** Validation of `parallel_groups`, in both named forms. */
import { checkKeys, ID_RE, isPlainObject, unknownRefMessage, type IssueList } from './parse-util.js';

/** Validated groups: members by group name, plus the path of each group for later messages. */
export interface ParsedGroups {
  groups: Record<string, string[]>;
  groupOf: Record<string, string>;
  /** Path of each group, e.g. `parallel_groups.reviews` or `parallel_groups[0]`. */
  paths: Record<string, string>;
}

interface RawGroup {
  name: unknown;
  namePath: string;
  path: string;
  steps: unknown;
  /** Path prefix of a member: `${memberPath}[i]`. */
  memberPath: string;
}

function memberList(steps: unknown): string {
  return Array.isArray(steps) ? `[${steps.map((s) => JSON.stringify(s)).join(', ')}]` : '["step_a", "step_b"]';
}

/** Normalizes both forms to a list, reporting the seed's bare (unnamed) form and malformed items. */
function rawGroups(input: unknown, issues: IssueList): RawGroup[] {
  if (isPlainObject(input)) {
    return Object.entries(input)
      .filter(([, steps]) => steps !== undefined)
      .map(([name, steps]) => {
        const path = `parallel_groups.${name}`;
        return { name, namePath: path, path, steps, memberPath: path };
      });
  }
  if (!Array.isArray(input)) {
    issues.add('parallel_groups', `must be { group_name: ["step_a", "step_b"] } or [{ name: "group_name", steps: [...] }]`);
    return [];
  }
  const out: RawGroup[] = [];
  input.forEach((item, i) => {
    const path = `parallel_groups[${i}]`;
    if (Array.isArray(item)) {
      issues.add(
        path,
        `a group needs a name; write parallel_groups: { my_group: ${memberList(item)} } or [{ name: "my_group", steps: [...] }]`,
      );
    } else if (!isPlainObject(item)) {
      issues.add(path, `must be { name: "group_name", steps: ["step_a", "step_b"] }`);
    } else {
      checkKeys(item, ['name', 'steps'], path, issues);
      out.push({ name: item.name, namePath: `${path}.name`, path, steps: item.steps, memberPath: `${path}.steps` });
    }
  });
  return out;
}

/**
 * Validates the groups: named, unique, no clash with a step id, at least 2 known steps each, and
 * a step in at most one group.
 */
export function parseGroups(input: unknown, stepIds: readonly string[], issues: IssueList): ParsedGroups {
  const result: ParsedGroups = { groups: {}, groupOf: {}, paths: {} };
  if (input === undefined) return result;
  for (const raw of rawGroups(input, issues)) {
    const { name } = raw;
    if (typeof name !== 'string' || !ID_RE.test(name)) {
      issues.add(raw.namePath, `a group name must be a non-empty string of letters, digits, "_" or "-"; got ${JSON.stringify(name) ?? 'nothing'}`);
      continue;
    }
    if (name in result.groups) {
      issues.add(raw.namePath, `duplicate group name ${JSON.stringify(name)}; each group needs its own name`);
      continue;
    }
    if (stepIds.includes(name)) {
      issues.add(raw.namePath, `group name ${JSON.stringify(name)} is also a step id; rename the group or the step so transitions can tell them apart`);
    }
    result.paths[name] = raw.path;
    result.groups[name] = [];
    if (!Array.isArray(raw.steps)) {
      issues.add(raw.memberPath, `must be an array of step ids, e.g. ["legal_review", "compliance_review"]`);
      continue;
    }
    if (raw.steps.length < 2) {
      issues.add(raw.memberPath, `a parallel group needs at least 2 steps; with a single step, transition to the step itself`);
    }
    raw.steps.forEach((member: unknown, i) => {
      const path = `${raw.memberPath}[${i}]`;
      if (typeof member !== 'string' || !stepIds.includes(member)) {
        issues.add(path, typeof member === 'string' ? unknownRefMessage('step', member, stepIds) : `must be a step id (string)`);
      } else if (result.groups[name]!.includes(member)) {
        issues.add(path, `step ${JSON.stringify(member)} is listed twice in group ${JSON.stringify(name)}`);
      } else if (result.groupOf[member] !== undefined) {
        issues.add(path, `step ${JSON.stringify(member)} is already in group ${JSON.stringify(result.groupOf[member])}; a step can belong to one group only`);
      } else {
        result.groups[name]!.push(member);
        result.groupOf[member] = name;
      }
    });
  }
  return result;
}

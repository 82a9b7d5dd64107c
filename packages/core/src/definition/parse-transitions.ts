/** Validation and compilation of `transitions`. */
import type { TransitionDefinition } from './definition.types.js';
import type { ParsedGroups } from './parse-groups.js';
import { compileAt, type ParseContext } from './parse-step.js';
import { checkJson, checkKeys, isPlainObject, unknownRefMessage } from './parse-util.js';

const TRANSITION_KEYS = ['from', 'to', 'condition', 'join', 'on_timeout', 'metadata'] as const;

/** Compiled transitions, plus whether every `from`/`to` resolved (graph checks need that). */
export interface ParsedTransitions {
  transitions: TransitionDefinition[];
  endpointsResolved: boolean;
}

function isJoin(value: unknown): value is 'all' | 'any' | number {
  return value === 'all' || value === 'any' || (Number.isInteger(value) && (value as number) >= 1);
}

/**
 * Validates each transition: known endpoints (a group member is neither a source nor a target on
 * its own: route to and from its group), a condition that compiles, a `join` only on a transition
 * leaving a group and within its size. Also rejects duplicates, more than one default (unconditional)
 * transition from one node, and transitions leaving one group with different joins.
 */
export function parseTransitions(
  input: unknown,
  stepIds: readonly string[],
  g: ParsedGroups,
  ctx: ParseContext,
  humanSteps: ReadonlySet<string> = new Set(),
): ParsedTransitions {
  const { issues } = ctx;
  const out: ParsedTransitions = { transitions: [], endpointsResolved: true };
  if (input === undefined) return out;
  if (!Array.isArray(input)) {
    issues.add('transitions', `must be an array like [{ from: "step_a", to: "step_b" }]`);
    out.endpointsResolved = false;
    return out;
  }
  const known = [...stepIds, ...Object.keys(g.groups)];
  const seen = new Map<string, number>();
  const defaults = new Map<string, number>();
  const joins = new Map<string, { join: TransitionDefinition['join']; index: number }>();

  input.forEach((raw: unknown, index) => {
    const path = `transitions[${index}]`;
    if (!isPlainObject(raw)) {
      issues.add(path, `must be an object like { from: "step_a", to: "step_b", condition?: "..." }`);
      out.endpointsResolved = false;
      return;
    }
    checkKeys(raw, TRANSITION_KEYS, path, issues);
    const endpoint = (key: 'from' | 'to'): string | undefined => {
      const ref = raw[key];
      const group = typeof ref === 'string' ? g.groupOf[ref] : undefined;
      if (typeof ref !== 'string' || ref === '') issues.add(`${path}.${key}`, `is required: the id of a step or parallel group`);
      else if (!known.includes(ref)) issues.add(`${path}.${key}`, unknownRefMessage('step or group', ref, known));
      else if (group !== undefined && key === 'from') {
        issues.add(`${path}.from`, `step ${JSON.stringify(ref)} is in parallel group ${JSON.stringify(group)}; a member's branch ends at the group's join, so route from the group: from: ${JSON.stringify(group)}`);
      } else if (group !== undefined) {
        issues.add(`${path}.to`, `step ${JSON.stringify(ref)} is in parallel group ${JSON.stringify(group)} and starts only with its group; write to: ${JSON.stringify(group)}`);
      } else return ref;
      out.endpointsResolved = false;
      return undefined;
    };
    const from = endpoint('from');
    const to = endpoint('to');
    const condition = raw.condition === undefined ? undefined : compileAt(raw.condition, `${path}.condition`, ctx);
    if (raw.metadata !== undefined) {
      if (isPlainObject(raw.metadata)) checkJson(raw.metadata, `${path}.metadata`, issues);
      else issues.add(`${path}.metadata`, `must be an object`);
    }

    let join: TransitionDefinition['join'] = 'all';
    let joinValid = raw.join === undefined;
    const group = from !== undefined ? g.groups[from] : undefined;
    if (raw.join !== undefined) {
      if (!isJoin(raw.join)) {
        issues.add(`${path}.join`, `must be "all", "any" or a whole number ≥ 1 of finished branches; got ${JSON.stringify(raw.join)}`);
      } else if (from !== undefined && group === undefined) {
        issues.add(`${path}.join`, `join applies only to transitions leaving a parallel group; "${from}" is a step, so remove join`);
      } else if (group !== undefined && typeof raw.join === 'number' && raw.join > group.length) {
        issues.add(`${path}.join`, `join ${raw.join} exceeds the ${group.length} steps of group ${JSON.stringify(from)}; use a number from 1 to ${group.length}, "all" or "any"`);
      } else {
        join = raw.join;
        joinValid = true;
      }
    }
    let onTimeout = false;
    if (raw.on_timeout !== undefined) {
      if (raw.on_timeout !== true && raw.on_timeout !== false) {
        issues.add(`${path}.on_timeout`, `must be true (the route taken when the step's task is overdue) or left out`);
      } else if (raw.on_timeout && from !== undefined && !humanSteps.has(from)) {
        issues.add(`${path}.on_timeout`, `applies only to transitions leaving a human task step (one with assigned_to); "${from}" has none`);
      } else onTimeout = raw.on_timeout;
    }
    if (from === undefined || to === undefined) return;

    const key = JSON.stringify([from, to, raw.condition ?? null, onTimeout]);
    const twin = seen.get(key);
    if (twin !== undefined) {
      issues.add(path, `duplicate of transitions[${twin}] (same from, to and condition); remove one`);
      return;
    }
    seen.set(key, index);
    if (raw.condition === undefined && !onTimeout) {
      const first = defaults.get(from);
      if (first !== undefined) {
        issues.add(path, `"${from}" already has a default transition without a condition (transitions[${first}]); only one default is taken, so add a condition or remove one`);
      } else defaults.set(from, index);
    }
    if (group !== undefined && joinValid) {
      const other = joins.get(from);
      if (other && other.join !== join) {
        issues.add(`${path}.join`, `transitions leaving group ${JSON.stringify(from)} must share one join; transitions[${other.index}] uses ${JSON.stringify(other.join)}`);
      } else joins.set(from, { join, index });
    }
    out.transitions.push({ from, to, ...(condition ? { condition } : {}), join, index, ...(onTimeout ? { onTimeout } : {}) });
  });
  return out;
}

/**
 * Parses the storable definition format (the seed's array format as JSON) into the compiled
 * {@link WorkflowDefinition} the engine runs, reporting every problem at once.
 */
import { durationMessage, parseDurationOrUndefined } from '../duration.js';
import { DefinitionError } from '../errors.js';
import type { ExpressionOptions } from '../expression/expression.types.js';
import { checkGraph } from './check-graph.js';
import type { StepDefinition, TransitionDefinition, WorkflowDefinition, WorkflowDefinitionInput } from './definition.types.js';
import { parseGroups } from './parse-groups.js';
import { parseRetention, parseSearchAttributes } from './parse-retention.js';
import { parseStep, stepSource, type ParseContext } from './parse-step.js';
import { parseTransitions } from './parse-transitions.js';
import { checkJson, checkKeys, cloneJson, definedEntries, ID_RE, isPlainObject, IssueList } from './parse-util.js';

/** Options of {@link parseDefinition}. */
export interface ParseDefinitionOptions {
  /** Options of the condition compiler (whitelisted methods, extra functions). */
  expressionOptions?: ExpressionOptions;
  /** Registered name of an action given as a class/function; `undefined` when it has none. */
  resolveActionName?: (ref: Function) => string | undefined;
}

/** Keys allowed at the top level of a definition. */
export const DEFINITION_KEYS = [
  'name',
  'version',
  'description',
  'input',
  'steps',
  'transitions',
  'parallel_groups',
  'error_handling',
  'timeout',
  'metadata',
  'retention',
  'search_attributes',
] as const;

/** Values of `error_handling.on_failure`. */
export const ON_FAILURE_MODES = ['fail', 'compensate', 'compensate_and_notify', 'notify'] as const;

/** Version used when a definition does not write one. */
export const DEFAULT_VERSION = '1';

const NAME_RE = /^[A-Za-z0-9_.-]+$/;

function describe(value: unknown): string {
  return Array.isArray(value) ? 'an array' : (JSON.stringify(value) ?? typeof value);
}

function parseVersion(value: unknown, issues: IssueList): string {
  if (value === undefined) return DEFAULT_VERSION;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'string' && value.trim() !== '') return value;
  issues.add('version', `must be a non-empty string such as "2.0"; got ${describe(value)}`);
  return DEFAULT_VERSION;
}

function parseErrorHandling(value: unknown, issues: IssueList): Pick<WorkflowDefinition, 'onFailure' | 'notificationChannels'> {
  const result: Pick<WorkflowDefinition, 'onFailure' | 'notificationChannels'> = { onFailure: 'fail', notificationChannels: [] };
  if (value === undefined) return result;
  if (!isPlainObject(value)) {
    issues.add('error_handling', `must be an object like { on_failure: "compensate", notification_channels: ["email"] }`);
    return result;
  }
  checkKeys(value, ['on_failure', 'notification_channels'], 'error_handling', issues);
  const mode = value.on_failure;
  if ((ON_FAILURE_MODES as readonly unknown[]).includes(mode)) result.onFailure = mode as WorkflowDefinition['onFailure'];
  else if (mode !== undefined) issues.add('error_handling.on_failure', `must be one of ${ON_FAILURE_MODES.join(', ')}; got ${describe(mode)}`);
  const channels = value.notification_channels;
  if (Array.isArray(channels) && channels.every((c) => typeof c === 'string' && c !== '')) result.notificationChannels = [...channels];
  else if (channels !== undefined) issues.add('error_handling.notification_channels', `must be an array of channel names, e.g. ["email", "slack"]`);
  return result;
}

function checkObject(value: unknown, path: string, issues: IssueList): void {
  if (value === undefined) return;
  if (isPlainObject(value)) checkJson(value, path, issues);
  else issues.add(path, `must be an object; got ${describe(value)}`);
}

/**
 * Validates a definition in the storable format and compiles it.
 *
 * Decisions: a numeric `version` is accepted and stringified with `String()` (so `2.0` becomes
 * `"2"`; write `"2.0"` to keep it); a key whose value is `undefined` counts as absent; a group
 * member is routed only through its group (transitions may not start or end at a member); only one
 * unconditional (default) transition may leave a node; start/reachability checks run only when all
 * transition endpoints and groups are valid, so one typo does not cascade into graph errors.
 *
 * @param input the definition, e.g. parsed JSON or the builder's output; actions may be names or classes.
 * @throws DefinitionError listing every issue with its dotted path.
 */
export function parseDefinition(input: unknown, options: ParseDefinitionOptions = {}): WorkflowDefinition {
  const issues = new IssueList();
  if (!isPlainObject(input)) {
    throw new DefinitionError([{ path: '', message: `a workflow definition must be an object with name and steps; got ${describe(input)}` }]);
  }
  const ctx: ParseContext = { issues, ...options };
  checkKeys(input, DEFINITION_KEYS, '', issues);

  const name = input.name;
  if (typeof name !== 'string' || !NAME_RE.test(name)) {
    issues.add('name', `is required: a non-empty string of letters, digits, "_", "-" or ".", e.g. "order_processing"; got ${describe(name)}`);
  }
  const version = parseVersion(input.version, issues);
  if (input.description !== undefined && typeof input.description !== 'string') issues.add('description', `must be a string`);
  checkObject(input.input, 'input', issues);
  checkObject(input.metadata, 'metadata', issues);
  const timeoutMs = input.timeout === undefined ? undefined : parseDurationOrUndefined(input.timeout);
  if (input.timeout !== undefined && timeoutMs === undefined) issues.add('timeout', durationMessage(input.timeout));
  const errorHandling = parseErrorHandling(input.error_handling, issues);
  const retentionMs = parseRetention(input.retention, 'retention', issues);
  const searchAttributes = parseSearchAttributes(input.search_attributes, issues);

  const steps: Record<string, StepDefinition> = {};
  const rawSteps = isPlainObject(input.steps) ? definedEntries(input.steps) : [];
  if (!isPlainObject(input.steps)) issues.add('steps', `is required: an object of steps by id, e.g. { validate_order: { action: "validate_order" } }`);
  else if (rawSteps.length === 0) issues.add('steps', `must define at least one step`);
  for (const [id, raw] of rawSteps) {
    if (!ID_RE.test(id)) issues.add(`steps.${id}`, `step id ${JSON.stringify(id)} may contain only letters, digits, "_" and "-"`);
    const step = parseStep(id, raw, ctx);
    if (step) steps[id] = step;
  }
  const stepIds = rawSteps.map(([id]) => id);

  const before = issues.size;
  const groups = parseGroups(input.parallel_groups, stepIds, issues);
  const groupsValid = issues.size === before;
  const humanSteps = new Set(Object.values(steps).filter((s) => s.assignedTo !== undefined).map((s) => s.id));
  const { transitions, endpointsResolved } = parseTransitions(input.transitions, stepIds, groups, ctx, humanSteps);
  const start = groupsValid && endpointsResolved && stepIds.length > 0 ? checkGraph(stepIds, groups, transitions, issues) : undefined;

  if (issues.size > 0 || start === undefined) throw new DefinitionError(issues.items, typeof name === 'string' ? name : undefined);

  const outgoing: Record<string, TransitionDefinition[]> = {};
  for (const id of [...stepIds, ...Object.keys(groups.groups)]) outgoing[id] = transitions.filter((t) => t.from === id);

  const source = Object.fromEntries(
    definedEntries(input).map(([key, value]) => {
      if (key === 'version') return [key, version];
      if (key !== 'steps') return [key, cloneJson(value)];
      return [key, Object.fromEntries(rawSteps.map(([id, raw]) => [id, stepSource(raw as Record<string, unknown>, steps[id]!)]))];
    }),
  ) as unknown as WorkflowDefinitionInput;

  return {
    name: name as string,
    version,
    source,
    steps,
    groups: groups.groups,
    outgoing,
    start,
    groupOf: groups.groupOf,
    ...errorHandling,
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    ...(isPlainObject(input.input) ? { inputSchema: cloneJson(input.input) } : {}),
    ...(retentionMs !== undefined ? { retentionMs } : {}),
    ...(searchAttributes?.length ? { searchAttributes } : {}),
  };
}

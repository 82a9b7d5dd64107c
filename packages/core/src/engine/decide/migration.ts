/**
 * Planning the move of a running instance to another version of its definition: pure, like the
 * rest of decide. The plan says where each step record, task, timer and buffered signal goes and
 * what the target no longer reaches; the decision is the migrated record in one commit with an
 * `instance.migrated` event. Anything that cannot move as asked is refused before anything is built.
 * Semantics in docs/semantics.md ("Migrating running instances").
 */
import type { WorkflowDefinition } from '../../definition/definition.types.js';
import { ErrorCode, IllegalTransitionError, WorkflowError } from '../../errors.js';
import type { InstanceRecord, StepRecord, TimerRecord } from '../../model/instance.types.js';
import type { MigrationPlan } from '../definition-ops.types.js';
import { ACTIVE, Draft, who } from './draft.js';
import { reachable } from './operator.js';
import type { Audit, DecideEnv, Decision } from './types.js';

/** A planned migration: the plan (not applied yet) and the decision to commit. */
export interface PlannedMigration {
  plan: MigrationPlan;
  decision: Decision & { ignored: false };
  /** New step id → old, for steps renamed (to tell whether an attempt under the old id still runs). */
  renamed: Record<string, string>;
}

/**
 * Plan the move of `instance` (on `from`) to `env.definition`, placing steps the target lacks or
 * renames through `stepMap` (`{ old: new }`).
 * @throws IllegalTransitionError for an ended or compensating instance; WorkflowError
 * `WF_INPUT_INVALID` naming every step that cannot move as asked.
 */
export function planMigration(env: DecideEnv, instance: InstanceRecord, from: WorkflowDefinition, stepMap: Record<string, string>, audit: Audit = {}): PlannedMigration {
  const to = env.definition;
  const { id, state } = instance;
  if (state === 'COMPLETED' || state === 'FAILED' || state === 'CANCELLED') {
    throw new IllegalTransitionError('migrate', id, state, `only unfinished instances can be migrated (to ${to.name}@${to.version})`);
  }
  if (state === 'COMPENSATING') throw new IllegalTransitionError('migrate', id, state, 'its saga is unwinding on the version it failed on; wait for it to finish');
  if (to.name !== instance.definitionName) invalid(`migrateInstance: instance ${id} runs on ${instance.definitionName}, not ${to.name}; migrate it to a version of ${instance.definitionName}.`, { field: 'toVersion' });
  if (to.version === instance.definitionVersion) invalid(`migrateInstance: instance ${id} already runs on ${to.name}@${to.version}.`, { field: 'toVersion' });

  const { targets, problems } = placeSteps(instance, from, to, stepMap);
  if (problems.length > 0) {
    invalid(`Cannot migrate instance ${id} from ${from.name}@${from.version} to ${to.version}: ${problems.join('; ')}.`, { field: 'stepMap', problems });
  }

  const d = new Draft(env, instance);
  d.inst.definitionVersion = to.version;
  const plan: MigrationPlan = {
    instanceId: id,
    definitionName: to.name,
    fromVersion: instance.definitionVersion,
    toVersion: to.version,
    state,
    steps: [],
    dropped: [],
    tasks: [],
    timers: [],
    signals: [],
    unreachable: [],
    applied: false,
  };
  const renamed: Record<string, string> = {};
  const steps: Record<string, StepRecord> = {};
  for (const [oldId, rec] of Object.entries(instance.steps)) {
    const newId = targets[oldId];
    if (newId === undefined) {
      plan.dropped.push(oldId);
      continue;
    }
    plan.steps.push({ from: oldId, to: newId, status: rec.status, open: ACTIVE.has(rec.status) });
    if (newId === oldId) {
      steps[newId] = rec;
      continue;
    }
    renamed[newId] = oldId;
    const moved: StepRecord = { ...rec };
    if (rec.task) {
      moved.task = { ...rec.task, id: `${id}.${newId}.${rec.run}` };
      plan.tasks.push({ from: rec.task.id, to: moved.task.id });
    }
    steps[newId] = moved;
    if (moved.status === 'SCHEDULED' && (state === 'RUNNING' || state === 'WAITING')) d.effects.push({ type: 'run', stepId: newId, attempt: moved.attempt, kind: 'step', run: moved.run });
  }
  d.inst.steps = steps;
  moveTimers(d, instance, from, targets, plan);
  d.inst.stepAliases = aliases(instance, to, renamed);
  if (instance.runs) d.inst.runs = Object.fromEntries(Object.entries(instance.runs).map(([s, run]) => [targets[s] ?? s, run]));

  for (const signal of instance.signals) {
    const waitingSteps = Object.keys(to.steps).filter((s) => to.steps[s]!.config.signal === signal.name);
    plan.signals.push({ name: signal.name, waitingSteps });
  }
  const open = Object.keys(steps).filter((s) => ACTIVE.has(steps[s]!.status));
  const reach = reachable(to, open);
  plan.unreachable = Object.keys(to.steps).filter((s) => steps[s] === undefined && !reach.has(s));

  const effective = Object.fromEntries(Object.entries(renamed).map(([n, o]) => [o, n]));
  d.emit('instance.migrated', {
    data: { from: instance.definitionVersion, to: to.version, stepMap: effective, ...(plan.dropped.length ? { dropped: plan.dropped } : {}), ...who(audit) },
  });
  return { plan, decision: d.result() as Decision & { ignored: false }, renamed };
}

/** Where each step record goes, and every reason it cannot. */
function placeSteps(instance: InstanceRecord, from: WorkflowDefinition, to: WorkflowDefinition, stepMap: Record<string, string>) {
  const problems: string[] = [];
  const fromSteps = Object.keys(from.steps).join(', ');
  const toSteps = Object.keys(to.steps).join(', ');
  for (const [oldId, newId] of Object.entries(stepMap)) {
    if (!Object.hasOwn(from.steps, oldId)) problems.push(`stepMap names step "${oldId}", which ${from.name}@${from.version} lacks (its steps: ${fromSteps})`);
    if (typeof newId !== 'string' || !Object.hasOwn(to.steps, newId)) problems.push(`stepMap sends "${oldId}" to ${JSON.stringify(newId)}, which ${to.name}@${to.version} lacks (its steps: ${toSteps})`);
  }
  const targets: Record<string, string> = {};
  const taken: Record<string, string> = {};
  for (const [oldId, rec] of Object.entries(instance.steps)) {
    const mapped = Object.hasOwn(stepMap, oldId) ? stepMap[oldId] : Object.hasOwn(to.steps, oldId) ? oldId : undefined;
    if (mapped === undefined || !Object.hasOwn(to.steps, mapped)) {
      if (ACTIVE.has(rec.status) && mapped === undefined) {
        problems.push(`step "${oldId}" is ${rec.status} and ${to.name}@${to.version} has no step "${oldId}": place it with stepMap, e.g. { "${oldId}": "<one of ${toSteps}>" }`);
      }
      continue;
    }
    if (taken[mapped] !== undefined) {
      problems.push(`steps "${taken[mapped]}" and "${oldId}" would both become "${mapped}"`);
      continue;
    }
    taken[mapped] = oldId;
    targets[oldId] = mapped;
    if (ACTIVE.has(rec.status)) problems.push(...incompatible(oldId, rec, mapped, from, to));
  }
  // A join needs every member of its group: an open member moved into a group needs the others there too.
  for (const [oldId, newId] of Object.entries(targets)) {
    const group = to.groupOf[newId];
    if (!group || !ACTIVE.has(instance.steps[oldId]!.status)) continue;
    const missing = to.groups[group]!.filter((m) => taken[m] === undefined);
    if (missing.length > 0) problems.push(`step "${oldId}" would be in group "${group}" of ${to.version}, whose members ${missing.map((m) => `"${m}"`).join(', ')} have not run`);
  }
  return { targets, problems: [...new Set(problems)] };
}

/** Why an open step cannot become `newId` (kinds that work differently), if it cannot. */
function incompatible(oldId: string, rec: StepRecord, newId: string, from: WorkflowDefinition, to: WorkflowDefinition): string[] {
  const target = to.steps[newId]!;
  const problems: string[] = [];
  const name = oldId === newId ? `step "${oldId}"` : `step "${oldId}" (as "${newId}")`;
  const openTask = rec.task && (rec.task.state === 'OPEN' || rec.task.state === 'CLAIMED');
  if (openTask && target.assignedTo === undefined) problems.push(`${name} has an open human task but "${newId}" of ${to.version} has no assigned_to`);
  if ((rec.async ?? false) !== target.async) problems.push(`${name} is ${rec.async ? 'async' : 'blocking'} but "${newId}" of ${to.version} is ${target.async ? 'async' : 'blocking'}`);
  if (Boolean(from.groupOf[oldId]) !== Boolean(to.groupOf[newId])) {
    problems.push(`${name} ${from.groupOf[oldId] ? `is in parallel group "${from.groupOf[oldId]}"` : 'is in no parallel group'} but "${newId}" of ${to.version} ${to.groupOf[newId] ? `is in group "${to.groupOf[newId]}"` : 'is in none'}`);
  }
  return problems;
}

/** Re-key the step timers of moved steps, drop those of dropped steps, and set the deadline by the target. */
function moveTimers(d: Draft, instance: InstanceRecord, from: WorkflowDefinition, targets: Record<string, string>, plan: MigrationPlan): void {
  const timers: TimerRecord[] = [];
  for (const t of instance.timers) {
    if (t.kind === 'deadline') continue;
    const newStep = t.stepId === undefined ? undefined : targets[t.stepId];
    if (t.stepId !== undefined && newStep === undefined) {
      plan.timers.push({ from: t.id, to: null, kind: t.kind, fireAt: t.fireAt });
      d.effects.push({ type: 'disarm', timerId: t.id });
      continue;
    }
    const moved = newStep === undefined || newStep === t.stepId ? t : { ...t, id: `${t.id.split('/')[0]}/${newStep}`, stepId: newStep };
    timers.push(moved);
    plan.timers.push({ from: t.id, to: moved.id, kind: t.kind, fireAt: t.fireAt });
    if (moved !== t) d.effects.push({ type: 'disarm', timerId: t.id }, { type: 'arm', timer: moved });
  }
  const deadline = instance.timers.find((t) => t.kind === 'deadline');
  const timeoutMs = d.def.timeoutMs;
  if (deadline && timeoutMs === from.timeoutMs) {
    timers.push(deadline);
    plan.timers.push({ from: deadline.id, to: deadline.id, kind: 'deadline', fireAt: deadline.fireAt });
  } else if (timeoutMs !== undefined) {
    const armed: TimerRecord = { id: 'deadline', kind: 'deadline', fireAt: instance.createdAt + timeoutMs };
    timers.push(armed);
    plan.timers.push({ from: deadline?.id ?? null, to: armed.id, kind: 'deadline', fireAt: armed.fireAt });
    d.effects.push({ type: 'arm', timer: armed });
  } else if (deadline) {
    plan.timers.push({ from: deadline.id, to: null, kind: 'deadline', fireAt: deadline.fireAt });
    d.effects.push({ type: 'disarm', timerId: deadline.id });
  }
  d.inst.timers = timers;
}

/**
 * Old step ids → new after this migration: earlier aliases follow their step, new renames are
 * added, and an alias whose old id is a step of the target is dropped (that id means the target's step).
 */
function aliases(instance: InstanceRecord, to: WorkflowDefinition, renamed: Record<string, string>): Record<string, string> | undefined {
  const byOld: Record<string, string> = {};
  const newOf = (s: string) => Object.keys(renamed).find((n) => renamed[n] === s) ?? (Object.hasOwn(to.steps, s) ? s : undefined);
  for (const [old, current] of Object.entries(instance.stepAliases ?? {})) {
    const next = newOf(current);
    if (next !== undefined) byOld[old] = next;
  }
  for (const [newId, oldId] of Object.entries(renamed)) byOld[oldId] = newId;
  for (const old of Object.keys(byOld)) if (Object.hasOwn(to.steps, old)) delete byOld[old];
  return Object.keys(byOld).length > 0 ? byOld : undefined;
}

function invalid(message: string, details: Record<string, unknown>): never {
  throw new WorkflowError(ErrorCode.InputInvalid, message, details);
}

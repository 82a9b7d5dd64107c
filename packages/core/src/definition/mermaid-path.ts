/**
 * What an instance adds to its definition's diagram: the status class of each step and of each
 * compensation, and which transitions it took (read from its history when given, else guessed
 * from its step records).
 */
import type { HistoryEvent, InstanceRecord, StepRecord } from '../model/instance.types.js';
import type { TransitionDefinition, WorkflowDefinition } from './definition.types.js';

/** Status classes of the diagram, in the order their styles are declared (a later one wins). */
export const STATUS_CLASSES = ['completed', 'skipped', 'cancelled', 'timedout', 'failed', 'compensated', 'current'] as const;
/** One of {@link STATUS_CLASSES}. */
export type StatusClass = (typeof STATUS_CLASSES)[number];

/** The instance's marks on the diagram. */
export interface InstancePath {
  /** Status class of each step the instance entered. */
  steps: Map<string, StatusClass>;
  /** Status class of the compensation of each step whose compensation was scheduled or ran. */
  compensations: Map<string, StatusClass>;
  /** Transitions taken at least once. */
  taken: Set<TransitionDefinition>;
  /** The start node was entered. */
  started: boolean;
}

const ACTIVE_TASK = new Set(['OPEN', 'CLAIMED']);

/** The class of a step record: its compensation first, then an open task, then its status. */
function stepClass(rec: StepRecord): StatusClass | undefined {
  if (rec.compensation?.status === 'COMPLETED') return 'compensated';
  if (rec.task && ACTIVE_TASK.has(rec.task.state)) return 'current';
  switch (rec.status) {
    case 'COMPLETED':
      return 'completed';
    case 'FAILED':
      return 'failed';
    case 'SKIPPED':
      return 'skipped';
    case 'CANCELLED':
      return 'cancelled';
    case 'TIMED_OUT':
      return 'timedout';
    case 'SCHEDULED':
    case 'WAITING':
    case 'RETRY_WAIT':
      return 'current';
  }
  return undefined;
}

function compensationClass(rec: StepRecord): StatusClass | undefined {
  switch (rec.compensation?.status) {
    case 'COMPLETED':
      return 'completed';
    case 'FAILED':
      return 'failed';
    case 'SCHEDULED':
    case 'RETRY_WAIT':
      return 'current';
  }
  return undefined;
}

/** Every transition of the definition, in definition order. */
export function allTransitions(def: WorkflowDefinition): TransitionDefinition[] {
  return Object.values(def.outgoing)
    .flat()
    .sort((a, b) => a.index - b.index);
}

/** The marks of `instance` (steps the definition does not have are left out). */
export function instancePath(def: WorkflowDefinition, instance: InstanceRecord, history?: readonly HistoryEvent[]): InstancePath {
  const steps = new Map<string, StatusClass>();
  const compensations = new Map<string, StatusClass>();
  for (const [id, rec] of Object.entries(instance.steps ?? {})) {
    if (!def.steps[id]) continue;
    const cls = stepClass(rec);
    if (cls) steps.set(id, cls);
    const comp = compensationClass(rec);
    if (comp) compensations.set(id, comp);
  }
  const entered = (node: string): boolean => (def.groups[node] ?? [node]).some((s) => instance.steps?.[s] !== undefined);
  const taken = history ? takenFromHistory(def, history) : takenFromRecords(def, instance);
  return { steps, compensations, taken, started: entered(def.start) };
}

/**
 * Replays the history: each entry of a step (`step.scheduled` of its first attempt, `step.skipped`)
 * was caused by the transition into it (or its group) whose source finished last before it. A
 * source finishes on `step.completed`/`step.skipped` (a group member stands for its group), an
 * async step on its `step.scheduled`, an `on_timeout` route on `task.expired`.
 */
function takenFromHistory(def: WorkflowDefinition, history: readonly HistoryEvent[]): Set<TransitionDefinition> {
  const transitions = allTransitions(def);
  const finished = new Map<string, number>();
  const taken = new Set<TransitionDefinition>();
  const sourceKey = (t: TransitionDefinition): string => (t.onTimeout ? `${t.from}\u0000timeout` : t.from);
  const finish = (stepId: string, at: number): void => void finished.set(def.groupOf[stepId] ?? stepId, at);

  const enter = (stepId: string, at: number): void => {
    const targets = [stepId, def.groupOf[stepId]];
    let best: TransitionDefinition | undefined;
    let bestAt = -1;
    for (const t of transitions) {
      if (!targets.includes(t.to)) continue;
      const when = finished.get(sourceKey(t));
      if (when !== undefined && when > bestAt) [best, bestAt] = [t, when];
    }
    if (best) taken.add(best);
  };

  history.forEach((event, at) => {
    const stepId = event.stepId;
    if (stepId === undefined || !def.steps[stepId]) return;
    switch (event.type) {
      case 'step.scheduled':
        enter(stepId, at);
        if (def.steps[stepId]!.async) finish(stepId, at);
        break;
      case 'step.skipped':
        enter(stepId, at);
        finish(stepId, at);
        break;
      case 'step.completed':
        if (!def.steps[stepId]!.async) finish(stepId, at);
        break;
      case 'task.expired':
        finished.set(`${stepId}\u0000timeout`, at);
        break;
      default:
        break;
    }
  });
  return taken;
}

/**
 * Without a history: a transition was taken when its source finished (completed or skipped; timed
 * out for `on_timeout`; dispatched for an async step) and its target was entered. Loops and
 * several entered targets may mark more than the history would.
 */
function takenFromRecords(def: WorkflowDefinition, instance: InstanceRecord): Set<TransitionDefinition> {
  const rec = (id: string): StepRecord | undefined => instance.steps?.[id];
  const entered = (node: string): boolean => (def.groups[node] ?? [node]).some((s) => rec(s) !== undefined);
  const finished = (node: string, onTimeout: boolean): boolean =>
    (def.groups[node] ?? [node]).some((s) => {
      const r = rec(s);
      if (!r) return false;
      if (onTimeout) return r.status === 'TIMED_OUT';
      return r.status === 'COMPLETED' || r.status === 'SKIPPED' || def.steps[s]?.async === true;
    });
  return new Set(allTransitions(def).filter((t) => finished(t.from, t.onTimeout === true) && entered(t.to)));
}

/**
 * Comparing the events a definition produces with the recorded ones, and saying in a sentence
 * where and why they part: a step renamed, a transition or a guard that changed, a retry policy.
 */
import type { WorkflowDefinition } from '../../definition/definition.types.js';
import type { HistoryEvent } from '../../model/instance.types.js';
import type { ReplayDivergence } from './replay.types.js';

/** `step.scheduled of 'charge' (attempt 2)`, `workflow.completed`. */
export function describeEvent(e: HistoryEvent): string {
  return `${e.type}${e.stepId !== undefined ? ` of '${e.stepId}'` : ''}${e.attempt !== undefined && e.attempt > 1 ? ` (attempt ${e.attempt})` : ''}`;
}

const list = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);
const sameList = (a: unknown, b: unknown): boolean => JSON.stringify(list(a)) === JSON.stringify(list(b));
const sameSet = (a: unknown, b: unknown): boolean => sameList(list(a).sort(), list(b).sort());

/** Data that is part of what happened (not of when or how long): compared besides type, step and attempt. */
function sameData(p: HistoryEvent, r: HistoryEvent): boolean {
  const pd = p.data ?? {};
  const rd = r.data ?? {};
  switch (p.type) {
    case 'compensation.started':
      return sameList(pd.steps, rd.steps);
    case 'signal.received':
      return pd.delivered === rd.delivered && sameSet(pd.steps, rd.steps);
    case 'step.waiting':
      return pd.signal === rd.signal;
    case 'task.opened':
      return pd.assignedTo === rd.assignedTo;
    case 'workflow.retried':
      return sameSet(pd.steps, rd.steps);
    case 'instance.retried_from':
      return sameSet(pd.cleared, rd.cleared);
    case 'workflow.failed':
      return (pd.error as { code?: unknown } | undefined)?.code === (rd.error as { code?: unknown } | undefined)?.code;
    default:
      return true;
  }
}

/** True when the produced event is the recorded one (same type, step, attempt and what matters of its data). */
export function sameEvent(produced: HistoryEvent, recorded: HistoryEvent): boolean {
  return produced.type === recorded.type && produced.stepId === recorded.stepId && produced.attempt === recorded.attempt && sameData(produced, recorded);
}

/** What the replay knows where it parts from the record. */
export interface Context {
  def: WorkflowDefinition;
  /** The last step that ended before this point in the recorded run (what routing started from). */
  after: string | undefined;
  /** Why the definition's decision failed the workflow, when it did. */
  failure?: string;
}

function hasNode(def: WorkflowDefinition, id: string): boolean {
  return Object.hasOwn(def.steps, id) || Object.hasOwn(def.groups, id);
}

/** The node routing left from: a step, or the group it ended in. */
function from(ctx: Context): string | undefined {
  if (ctx.after === undefined) return undefined;
  return ctx.def.groupOf[ctx.after] ?? ctx.after;
}

/** `check_fraud if \`order.total > 1000\`, reject otherwise`: the transitions of a node, for a reason. */
function transitionsOf(def: WorkflowDefinition, node: string): string {
  const ts = (def.outgoing[node] ?? []).filter((t) => !t.onTimeout);
  if (ts.length === 0) return `the definition has no transition from ${node}`;
  return `its transitions from ${node}: ${ts.map((t) => (t.condition ? `${t.to} if \`${t.condition.source}\`` : `${t.to} otherwise`)).join(', ')}`;
}

function guardOf(def: WorkflowDefinition, stepId: string): string {
  const conditions = def.steps[stepId]?.conditions.map((c) => `\`${c.source}\``) ?? [];
  return conditions.length ? `its conditions: ${conditions.join(', ')}` : 'it has no conditions';
}

const ROUTED = new Set(['step.scheduled', 'step.skipped']);

/** Why the recorded event `r` is not what the definition produced (`p`, absent when it produced nothing more). */
export function reasonFor(ctx: Context, r: HistoryEvent, p: HistoryEvent | undefined): string {
  const { def } = ctx;
  const instead = p ? `; it produces ${describeEvent(p)} instead` : '';
  if (r.stepId !== undefined && !hasNode(def, r.stepId)) {
    return `step renamed or removed: recorded ${describeEvent(r)} but the definition has no step '${r.stepId}'${instead}`;
  }
  if (!p) return `the recorded run has ${describeEvent(r)} here, but the definition produces nothing more at this point`;
  const node = from(ctx);
  const where = node === undefined ? 'at the start' : `after ${node}`;
  if (ROUTED.has(r.type) && ROUTED.has(p.type)) {
    if (r.stepId === p.stepId) {
      const did = r.type === 'step.scheduled' ? 'ran' : 'skipped';
      const does = p.type === 'step.scheduled' ? 'runs' : 'skips';
      return `guard changed: the recorded run ${did} '${r.stepId}', the definition ${does} it (${guardOf(def, r.stepId!)})`;
    }
    const rule = node === undefined ? `the definition starts at ${def.start}` : transitionsOf(def, node);
    return `transition changed: ${where} the recorded run went to ${r.stepId}, the definition goes to ${p.stepId} (${rule})`;
  }
  if (ROUTED.has(r.type) && (p.type === 'workflow.failed' || p.type === 'compensation.started')) {
    return `transition changed: ${where} the recorded run went to ${r.stepId}, the definition fails the workflow${ctx.failure !== undefined ? ` (${ctx.failure})` : ''}`;
  }
  if (ROUTED.has(r.type) && p.type === 'workflow.completed') {
    return `transition changed: ${where} the recorded run went to ${r.stepId}, the definition completes the workflow (${node === undefined ? 'no step' : transitionsOf(def, node)})`;
  }
  if (ROUTED.has(p.type) && (r.type === 'workflow.completed' || r.type === 'workflow.failed')) {
    return `transition changed: ${where} the recorded run ended (${r.type}), the definition goes on to ${p.stepId}${node === undefined ? '' : ` (${transitionsOf(def, node)})`}`;
  }
  if (r.stepId === p.stepId && r.type === 'step.retrying' && p.type === 'step.failed') {
    return `retry policy changed: the recorded run retried '${r.stepId}' after attempt ${r.attempt}, the definition fails it there (retry defaults of registered actions count only when given in options.actions)`;
  }
  if (r.stepId === p.stepId && r.type === 'step.failed' && p.type === 'step.retrying') {
    return `retry policy changed: the recorded run failed '${r.stepId}' after attempt ${r.attempt}, the definition retries it`;
  }
  if (r.type === 'compensation.started' && p.type === 'compensation.started') {
    return `compensations changed: the recorded saga undid [${list(r.data?.steps).join(', ')}], the definition undoes [${list(p.data?.steps).join(', ')}]`;
  }
  if (r.type === p.type && r.stepId === p.stepId && r.attempt === p.attempt) {
    return `${r.type} of the recorded run differs from the definition's: recorded ${JSON.stringify(r.data ?? {})}, produced ${JSON.stringify(p.data ?? {})}`;
  }
  return `the recorded run has ${describeEvent(r)} ${where}, the definition produces ${describeEvent(p)}`;
}

/** A divergence at recorded event `r` (or past the end, at `seq`). */
export function divergence(seq: number, r: HistoryEvent | undefined, p: HistoryEvent | undefined, reason: string): ReplayDivergence {
  const stepId = r?.stepId ?? p?.stepId;
  return { seq, ...(r ? { event: r } : {}), ...(p ? { expected: p } : {}), ...(stepId !== undefined ? { stepId } : {}), reason };
}

/** Events after which routing moves on from their step. */
const ENDS_STEP = new Set(['step.completed', 'step.skipped', 'step.failed', 'step.skipped_by_operator', 'task.expired']);

/** The step a recorded event ended, if it ended one (see {@link Context.after}). */
export function endedStep(e: HistoryEvent): string | undefined {
  return ENDS_STEP.has(e.type) ? e.stepId : undefined;
}

/**
 * Routing: entering steps and parallel groups, guards, joins, exclusive transitions, and the
 * derived RUNNING/WAITING/COMPLETED state. A dead end (no transition matches) fails the workflow.
 */
import type { StepRecord } from '../../model/instance.types.js';
import { ErrorCode } from '../../errors.js';
import { ACTIVE, type Draft } from './draft.js';
import { cancelSteps, failWorkflow } from './saga.js';

/** Enter a step, or every member of a parallel group. */
export function enterNode(d: Draft, nodeId: string): void {
  const members = d.def.groups[nodeId];
  if (members) {
    for (const member of members) enterStep(d, member);
    // A group whose members were all skipped joins at once.
    checkJoin(d, nodeId);
  } else {
    enterStep(d, nodeId);
  }
}

/** A new run of a step: skipped when a guard fails, else scheduled (run effect unless paused). */
function enterStep(d: Draft, stepId: string): void {
  const step = d.def.steps[stepId]!;
  const prev = d.inst.steps[stepId];
  const run = (prev?.run ?? d.inst.runs?.[stepId] ?? 0) + 1;
  d.inst.steps[stepId] = { status: 'SCHEDULED', attempt: 1, run, scheduledAt: d.env.now, ...(step.async ? { async: true } : {}) };
  const failed = step.conditions.find((c) => !c.test(d.inst.data));
  if (failed) {
    d.setStep(stepId, { status: 'SKIPPED', completedAt: d.env.now });
    d.emit('step.skipped', { stepId, data: { condition: failed.source } });
    if (!d.def.groupOf[stepId]) routeFrom(d, stepId);
    return;
  }
  d.emit('step.scheduled', { stepId, attempt: 1, data: { action: step.action, run } });
  if (d.inst.state === 'RUNNING' || d.inst.state === 'WAITING') d.effects.push({ type: 'run', stepId, attempt: 1, kind: 'step', run });
  if (step.async) routeFrom(d, stepId);
}

/** Schedule another attempt of a step already entered (run effect unless paused). */
export function schedule(d: Draft, stepId: string, patch: Partial<StepRecord>): void {
  const rec = d.setStep(stepId, { ...patch, status: 'SCHEDULED' });
  if (d.inst.state === 'RUNNING' || d.inst.state === 'WAITING') d.effects.push({ type: 'run', stepId, attempt: rec.attempt, kind: 'step', run: rec.run });
}

/** A (blocking) step completed: join its group, or route on from it. */
export function afterStepDone(d: Draft, stepId: string): void {
  const group = d.def.groupOf[stepId];
  if (group) checkJoin(d, group);
  else routeFrom(d, stepId);
}

function checkJoin(d: Draft, group: string): void {
  const members = d.def.groups[group]!;
  const recs = members.map((m) => d.inst.steps[m]);
  // Only a group whose members are all in this run (entered together) can join.
  if (recs.some((r) => r === undefined)) return;
  const done = recs.filter((r) => r!.status === 'COMPLETED' || r!.status === 'SKIPPED').length;
  const active = recs.filter((r) => ACTIVE.has(r!.status)).length;
  const join = d.def.outgoing[group]?.[0]?.join ?? 'all';
  const needed = join === 'all' ? members.length : join === 'any' ? 1 : join;
  if (done < needed) return;
  // Fires once: firing cancels the active members, so no later completion reaches here for `any`/N;
  // `all` fires only when no member is active any more.
  if (join === 'all' && active > 0) return;
  if (active > 0) {
    const rest = members.filter((m) => ACTIVE.has(d.inst.steps[m]!.status));
    cancelSteps(d, rest, `join "${join}" of group ${group} satisfied`);
  }
  routeFrom(d, group);
}

/** Take the first conditional transition that holds, else the first default; none fails the workflow. */
function routeFrom(d: Draft, nodeId: string): void {
  const transitions = d.def.outgoing[nodeId]?.filter((t) => !t.onTimeout);
  if (!transitions || transitions.length === 0) return;
  let chosen = transitions.find((t) => t.condition && t.condition.test(d.inst.data));
  chosen ??= transitions.find((t) => !t.condition);
  if (!chosen) {
    const tried = transitions.map((t) => t.condition!.source);
    failWorkflow(d, {
      message: `No transition from "${nodeId}" matched: tried ${tried.map((c) => `\`${c}\``).join(', ')}; add a default transition (one without a condition) or make the data satisfy one`,
      code: ErrorCode.NoRoute,
      retryable: false,
      details: { from: nodeId, conditions: tried },
      stepId: nodeId,
    });
    return;
  }
  enterNode(d, chosen.to);
}

/** After any change: derive RUNNING/WAITING and complete when no branch is active. */
export function settle(d: Draft): void {
  const state = d.inst.state;
  if (state !== 'RUNNING' && state !== 'WAITING') return;
  let waiting = false;
  let busy = false;
  for (const rec of Object.values(d.inst.steps)) {
    if (rec.status === 'WAITING') waiting = true;
    else if (rec.status === 'SCHEDULED' || rec.status === 'RETRY_WAIT') busy = true;
  }
  if (busy) d.setState('RUNNING');
  else if (waiting) d.setState('WAITING');
  else {
    d.clearTimers();
    d.setState('COMPLETED');
    d.inst.completedAt = d.env.now;
    d.emit('workflow.completed', { data: { durationMs: d.env.now - d.inst.createdAt } });
  }
}

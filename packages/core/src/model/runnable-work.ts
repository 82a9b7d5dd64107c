/**
 * The one rule of which work of an instance is runnable, shared by the engine (what to dispatch
 * after a commit or a restart, whether a delivered attempt is still wanted) and by every storage
 * that keeps claimable work apart from the record (SQL work rows, Redis sorted sets).
 */
import type { InstanceRecord, StepRecord } from './instance.types.js';

/** One runnable attempt: attempt N of a step, or of its compensation. */
export interface RunnableWork {
  kind: 'step' | 'compensation';
  stepId: string;
  attempt: number;
  /** The step's record, for callers that need more of it (when it was scheduled...). */
  record: StepRecord;
}

/**
 * Runnable attempts of `instance`: SCHEDULED steps while it is RUNNING or WAITING, SCHEDULED
 * compensations while it is COMPENSATING; nothing while it is PENDING, PAUSED or finished (a
 * paused instance's scheduled steps run on resume).
 */
export function runnableWork(instance: InstanceRecord): RunnableWork[] {
  const work: RunnableWork[] = [];
  const state = instance.state;
  if (state === 'RUNNING' || state === 'WAITING') {
    for (const stepId in instance.steps) {
      const record = instance.steps[stepId]!;
      if (record.status === 'SCHEDULED') work.push({ kind: 'step', stepId, attempt: record.attempt, record });
    }
  } else if (state === 'COMPENSATING') {
    for (const stepId in instance.steps) {
      const record = instance.steps[stepId]!;
      if (record.compensation?.status === 'SCHEDULED') work.push({ kind: 'compensation', stepId, attempt: record.compensation.attempt, record });
    }
  }
  return work;
}

/** True when attempt `attempt` of `stepId` (or of its compensation), of run `run` when given, is runnable in `instance` now. */
export function isRunnable(instance: InstanceRecord, item: { kind: 'step' | 'compensation'; stepId: string; attempt: number; run?: number }): boolean {
  const record = instance.steps[item.stepId];
  if (!record || (item.run !== undefined && record.run !== item.run)) return false;
  const state = instance.state;
  return item.kind === 'step'
    ? (state === 'RUNNING' || state === 'WAITING') && record.status === 'SCHEDULED' && record.attempt === item.attempt
    : state === 'COMPENSATING' && record.compensation?.status === 'SCHEDULED' && record.compensation.attempt === item.attempt;
}

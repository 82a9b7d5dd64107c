/**
 * The rows an instance record implies in the work, timers and tasks tables: a pure function of the
 * record, recomputed on every commit and diffed against what is stored (see `row-diff.ts`).
 */
import { isTerminal, type InstanceRecord } from '@workflow-mastery/core';
import { runnableWork } from '@workflow-mastery/core/storage-kit';

/** A runnable attempt. */
export interface WorkRow {
  kind: 'step' | 'compensation';
  stepId: string;
  attempt: number;
}

/** A timer of the record, and whether claimers may take it. */
export interface TimerRow {
  timerId: string;
  kind: string;
  fireAt: number;
  stepId: string | null;
  claimable: number;
}

/** A human task of the record. */
export interface TaskRow {
  id: string;
  stepId: string;
  assignedTo: string;
  state: string;
  dueAt: number | null;
}

/** Runnable attempts of the record, by core's one rule ({@link runnableWork}). */
export function workRows(record: InstanceRecord): WorkRow[] {
  return runnableWork(record).map((w) => ({ kind: w.kind, stepId: w.stepId, attempt: w.attempt }));
}

/**
 * Every timer of the record (`dueTimers` lists them all). Timers of a finished instance are not
 * claimable; those of a PAUSED one are, since timers still fire while paused (see core's `decide`).
 */
export function timerRows(record: InstanceRecord): TimerRow[] {
  const claimable = isTerminal(record.state) ? 0 : 1;
  return record.timers.map((t) => ({ timerId: t.id, kind: t.kind, fireAt: t.fireAt, stepId: t.stepId ?? null, claimable }));
}

/** The tasks of the record's steps. */
export function taskRows(record: InstanceRecord): TaskRow[] {
  const rows: TaskRow[] = [];
  for (const [stepId, step] of Object.entries(record.steps)) {
    const task = step.task;
    if (task) rows.push({ id: task.id, stepId, assignedTo: task.assignedTo, state: task.state, dueAt: task.dueAt ?? null });
  }
  return rows;
}

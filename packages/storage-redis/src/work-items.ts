/**
 * Claimable work derived from an instance record, as members of the `work` and `timers` sorted
 * sets. Members are JSON made here (never in Lua), so the same item always has the same member.
 */
import { isTerminal, StorageCorruptError, type ClaimedWork, type InstanceRecord, type TimerRecord } from '@workflow-mastery/core';
import { runnableWork } from '@workflow-mastery/core/storage-kit';

/**
 * Score of runnable attempts: claimable at any `now`, earlier-scheduled first, and ahead of every
 * expired lease (whose score is its `until`, epoch ms).
 */
const RUNNABLE_BASE = -1e13;

/** One work item of a record: its member and the score from which it is claimable (no lease). */
export interface WorkEntry {
  member: string;
  score: number;
  /** Timers are kept apart from runnable attempts, so that claims take from both in turn. */
  timer: boolean;
}

/** The `work` member of an item: `[instanceId, kind, stepId | timerId, attempt | fireAt]`. */
export function workMember(item: ClaimedWork): string {
  return item.kind === 'timer'
    ? JSON.stringify([item.instanceId, 'timer', item.timerId, item.fireAt])
    : JSON.stringify([item.instanceId, item.kind, item.stepId, item.attempt]);
}

/** The lowest score an item may have: a timer is never claimable before it fires. */
export function workFloor(item: ClaimedWork): number | undefined {
  return item.kind === 'timer' ? item.fireAt : undefined;
}

const finite = (n: unknown): number => (typeof n === 'number' && Number.isFinite(n) ? n : 0);

/**
 * The record's claimable work: SCHEDULED steps of a RUNNING/WAITING instance, SCHEDULED
 * compensations of a COMPENSATING one, and the timers (claimable once due) of an instance that is
 * not finished (a PAUSED instance's timers still fire). `dueTimers` lists every timer regardless.
 */
export function workOf(record: InstanceRecord): WorkEntry[] {
  const entries: WorkEntry[] = [];
  const instanceId = record.id;
  for (const work of runnableWork(record)) {
    entries.push({
      member: workMember({ kind: work.kind, instanceId, stepId: work.stepId, attempt: work.attempt }),
      // Steps are claimed in the order they were scheduled; compensations (one at a time) by the record's last change.
      score: RUNNABLE_BASE + finite(work.kind === 'step' ? work.record.scheduledAt : record.updatedAt),
      timer: false,
    });
  }
  if (!isTerminal(record.state)) {
    for (const timer of record.timers) {
      entries.push({ member: workMember({ kind: 'timer', instanceId, timerId: timer.id, fireAt: timer.fireAt }), score: finite(timer.fireAt), timer: true });
    }
  }
  return entries;
}

/** @throws StorageCorruptError when `member` was not made by {@link workMember}. */
export function parseWorkMember(member: string, location: string): ClaimedWork {
  let parsed: unknown;
  try {
    parsed = JSON.parse(member);
  } catch (cause) {
    throw new StorageCorruptError(`Work item ${JSON.stringify(member)} is not valid JSON`, location, { cause });
  }
  if (Array.isArray(parsed) && parsed.length === 4 && typeof parsed[0] === 'string' && typeof parsed[2] === 'string' && typeof parsed[3] === 'number') {
    const [instanceId, kind, id, n] = parsed as [string, string, string, number];
    if (kind === 'timer') return { kind, instanceId, timerId: id, fireAt: n };
    if (kind === 'step' || kind === 'compensation') return { kind, instanceId, stepId: id, attempt: n };
  }
  throw new StorageCorruptError(`Work item ${JSON.stringify(member)} is not [instanceId, kind, id, number]`, location);
}

/** The `timers` member of a timer: `[instanceId, timer]`. */
export function timerMember(instanceId: string, timer: TimerRecord): string {
  return JSON.stringify([instanceId, timer]);
}

/** @throws StorageCorruptError when `member` was not made by {@link timerMember}. */
export function parseTimerMember(member: string, location: string): { instanceId: string; timer: TimerRecord } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(member);
  } catch (cause) {
    throw new StorageCorruptError(`Timer ${JSON.stringify(member)} is not valid JSON`, location, { cause });
  }
  if (Array.isArray(parsed) && typeof parsed[0] === 'string' && typeof parsed[1] === 'object' && parsed[1] !== null) {
    return { instanceId: parsed[0], timer: parsed[1] as TimerRecord };
  }
  throw new StorageCorruptError(`Timer ${JSON.stringify(member)} is not [instanceId, timer]`, location);
}

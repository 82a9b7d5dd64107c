/**
 * Deterministic BullMQ job ids: the same step attempt or timer always gets the same id, so a job
 * sent twice (a retried dispatch, the sweeper) is added once. BullMQ ids must not contain `:` and
 * must not be all digits; ours always start with a letter and escape everything but
 * `[A-Za-z0-9-]` as `_XX` (UTF-8 hex), which keeps them injective with `.` as the separator.
 */
import type { WorkItem } from '@workflow-mastery/core';

/** `s` with every character outside `[A-Za-z0-9-]` written as `_XX` per UTF-8 byte. */
export function escapeIdPart(s: string): string {
  return s.replace(/[^A-Za-z0-9-]/gu, (c) =>
    [...Buffer.from(c, 'utf8')].map((b) => `_${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
  );
}

/** Job id of one attempt of a step or of its compensation. */
export function stepJobId(item: WorkItem): string {
  // Run 1 keeps the id it always had; a loop's later runs are other jobs.
  const run = item.run !== undefined && item.run > 1 ? `.r${item.run}` : '';
  return `step.${escapeIdPart(item.instanceId)}.${escapeIdPart(item.stepId)}.${item.kind === 'compensation' ? 'c' : 's'}.${item.attempt}${run}`;
}

/** Job id of a timer armed for `fireAt` (a re-armed timer with another time is another job). */
export function timerJobId(instanceId: string, timerId: string, fireAt: number): string {
  return `timer.${escapeIdPart(instanceId)}.${escapeIdPart(timerId)}.${fireAt}`;
}

/** BullMQ queue name of a definition with its own queue. */
export function definitionQueueName(base: string, definitionName: string): string {
  return `${base}.${escapeIdPart(definitionName)}`;
}

/** Data of a `timer` job. */
export interface TimerJobData {
  instanceId: string;
  timerId: string;
  fireAt: number;
}

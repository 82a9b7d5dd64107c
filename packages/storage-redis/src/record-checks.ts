/**
 * The checks run before storing, split in two: what can be checked without the stored record runs
 * here (core's checks), the rest (stored version and seq) in the Lua script, whose answers are
 * turned into the same errors here.
 */
import type { Commit, WorkflowError } from '@workflow-mastery/core';
import { checkEventsEndAtSeq, commitInvalidError } from '@workflow-mastery/core/storage-kit';

export { checkNewInstance } from '@workflow-mastery/core/storage-kit';

/**
 * What can be checked of a commit before the script runs (the script checks the versions).
 * @throws WorkflowError `WF_COMMIT_INVALID` when the events are malformed.
 */
export function checkCommitShape(commit: Commit): void {
  checkEventsEndAtSeq(commit.instance, commit.events);
}

/** The error of a commit whose events do not continue the stored history (script answer -2). */
export function seqMismatchError(commit: Commit, storedSeq: number): WorkflowError {
  const { instance, events } = commit;
  return commitInvalidError(
    `Instance ${instance.id} has seq ${instance.seq} with ${events.length} new event(s), but its stored history ends at ${storedSeq}; ` +
      `the first event's seq must be ${storedSeq + 1} (seq continues the stored history, gap-free).`,
    instance.id,
  );
}

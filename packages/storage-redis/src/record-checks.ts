/**
 * The checks core's adapters run before storing (core's commit-checks.ts is internal), split in two:
 * what can be checked without the stored record runs here, the rest (stored version and seq) in
 * the Lua script, whose answers are turned into the same errors here.
 */
import type { Commit, HistoryEvent, InstanceRecord } from '@workflow-mastery/core';

/** Throws unless `events` are the instance's and run gap-free up to `record.seq`. */
function checkEventsEndAtSeq(record: InstanceRecord, events: HistoryEvent[]): void {
  const fromSeq = record.seq - events.length;
  for (let i = 0; i < events.length; i++) {
    const event = events[i]!;
    if (event.seq !== fromSeq + i + 1 || event.instanceId !== record.id) {
      throw new Error(
        `Event #${i} of instance ${record.id} has instanceId "${event.instanceId}" and seq ${event.seq}; ` +
          `expected instanceId "${record.id}" and seq ${fromSeq + i + 1} (seq continues the stored history, gap-free; ` +
          "the record's seq is the seq of its last event).",
      );
    }
  }
}

/**
 * Validates a new instance and its first events.
 * @throws Error when the version is not 1 or the events' seq do not run 1..n.
 */
export function checkNewInstance(record: InstanceRecord, events: HistoryEvent[]): void {
  if (record.version !== 1) {
    throw new Error(`A new instance must have version 1; instance ${record.id} has version ${record.version}.`);
  }
  if (record.seq !== events.length) {
    throw new Error(
      `Instance ${record.id} has seq ${record.seq} but its history ends at ${events.length}; ` +
        "set the record's seq to the seq of its last event.",
    );
  }
  checkEventsEndAtSeq(record, events);
}

/**
 * What can be checked of a commit before the script runs (the script checks the versions).
 * @throws Error when the events are malformed.
 */
export function checkCommitShape(commit: Commit): void {
  checkEventsEndAtSeq(commit.instance, commit.events);
}

/** The error of a commit whose events do not continue the stored history (script answer -2). */
export function seqMismatchError(commit: Commit, storedSeq: number): Error {
  const { instance, events } = commit;
  return new Error(
    `Instance ${instance.id} has seq ${instance.seq} with ${events.length} new event(s), but its stored history ends at ${storedSeq}; ` +
      `the first event's seq must be ${storedSeq + 1} (seq continues the stored history, gap-free).`,
  );
}

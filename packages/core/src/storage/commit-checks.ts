/**
 * Checks every adapter runs before storing, so that a buggy caller fails loudly instead of
 * writing a history the file storage could not recover (its crash recovery trusts `seq`).
 */
import { ConcurrencyError, ErrorCode, WorkflowError } from '../errors.js';
import type { HistoryEvent, InstanceRecord } from '../model/instance.types.js';
import type { Commit } from './storage-adapter.js';

/**
 * The error of a malformed commit (`WF_COMMIT_INVALID`), for storages that check more of a commit
 * than these functions do (e.g. the stored seq, in their database) to raise the same error.
 */
export function commitInvalidError(message: string, instanceId: string): WorkflowError {
  return new WorkflowError(ErrorCode.CommitInvalid, message, { instanceId });
}

/** Throws unless `events` continue a history that ends at `fromSeq` and `record.seq` ends them. */
function checkEvents(record: InstanceRecord, events: HistoryEvent[], fromSeq: number): void {
  for (let i = 0; i < events.length; i++) {
    const event = events[i]!;
    if (event.seq !== fromSeq + i + 1 || event.instanceId !== record.id) {
      throw commitInvalidError(
        `Event #${i} of instance ${record.id} has instanceId "${event.instanceId}" and seq ${event.seq}; ` +
          `expected instanceId "${record.id}" and seq ${fromSeq + i + 1} (seq continues the stored history, gap-free).`,
        record.id,
      );
    }
  }
  if (record.seq !== fromSeq + events.length) {
    throw commitInvalidError(
      `Instance ${record.id} has seq ${record.seq} but its history ends at ${fromSeq + events.length}; ` +
        'set the record\'s seq to the seq of its last event.',
      record.id,
    );
  }
}

/**
 * Throws unless `events` belong to `record` and run gap-free up to `record.seq`: what can be checked
 * of a commit without the stored record (adapters that swap in the database check the rest there).
 */
export function checkEventsEndAtSeq(record: InstanceRecord, events: HistoryEvent[]): void {
  checkEvents(record, events, record.seq - events.length);
}

/**
 * Validates a new instance and its first events.
 * @throws WorkflowError `WF_COMMIT_INVALID` when the version is not 1 or the events' seq do not run 1..n.
 */
export function checkNewInstance(record: InstanceRecord, events: HistoryEvent[]): void {
  if (record.version !== 1) {
    throw commitInvalidError(`A new instance must have version 1; instance ${record.id} has version ${record.version}.`, record.id);
  }
  checkEvents(record, events, 0);
}

/** The error a create raises when the id exists: a create is a compare-and-swap from "absent". */
export function duplicateIdError(existing: InstanceRecord): ConcurrencyError {
  return new ConcurrencyError(existing.id, 0, existing.version);
}

/**
 * Compare-and-swap check of a commit against the stored record.
 * @throws ConcurrencyError when the instance is missing, its version is not `expectedVersion`, or
 * the new record's version is not `expectedVersion + 1`; WorkflowError `WF_COMMIT_INVALID` when the events are malformed.
 */
export function checkCommit(stored: InstanceRecord | undefined, commit: Commit): asserts stored is InstanceRecord {
  const { instance, expectedVersion } = commit;
  if (stored === undefined || stored.version !== expectedVersion || instance.version !== expectedVersion + 1) {
    throw new ConcurrencyError(instance.id, expectedVersion, stored?.version);
  }
  checkEvents(instance, commit.events, stored.seq);
}

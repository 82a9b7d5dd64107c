/**
 * Everything checked and encoded before a transaction opens (the same checks as core's
 * commit-checks, which core does not export): a malformed commit or an oversized record fails
 * before it costs a round trip, and nothing of it is written.
 */
import { ErrorCode, WorkflowError, type Commit, type HistoryEvent, type InstanceRecord } from '@workflow-mastery/core';
import { ID_LENGTH } from './entities/column-spec.js';
import type { WorkflowEventEntity } from './entities/history-event.entity.js';
import { encodeEventData, encodeRecord } from './record-codec.js';
import { tooLongMessage } from './storage.messages.js';

/** A record and its events, encoded. */
export interface PreparedWrite {
  record: InstanceRecord;
  json: string;
  events: WorkflowEventEntity[];
  /** The stored `seq` the events continue. */
  fromSeq: number;
}

/** Throws unless `events` continue a history ending at `fromSeq`, for `record`. */
function checkEvents(record: InstanceRecord, events: HistoryEvent[], fromSeq: number): void {
  for (let i = 0; i < events.length; i++) {
    const event = events[i]!;
    if (event.seq !== fromSeq + i + 1 || event.instanceId !== record.id) {
      throw new Error(
        `Event #${i} of instance ${record.id} has instanceId "${event.instanceId}" and seq ${event.seq}; ` +
          `expected instanceId "${record.id}" and seq ${fromSeq + i + 1} (seq continues the stored history, gap-free).`,
      );
    }
  }
}

/** The error of a commit whose record's `seq` does not continue the stored history. */
export function seqMismatchError(record: InstanceRecord, storedSeq: number, eventCount: number): Error {
  return new Error(
    `Instance ${record.id} has seq ${record.seq} but its history ends at ${storedSeq + eventCount}; ` +
      "set the record's seq to the seq of its last event.",
  );
}

function encodeEvents(events: HistoryEvent[], limit: number): WorkflowEventEntity[] {
  return events.map((e) => ({
    instanceId: e.instanceId,
    seq: e.seq,
    type: e.type,
    at: e.at,
    stepId: e.stepId ?? null,
    attempt: e.attempt ?? null,
    data: encodeEventData(e, limit),
  }));
}

/**
 * Checks a new instance (version 1, events 1..n, id and key short enough) and encodes it.
 * @throws Error / WorkflowError (WF_INPUT_INVALID) / PayloadTooLargeError.
 */
export function prepareCreate(record: InstanceRecord, events: HistoryEvent[], idempotencyKey: string | undefined, limit: number): PreparedWrite {
  if (record.version !== 1) {
    throw new Error(`A new instance must have version 1; instance ${record.id} has version ${record.version}.`);
  }
  if (record.id.length > ID_LENGTH) {
    throw new WorkflowError(ErrorCode.InputInvalid, tooLongMessage('Instance id', record.id, ID_LENGTH), { instanceId: record.id });
  }
  if (idempotencyKey !== undefined && idempotencyKey.length > ID_LENGTH) {
    throw new WorkflowError(ErrorCode.InputInvalid, tooLongMessage('Idempotency key', idempotencyKey, ID_LENGTH), { idempotencyKey });
  }
  checkEvents(record, events, 0);
  if (record.seq !== events.length) throw seqMismatchError(record, 0, events.length);
  return { record, json: encodeRecord(record, limit), events: encodeEvents(events, limit), fromSeq: 0 };
}

/**
 * Checks the events of a commit against its own record and encodes it. The version and the stored
 * seq are checked by the compare-and-swap UPDATE.
 * @throws Error / PayloadTooLargeError.
 */
export function prepareCommit(commit: Commit, limit: number): PreparedWrite {
  const { instance, events } = commit;
  const fromSeq = instance.seq - events.length;
  checkEvents(instance, events, fromSeq);
  return { record: instance, json: encodeRecord(instance, limit), events: encodeEvents(events, limit), fromSeq };
}

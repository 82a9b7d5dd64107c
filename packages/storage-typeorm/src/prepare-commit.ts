/**
 * Everything checked and encoded before a transaction opens (core's commit checks, plus lengths and
 * the payload limit): a malformed commit or an oversized record fails before it costs a round trip,
 * and nothing of it is written.
 */
import {
  ErrorCode,
  WorkflowError,
  type Commit,
  type HistoryEvent,
  type InstanceRecord,
} from '@workflow-mastery/core';
import { checkEventsEndAtSeq, checkNewInstance, commitInvalidError } from '@workflow-mastery/core/storage-kit';
import { ID_LENGTH } from './entities/column-spec.js';
import type { WorkflowEventEntity } from './entities/history-event.entity.js';
import { attributesKey, checkedAttributeEntries, type AttributeEntries } from './attribute-rows.js';
import { encodeEventData, encodeRecord } from './record-codec.js';
import { tooLongMessage } from './storage.messages.js';

/** A record and its events, encoded. */
export interface PreparedWrite {
  record: InstanceRecord;
  json: string;
  events: WorkflowEventEntity[];
  /** The stored `seq` the events continue. */
  fromSeq: number;
  /** The record's search attributes, by name. */
  attributes: AttributeEntries;
  /** {@link attributesKey} of `attributes`. */
  attributesKey: string;
  /**
   * Whether the attribute rows are written: a create's when it has attributes; a commit's when they
   * may have changed (then they are replaced). Decided by the batch writer for commits.
   */
  writeAttributes: boolean;
}

/** The error of a commit whose record's `seq` does not continue the stored history. */
export function seqMismatchError(record: InstanceRecord, storedSeq: number, eventCount: number): WorkflowError {
  return commitInvalidError(
    `Instance ${record.id} has seq ${record.seq} but its history ends at ${storedSeq + eventCount}; ` +
      "set the record's seq to the seq of its last event.",
    record.id,
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
 * @throws WorkflowError (WF_COMMIT_INVALID, WF_INPUT_INVALID) / PayloadTooLargeError.
 */
export function prepareCreate(record: InstanceRecord, events: HistoryEvent[], idempotencyKey: string | undefined, limit: number): PreparedWrite {
  checkNewInstance(record, events);
  if (record.id.length > ID_LENGTH) {
    throw new WorkflowError(ErrorCode.InputInvalid, tooLongMessage('Instance id', record.id, ID_LENGTH), { instanceId: record.id });
  }
  if (idempotencyKey !== undefined && idempotencyKey.length > ID_LENGTH) {
    throw new WorkflowError(ErrorCode.InputInvalid, tooLongMessage('Idempotency key', idempotencyKey, ID_LENGTH), { idempotencyKey });
  }
  const attributes = checkedAttributeEntries(record);
  return {
    record,
    json: encodeRecord(record, limit),
    events: encodeEvents(events, limit),
    fromSeq: 0,
    attributes,
    attributesKey: attributesKey(attributes),
    writeAttributes: attributes.length > 0,
  };
}

/**
 * Checks the events of a commit against its own record and encodes it. The version and the stored
 * seq are checked by the compare-and-swap UPDATE.
 * @throws Error / PayloadTooLargeError.
 */
export function prepareCommit(commit: Commit, limit: number): PreparedWrite {
  const { instance, events } = commit;
  const fromSeq = instance.seq - events.length;
  checkEventsEndAtSeq(instance, events);
  const attributes = checkedAttributeEntries(instance);
  return {
    record: instance,
    json: encodeRecord(instance, limit),
    events: encodeEvents(events, limit),
    fromSeq,
    attributes,
    attributesKey: attributesKey(attributes),
    writeAttributes: true,
  };
}

/**
 * The size limit a storage enforces on what it writes (`maxPayloadBytes`): an instance record
 * (its data and step results) and each event's data, refused with `WF_PAYLOAD_TOO_LARGE` before
 * anything is written. The engine checks each value where it enters first (its `maxPayloadBytes`
 * defaults to the storage's); this is the storage's own guard for the whole record.
 */
import { ErrorCode, WorkflowError } from '../errors.js';
import type { HistoryEvent, InstanceRecord } from '../model/instance.types.js';

/** A storage's `maxPayloadBytes` option checked: undefined (no limit) or an integer of at least 1024. */
export function checkMaxPayloadBytes(value: number | undefined, storage: string): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 1024) {
    throw new WorkflowError(ErrorCode.InputInvalid, `new ${storage}({ maxPayloadBytes }): maxPayloadBytes must be an integer of at least 1024; got ${String(value)}.`, { maxPayloadBytes: value });
  }
  return value;
}

/** Bytes of `json` when over `limit`, else undefined (the exact count only when it can matter). */
function overLimit(json: string, limit: number): number | undefined {
  if (json.length * 3 <= limit) return undefined;
  const bytes = Buffer.byteLength(json);
  return bytes > limit ? bytes : undefined;
}

/** The error for `part` of instance `id` over the limit. */
export function payloadTooLargeError(id: string, part: string, bytes: number, limit: number): WorkflowError {
  return new WorkflowError(
    ErrorCode.PayloadTooLarge,
    `The ${part} of instance ${id} is ${bytes} bytes of JSON, over the storage's limit of ${limit} bytes (maxPayloadBytes); nothing was stored. ` +
      'Keep large data outside the workflow and store a reference to it (a URL or a key), or raise the limit (maxPayloadBytes of the storage).',
    { instanceId: id, part, bytes, limit },
  );
}

/**
 * @throws WorkflowError `WF_PAYLOAD_TOO_LARGE` when the record's JSON or one event's data is over
 * `limit` bytes (nothing to check when `limit` is undefined).
 */
export function checkPayloadSize(instance: InstanceRecord, events: readonly HistoryEvent[], limit: number | undefined): void {
  if (limit === undefined) return;
  const bytes = overLimit(JSON.stringify(instance), limit);
  if (bytes !== undefined) throw payloadTooLargeError(instance.id, 'record', bytes, limit);
  for (const event of events) {
    if (event.data === undefined) continue;
    const eventBytes = overLimit(JSON.stringify(event.data), limit);
    if (eventBytes !== undefined) throw payloadTooLargeError(instance.id, `data of event ${event.seq}`, eventBytes, limit);
  }
}

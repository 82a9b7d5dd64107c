/**
 * The size limit on data entering the engine (start data, signal payloads, task data, data
 * patches, step results): checked where it enters, before anything is written, so a value the
 * storage would refuse is refused with a clear error instead (or, for a step result, fails the step).
 */
import type { JsonObject } from '../definition/definition.types.js';
import { ErrorCode, WorkflowError } from '../errors.js';

/** The message of a value over the limit; `field` names it (e.g. `signal payload "approve"`). */
export function payloadTooLargeMessage(field: string, bytes: number, limit: number): string {
  return (
    `The ${field} is ${bytes} bytes of JSON, over the limit of ${limit} bytes (maxPayloadBytes); nothing was stored. ` +
    'Keep large data outside the workflow and store a reference to it (a URL or a key), or raise the limit ' +
    "(the engine's maxPayloadBytes option, and the storage's own limit)."
  );
}

/** @internal The engine's limit: `undefined` means none. */
export class PayloadLimit {
  constructor(readonly maxBytes: number | undefined) {}

  /** The error for `value` when its JSON is over the limit, else undefined. */
  excess(value: JsonObject, field: string): WorkflowError | undefined {
    const limit = this.maxBytes;
    if (limit === undefined) return undefined;
    const json = JSON.stringify(value);
    // A UTF-16 unit is at most 3 UTF-8 bytes: the exact count only when it can matter.
    if (json.length * 3 <= limit) return undefined;
    const bytes = Buffer.byteLength(json);
    if (bytes <= limit) return undefined;
    return new WorkflowError(ErrorCode.PayloadTooLarge, payloadTooLargeMessage(field, bytes, limit), { field, bytes, limit });
  }

  /** @throws WorkflowError `WF_PAYLOAD_TOO_LARGE` naming `field` and the limit. */
  check(value: JsonObject, field: string): JsonObject {
    const error = this.excess(value, field);
    if (error) throw error;
    return value;
  }
}

/** The engine's limit: its own option, else the storage's, else none. */
export function resolvePayloadLimit(option: number | undefined, storageLimit: number | undefined): PayloadLimit {
  const limit = option ?? storageLimit;
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1024)) {
    throw new WorkflowError(ErrorCode.InputInvalid, `WorkflowEngine option maxPayloadBytes must be an integer of at least 1024 bytes, got ${String(limit)}.`, { option: 'maxPayloadBytes' });
  }
  return new PayloadLimit(limit);
}

/** The error for a record or event over the storage's size limit. */
import { ErrorCode, WorkflowError } from '@workflow-mastery/core';
import { payloadTooLargeMessage } from './storage.messages.js';

/** Code of {@link PayloadTooLargeError}: `ErrorCode.PayloadTooLarge`, under the name this package exported first. */
export const PAYLOAD_TOO_LARGE = ErrorCode.PayloadTooLarge;

/** A record (or one event's data) whose JSON exceeds `maxPayloadBytes`. Nothing was stored. */
export class PayloadTooLargeError extends WorkflowError {
  override readonly name = 'PayloadTooLargeError';
  constructor(
    readonly instanceId: string,
    /** UTF-8 bytes of the JSON. */
    readonly bytes: number,
    readonly limit: number,
    /** `record`, or `event <seq>`. */
    readonly part = 'record',
  ) {
    super(
      ErrorCode.PayloadTooLarge,
      payloadTooLargeMessage(part === 'record' ? 'The record' : `The data of ${part}`, instanceId, bytes, limit),
      { instanceId, bytes, limit, part },
    );
  }
}

/**
 * Records and events to and from their stored JSON: the size limit on the way in, validation on the
 * way out (a row edited by hand or half-written by another tool is reported, never returned).
 */
import { StorageCorruptError, type HistoryEvent, type InstanceRecord, type JsonObject } from '@workflow-mastery/core';
import { PayloadTooLargeError } from './payload-too-large.error.js';

/** JSON of `record`. @throws PayloadTooLargeError when over `limit` bytes. */
export function encodeRecord(record: InstanceRecord, limit: number): string {
  const json = JSON.stringify(record);
  // Every UTF-8 byte is at most 3 bytes per UTF-16 unit: skip the exact count when it cannot matter.
  if (json.length * 3 > limit) {
    const bytes = Buffer.byteLength(json);
    if (bytes > limit) throw new PayloadTooLargeError(record.id, bytes, limit);
  }
  return json;
}

/** JSON of an event's `data`, or null. @throws PayloadTooLargeError when over `limit` bytes. */
export function encodeEventData(event: HistoryEvent, limit: number): string | null {
  if (event.data === undefined) return null;
  const json = JSON.stringify(event.data);
  if (json.length * 3 > limit) {
    const bytes = Buffer.byteLength(json);
    if (bytes > limit) throw new PayloadTooLargeError(event.instanceId, bytes, limit, `event ${event.seq}`);
  }
  return json;
}

const STATES = new Set(['PENDING', 'RUNNING', 'WAITING', 'PAUSED', 'COMPENSATING', 'COMPLETED', 'FAILED', 'CANCELLED']);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What is wrong with a parsed record, or undefined. */
function recordProblem(value: unknown, id: string, version: number): string | undefined {
  if (!isObject(value)) return 'is not a JSON object';
  if (value.id !== id) return `has id ${JSON.stringify(value.id)}, not the row's id`;
  for (const field of ['definitionName', 'definitionVersion'] as const) {
    if (typeof value[field] !== 'string') return `lacks the string field "${field}"`;
  }
  if (typeof value.state !== 'string' || !STATES.has(value.state)) return `has an invalid state ${JSON.stringify(value.state)}`;
  for (const field of ['seq', 'createdAt', 'updatedAt'] as const) {
    if (typeof value[field] !== 'number') return `lacks the number field "${field}"`;
  }
  if (value.version !== version) return `has version ${JSON.stringify(value.version)} but the row has version ${version}`;
  for (const field of ['data', 'steps'] as const) {
    if (!isObject(value[field])) return `lacks the object field "${field}"`;
  }
  for (const field of ['timers', 'signals'] as const) {
    if (!Array.isArray(value[field])) return `lacks the array field "${field}"`;
  }
  return undefined;
}

/** Where a row lives, for error messages. */
export function rowLocation(table: string, key: string): string {
  return `table ${table}, ${key}`;
}

/**
 * The record stored in a row's `record` column.
 * @throws StorageCorruptError naming the table and id when it is not JSON or lacks required fields.
 */
export function decodeRecord(text: string, table: string, id: string, version: number): InstanceRecord {
  const location = rowLocation(table, `id ${JSON.stringify(id)}`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new StorageCorruptError(`Column "record" of instance ${id} is not valid JSON (${(cause as Error).message})`, location, { cause });
  }
  const problem = recordProblem(value, id, version);
  if (problem) throw new StorageCorruptError(`Column "record" of instance ${id} ${problem}`, location);
  return value as InstanceRecord;
}

/** Columns of a stored event. */
export interface EventRow {
  instanceId: string;
  seq: number;
  type: string;
  at: number;
  stepId: string | null;
  attempt: number | null;
  data: string | null;
}

/**
 * The event stored in a row.
 * @throws StorageCorruptError naming the table, instance and seq when `data` is not a JSON object.
 */
export function decodeEvent(row: EventRow, table: string): HistoryEvent {
  const event: HistoryEvent = { instanceId: row.instanceId, seq: row.seq, type: row.type as HistoryEvent['type'], at: row.at };
  if (row.stepId !== null) event.stepId = row.stepId;
  if (row.attempt !== null) event.attempt = row.attempt;
  if (row.data !== null) {
    const location = rowLocation(table, `instance_id ${JSON.stringify(row.instanceId)}, seq ${row.seq}`);
    let data: unknown;
    try {
      data = JSON.parse(row.data);
    } catch (cause) {
      throw new StorageCorruptError(`Column "data" of event ${row.seq} of instance ${row.instanceId} is not valid JSON`, location, { cause });
    }
    if (!isObject(data)) throw new StorageCorruptError(`Column "data" of event ${row.seq} of instance ${row.instanceId} is not a JSON object`, location);
    event.data = data as JsonObject;
  }
  return event;
}

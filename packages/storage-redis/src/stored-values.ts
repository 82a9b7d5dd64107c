/**
 * Reading back what the scripts stored: an instance's record JSON and its history events. Any value
 * that does not parse is reported as StorageCorruptError naming the key, so it can be found and fixed.
 */
import { StorageCorruptError, type HistoryEvent, type InstanceRecord } from '@workflow-mastery/core';

/** The record in field `rec` of the instance hash `key`. @throws StorageCorruptError when unreadable. */
export function parseRecord(raw: string, key: string): InstanceRecord {
  let record: unknown;
  try {
    record = JSON.parse(raw);
  } catch (cause) {
    throw new StorageCorruptError('Instance record is not valid JSON', `Redis key "${key}", field "rec"`, { cause });
  }
  if (typeof record !== 'object' || record === null || typeof (record as InstanceRecord).id !== 'string') {
    throw new StorageCorruptError('Instance record is not an object with an id', `Redis key "${key}", field "rec"`);
  }
  return record as InstanceRecord;
}

/** Events of the history list `key` read from index `start`. @throws StorageCorruptError when one is unreadable. */
export function parseHistory(raws: string[], start: number, key: string): HistoryEvent[] {
  return raws.map((raw, i) => {
    try {
      return JSON.parse(raw) as HistoryEvent;
    } catch (cause) {
      throw new StorageCorruptError(`History event #${start + i + 1} is not valid JSON`, `Redis key "${key}", index ${start + i}`, { cause });
    }
  });
}

import { describe, expect, it } from '@jest/globals';
import { StorageCorruptError } from '@workflow-mastery/core';
import { makeInstance } from '@workflow-mastery/core/testing';
import { PayloadTooLargeError } from './payload-too-large.error.js';
import { decodeEvent, decodeRecord, encodeEventData, encodeRecord } from './record-codec.js';

describe('encodeRecord', () => {
  it('returns the JSON under the limit and refuses it over, in UTF-8 bytes', () => {
    const record = makeInstance({ data: { s: '✓'.repeat(400) } });
    const json = JSON.stringify(record);
    expect(encodeRecord(record, 10_000)).toBe(json);
    const bytes = Buffer.byteLength(json);
    expect(() => encodeRecord(record, bytes - 1)).toThrow(PayloadTooLargeError);
    expect(encodeRecord(record, bytes)).toBe(json);
  });

  it('checks event data too, and leaves events without data alone', () => {
    const event = { instanceId: 'i', seq: 3, type: 'step.completed' as const, at: 1, data: { s: 'x'.repeat(100) } };
    expect(() => encodeEventData(event, 50)).toThrow(/data of event 3 of instance i/);
    expect(encodeEventData({ ...event, data: undefined }, 50)).toBeNull();
  });
});

describe('decodeRecord', () => {
  const record = makeInstance({ version: 3 });
  const text = JSON.stringify(record);

  it('parses a valid record', () => {
    expect(decodeRecord(text, 'wm_instances', record.id, 3)).toEqual(record);
  });

  it.each([
    ['{', /not valid JSON/],
    ['null', /not a JSON object/],
    [JSON.stringify({ ...record, id: 'other' }), /has id "other"/],
    [JSON.stringify({ ...record, state: 'DANCING' }), /invalid state "DANCING"/],
    [JSON.stringify({ ...record, steps: [] }), /lacks the object field "steps"/],
    [JSON.stringify({ ...record, timers: {} }), /lacks the array field "timers"/],
    [JSON.stringify({ ...record, version: 2 }), /has version 2 but the row has version 3/],
  ])('reports %s', (bad, message) => {
    const error = (() => {
      try {
        decodeRecord(bad, 'wm_instances', record.id, 3);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(StorageCorruptError);
    expect((error as Error).message).toMatch(message);
    expect((error as StorageCorruptError).location).toBe(`table wm_instances, id "${record.id}"`);
  });
});

describe('decodeEvent', () => {
  const row = { instanceId: 'i', seq: 2, type: 'step.completed', at: 5, stepId: null, attempt: null, data: null };

  it('omits absent optional fields', () => {
    expect(decodeEvent(row, 'wm_events')).toEqual({ instanceId: 'i', seq: 2, type: 'step.completed', at: 5 });
    expect(decodeEvent({ ...row, stepId: 's', attempt: 1, data: '{"a":1}' }, 'wm_events')).toEqual({
      instanceId: 'i', seq: 2, type: 'step.completed', at: 5, stepId: 's', attempt: 1, data: { a: 1 },
    });
  });

  it('reports data that is not a JSON object', () => {
    expect(() => decodeEvent({ ...row, data: '[1]' }, 'wm_events')).toThrow(StorageCorruptError);
    expect(() => decodeEvent({ ...row, data: 'nope' }, 'wm_events')).toThrow(/event 2 of instance i is not valid JSON/);
  });
});

/** Builders of valid records, events and commits for storage and engine tests. */
import { randomUUID } from 'node:crypto';
import type { HistoryEvent, HistoryEventType, InstanceRecord, StepRecord } from '../model/instance.types.js';
import type { Commit } from '../storage/storage-adapter.js';

let counter = 0;

/** A valid new instance (version 1, seq 0, unique lower-case id); `overrides` win. */
export function makeInstance(overrides: Partial<InstanceRecord> = {}): InstanceRecord {
  const now = overrides.createdAt ?? Date.now();
  return {
    id: `inst-${++counter}-${randomUUID().slice(0, 8)}`,
    definitionName: 'test-flow',
    definitionVersion: '1.0.0',
    state: 'PENDING',
    data: {},
    steps: {},
    timers: [],
    signals: [],
    version: 1,
    seq: 0,
    completions: 0,
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
}

/** One history event. */
export function makeEvent(
  instanceId: string,
  seq: number,
  type: HistoryEventType = 'step.completed',
  extra: Partial<HistoryEvent> = {},
): HistoryEvent {
  return { instanceId, seq, type, at: Date.now(), ...extra };
}

/** `count` events continuing a history that ends at `afterSeq`. */
export function makeEvents(instanceId: string, afterSeq: number, count: number): HistoryEvent[] {
  return Array.from({ length: count }, (_, i) => makeEvent(instanceId, afterSeq + i + 1));
}

/** A new instance with `eventCount` first events (`workflow.started` first), ready for createInstance. */
export function makeCreate(
  overrides: Partial<InstanceRecord> = {},
  eventCount = 1,
): { instance: InstanceRecord; events: HistoryEvent[] } {
  const instance = makeInstance({ ...overrides, seq: eventCount });
  const events = makeEvents(instance.id, 0, eventCount);
  if (events[0]) events[0].type = 'workflow.started';
  return { instance, events };
}

/** The commit that follows `previous`: version + 1, `eventCount` events, `changes` applied. */
export function nextCommit(previous: InstanceRecord, changes: Partial<InstanceRecord> = {}, eventCount = 1): Commit {
  return {
    instance: {
      ...previous,
      updatedAt: Date.now(),
      ...changes,
      version: previous.version + 1,
      seq: previous.seq + eventCount,
    },
    expectedVersion: previous.version,
    events: makeEvents(previous.id, previous.seq, eventCount),
  };
}

/** A step record: SCHEDULED attempt 1 of run 1 unless `overrides` say otherwise. */
export function makeStep(overrides: Partial<StepRecord> = {}): StepRecord {
  return { status: 'SCHEDULED', attempt: 1, run: 1, scheduledAt: Date.now(), ...overrides };
}

/**
 * Assertions usable from any test runner (node:test, Jest, Vitest, Mocha): plain functions that
 * throw a node `AssertionError` (with `actual` and `expected`) whose message reads on its own.
 */
import { AssertionError } from 'node:assert';
import type { HistoryEvent, HistoryEventType, InstanceRecord, InstanceState } from '@workflow-mastery/core';
import { lineDiff } from './line-diff.js';
import { pathOf, type WithHistory } from './path.js';

/** An instance record with its history attached: what `t.instance(id)` returns. */
export type TestInstance = InstanceRecord & { history: HistoryEvent[] };

/** Who the instance is, for messages. */
export function describeInstance(instance: Partial<InstanceRecord>): string {
  return `instance ${instance.id} (${instance.definitionName}@${instance.definitionVersion}, ${instance.state}${instance.error?.code ? ` ${instance.error.code}` : ''})`;
}

/** Throws unless the instance took exactly `expected` (see {@link pathOf} for the notation). */
export function assertPath(instance: TestInstance | (WithHistory & Partial<InstanceRecord>), expected: readonly string[]): void {
  const actual = pathOf(instance);
  if (actual.length === expected.length && actual.every((s, i) => s === expected[i])) return;
  throw new AssertionError({
    message: `Path of ${describeInstance(instance)} differs (- expected, + actual):\n${lineDiff([...expected], actual)}`,
    actual,
    expected: [...expected],
    operator: 'assertPath',
  });
}

/** Throws unless the instance is in `state` (and, when given, failed with `errorCode`). */
export function assertState(instance: InstanceRecord, state: InstanceState, errorCode?: string): void {
  const codeOk = errorCode === undefined || instance.error?.code === errorCode;
  if (instance.state === state && codeOk) return;
  const want = errorCode === undefined ? state : `${state} with ${errorCode}`;
  const error = instance.error ? `\n  error: ${instance.error.code ?? ''} ${instance.error.message}${instance.error.stepId ? ` (step ${instance.error.stepId})` : ''}` : '';
  const steps = Object.entries(instance.steps)
    .map(([id, s]) => `    ${id}: ${s.status}${s.attempt > 1 ? ` (attempt ${s.attempt})` : ''}${s.error ? ` — ${s.error.message}` : ''}`)
    .join('\n');
  throw new AssertionError({
    message: `Expected ${describeInstance(instance)} to be ${want}, but it is ${instance.state}${instance.error?.code ? ` with ${instance.error.code}` : ''}.${error}\n  steps:\n${steps}`,
    actual: { state: instance.state, errorCode: instance.error?.code },
    expected: { state, ...(errorCode !== undefined ? { errorCode } : {}) },
    operator: 'assertState',
  });
}

/**
 * The history's events of `type` that match `match` (every key given must equal the event's: a
 * `stepId`, an `attempt`, or `data` compared key by key, deeply); throws when there is none.
 * Returns the matching events.
 */
export function assertHistoryContains(instance: WithHistory & Partial<InstanceRecord>, type: HistoryEventType, match: HistoryMatch = {}): HistoryEvent[] {
  const found = findEvents(instance.history, type, match);
  if (found.length > 0) return found;
  const sameType = instance.history.filter((e) => e.type === type);
  const shown = (sameType.length ? sameType : instance.history).map(showEvent).join('\n');
  throw new AssertionError({
    message: `Expected the history of ${describeInstance(instance)} to contain ${type}${Object.keys(match).length ? ` matching ${JSON.stringify(match)}` : ''}; ${
      sameType.length ? `its ${type} events are` : `it has no ${type} event; its events are`
    }:\n${shown}`,
    actual: sameType,
    expected: { type, ...match },
    operator: 'assertHistoryContains',
  });
}

/** What {@link assertHistoryContains} compares: any of an event's fields, `data` partially. */
export interface HistoryMatch {
  stepId?: string;
  attempt?: number;
  data?: Record<string, unknown>;
}

/** Events of `type` matching `match` (see {@link assertHistoryContains}). */
export function findEvents(history: HistoryEvent[], type: HistoryEventType, match: HistoryMatch = {}): HistoryEvent[] {
  return history.filter(
    (e) =>
      e.type === type &&
      (match.stepId === undefined || e.stepId === match.stepId) &&
      (match.attempt === undefined || e.attempt === match.attempt) &&
      (match.data === undefined || partialMatch(e.data ?? {}, match.data)),
  );
}

function partialMatch(actual: unknown, expected: unknown): boolean {
  if (expected === null || typeof expected !== 'object') return Object.is(actual, expected);
  if (actual === null || typeof actual !== 'object') return false;
  if (Array.isArray(expected)) return Array.isArray(actual) && actual.length === expected.length && expected.every((v, i) => partialMatch(actual[i], v));
  return Object.entries(expected).every(([k, v]) => partialMatch((actual as Record<string, unknown>)[k], v));
}

function showEvent(e: HistoryEvent): string {
  return `  #${e.seq} ${e.type}${e.stepId ? ` ${e.stepId}` : ''}${e.attempt ? ` attempt ${e.attempt}` : ''}${e.data && Object.keys(e.data).length ? ` ${JSON.stringify(e.data)}` : ''}`;
}

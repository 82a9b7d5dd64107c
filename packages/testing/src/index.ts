/**
 * @workflow-mastery/testing: test workflows like any other code. A real engine on memory storage
 * and a manual clock (`advance('7d')` fires every durable timer on the way, in order, in
 * milliseconds of wall time), mocked and recorded actions, tasks and signals without task ids,
 * and assertions on the path taken, the final state and the history. Jest matchers live in
 * `@workflow-mastery/testing/jest`.
 * @packageDocumentation
 */
export { createTestEngine, TestEngine, type TestEngineOptions } from './test-engine.js';
export { TestClock } from './test-clock.js';
export type { ActionCall, ActionMock, MockFailure, MockResult } from './action-doubles.js';
export { pathOf, COMPENSATION_MARK, type WithHistory } from './path.js';
export { assertPath, assertState, assertHistoryContains, findEvents, type HistoryMatch, type TestInstance } from './assertions.js';
/** Re-exported from core: is a recorded history (e.g. `(await t.instance(id)).history`) still a run of a definition? */
export { replayHistory, type RecordedHistory, type ReplayDivergence, type ReplayOptions, type ReplayResult } from '@workflow-mastery/core';

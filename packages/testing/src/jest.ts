/**
 * `@workflow-mastery/testing/jest`: the kit for Jest. Importing it adds the matchers to `expect`
 * (`toHaveTakenPath`, `toHaveState`, `toHaveFailedWith`, `toHaveHistoryEvent`) and closes every
 * engine made with this entry's {@link createTestEngine} (alias {@link useTestEngine}) after each test.
 *
 * ```ts
 * import { createTestEngine } from '@workflow-mastery/testing/jest';
 * const t = createTestEngine({ definitions: [orderWorkflow], actions });   // inside a test: closed by afterEach
 * const order = await t.start('order_processing', { order });
 * expect(order).toHaveTakenPath(['validate_order', 'check_fraud(skipped)', ...]);
 * ```
 */
import { afterEach, expect } from '@jest/globals';
import type { HistoryEventType, InstanceState } from '@workflow-mastery/core';
import { assertHistoryContains, assertPath, assertState, describeInstance, type HistoryMatch, type TestInstance } from './assertions.js';
import { pathOf } from './path.js';
import { createTestEngine as createPlainTestEngine, type TestEngine, type TestEngineOptions } from './test-engine.js';

export * from './index.js';

const open = new Set<TestEngine>();

afterEach(async () => {
  const engines = [...open];
  open.clear();
  await Promise.all(engines.map((t) => t.close()));
});

/** {@link createPlainTestEngine} whose engine is closed after the current test (Jest's `afterEach`). */
export function createTestEngine(options: TestEngineOptions): TestEngine {
  const t = createPlainTestEngine(options);
  open.add(t);
  return t;
}

/** The same as this entry's {@link createTestEngine}: an engine closed after the current test. */
export const useTestEngine = createTestEngine;

interface MatcherContext {
  isNot?: boolean;
}

/** Run a plain assertion as a matcher: it passes when the assertion does not throw. */
function asMatcher(ctx: MatcherContext, check: () => void, whenNot: () => string) {
  try {
    check();
  } catch (error) {
    return { pass: false, message: () => (error as Error).message };
  }
  return { pass: true, message: () => (ctx.isNot ? whenNot() : '') };
}

function needsRecord(received: unknown, matcher: string, history: boolean): asserts received is TestInstance {
  const ok = typeof received === 'object' && received !== null && typeof (received as TestInstance).state === 'string';
  if (!ok || (history && !Array.isArray((received as TestInstance).history))) {
    throw new TypeError(`${matcher}: expected an instance${history ? ' with its history (read it with `await t.instance(id)`)' : ' record'}, got ${JSON.stringify(received)?.slice(0, 200)}`);
  }
}

expect.extend({
  toHaveTakenPath(this: MatcherContext, received: unknown, expected: string[]) {
    needsRecord(received, 'toHaveTakenPath', true);
    return asMatcher(this, () => assertPath(received, expected), () => `Expected ${describeInstance(received)} not to take the path ${JSON.stringify(pathOf(received))}.`);
  },
  toHaveState(this: MatcherContext, received: unknown, state: InstanceState) {
    needsRecord(received, 'toHaveState', false);
    return asMatcher(this, () => assertState(received, state), () => `Expected ${describeInstance(received)} not to be ${state}.`);
  },
  toHaveFailedWith(this: MatcherContext, received: unknown, errorCode: string) {
    needsRecord(received, 'toHaveFailedWith', false);
    return asMatcher(this, () => assertState(received, 'FAILED', errorCode), () => `Expected ${describeInstance(received)} not to have failed with ${errorCode}.`);
  },
  toHaveHistoryEvent(this: MatcherContext, received: unknown, type: HistoryEventType, match?: HistoryMatch) {
    needsRecord(received, 'toHaveHistoryEvent', true);
    return asMatcher(this, () => void assertHistoryContains(received, type, match), () => `Expected the history of ${describeInstance(received)} to contain no ${type}${match ? ` matching ${JSON.stringify(match)}` : ''}.`);
  },
});

declare module 'expect' {
  interface Matchers<R extends void | Promise<void>, T = unknown> {
    /** The steps taken, in order: `step`, `step(skipped)`, `step(failed)`, `step(timed out)`, `step(cancelled)`, `↩compensation`. */
    toHaveTakenPath(expected: string[]): R;
    /** The instance's state. */
    toHaveState(state: InstanceState): R;
    /** FAILED with this error code (`WF_TIMEOUT`, `WF_NO_ROUTE`, an action's own code...). */
    toHaveFailedWith(errorCode: string): R;
    /** The history has an event of `type` matching `match` (`stepId`, `attempt`, `data` compared partially). */
    toHaveHistoryEvent(type: HistoryEventType, match?: HistoryMatch): R;
  }
}

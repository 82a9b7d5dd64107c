/**
 * Shared by the decide specs (`src/engine/decide/*.spec.ts`; support files live in `test/support`, out of the build): a plain
 * {@link DecideEnv} over a parsed definition at a fixed `now`, and short builders of inputs.
 */
import { expect } from '@jest/globals';
import { parseDefinition } from '../../src/definition/definition-parser.js';
import type { JsonObject, RetryPolicy, WorkflowDefinitionInput } from '../../src/definition/definition.types.js';
import type { HistoryEvent, InstanceRecord, StepStatus } from '../../src/model/instance.types.js';
import { DEFAULT_COMPENSATION_RETRY } from '../../src/engine/retry-policy.js';
import { decide, startInstance } from '../../src/engine/decide/index.js';
import type { DecideEnv, Decision, DecisionInput, Effect } from '../../src/engine/decide/types.js';

/** Epoch ms every spec decision is taken at, unless a spec moves the clock with {@link at}. */
export const NOW = 1_000;

/** Compensations retried once, at once: enough to see a retry and a final failure. */
export const ONE_QUICK_RETRY: RetryPolicy = { attempts: 1, delayMs: 0, backoff: 'fixed', maxDelayMs: 0 };

/** A plain env over `input` parsed; compensations use `compensationRetry`. */
export function envOf(input: WorkflowDefinitionInput, compensationRetry: RetryPolicy = DEFAULT_COMPENSATION_RETRY): DecideEnv {
  const definition = parseDefinition(input);
  return {
    definition,
    now: NOW,
    retryOf: (s) => definition.steps[s]!.retry,
    compensationOf: (s) => definition.steps[s]!.compensation,
    compensationRetryOf: () => compensationRetry,
  };
}

/** The same env at another time. */
export function at(env: DecideEnv, now: number): DecideEnv {
  return { ...env, now };
}

/** Apply an input that must not be ignored. */
export function apply(env: DecideEnv, instance: InstanceRecord, input: DecisionInput): Decision & { ignored: false } {
  const d = decide(env, instance, input);
  if (d.ignored) throw new Error(`ignored: ${d.reason}`);
  return d;
}

/** What a run of inputs led to: the last decision, plus every event along the way. */
export interface Played {
  env: DecideEnv;
  instance: InstanceRecord;
  /** Events of the last decision. */
  events: HistoryEvent[];
  /** Effects of the last decision. */
  effects: Effect[];
  /** Events of the start and of every input, in order. */
  history: HistoryEvent[];
}

/** Start an instance of `env`'s definition, then apply `inputs` in order (none may be ignored). */
export function play(env: DecideEnv, inputs: DecisionInput[] = [], data: JsonObject = {}): Played {
  const started = startInstance(env, { id: 'i1', data });
  let last: Decision & { ignored: false } = started;
  const history = [...started.events];
  for (const input of inputs) {
    last = apply(env, last.instance, input);
    history.push(...last.events);
  }
  return { env, instance: last.instance, events: last.events, effects: last.effects, history };
}

/** A step attempt succeeded. */
export const ok = (stepId: string, output?: JsonObject, attempt = 1): DecisionInput =>
  output ? { type: 'step.succeeded', stepId, attempt, output } : { type: 'step.succeeded', stepId, attempt };

/** A step attempt failed (not retryable unless said). */
export const fail = (stepId: string, attempt = 1, retryable = false): DecisionInput => ({
  type: 'step.failed',
  stepId,
  attempt,
  error: { message: `${stepId} broke`, retryable },
});

/** A compensation attempt succeeded. */
export const undone = (stepId: string, attempt = 1): DecisionInput => ({ type: 'compensation.succeeded', stepId, attempt });

/** A compensation attempt failed (retryable). */
export const undoFailed = (stepId: string, attempt = 1): DecisionInput => ({
  type: 'compensation.failed',
  stepId,
  attempt,
  error: { message: `undo ${stepId} broke`, retryable: true },
});

/** A timer fired. */
export const fire = (timerId: string): DecisionInput => ({ type: 'timer.fired', timerId });

/** Event types, in order. */
export const types = (events: HistoryEvent[]): string[] => events.map((e) => e.type);

/** Events as `type` or `type:stepId`, in order. */
export const trail = (events: HistoryEvent[]): string[] => events.map((e) => (e.stepId ? `${e.type}:${e.stepId}` : e.type));

/** Run effects as `kind:stepId#attempt`, in order. */
export const runs = (effects: Effect[]): string[] =>
  effects.flatMap((e) => (e.type === 'run' ? [`${e.kind}:${e.stepId}#${e.attempt}`] : []));

/** Status of every step. */
export function statuses(instance: InstanceRecord): Record<string, StepStatus> {
  const out: Record<string, StepStatus> = {};
  for (const [id, rec] of Object.entries(instance.steps)) out[id] = rec.status;
  return out;
}

/** Assert a decision was ignored (optionally for a given reason). */
export function expectIgnored(d: Decision, reason?: string | RegExp): void {
  expect(d.ignored).toBe(true);
  if (reason !== undefined && d.ignored) expect(d.reason).toMatch(reason);
}

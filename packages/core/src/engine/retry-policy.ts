/** Retry delays: fixed, or exponential (×2 per retry) with a cap. */
import type { RetryPolicy } from '../definition/definition.types.js';
import { parseDuration } from '../duration.js';
import type { ActionRetryOptions } from '../actions/action.types.js';

/** Policy used for compensations whose step and action set none: 3 retries, 1s doubling, capped at 100s. */
export const DEFAULT_COMPENSATION_RETRY: RetryPolicy = { attempts: 3, delayMs: 1000, backoff: 'exponential', maxDelayMs: 100_000 };

/** Delay before attempt `nextAttempt` (2 for the first retry). */
export function retryDelay(policy: RetryPolicy, nextAttempt: number): number {
  if (policy.backoff === 'fixed') return policy.delayMs;
  const exp = policy.delayMs * 2 ** Math.max(0, nextAttempt - 2);
  return Math.min(exp, policy.maxDelayMs);
}

/** Compile an action's registered retry defaults into a policy. */
export function policyFromOptions(options: ActionRetryOptions): RetryPolicy {
  const delayMs = options.delay === undefined ? 1000 : parseDuration(options.delay);
  return {
    attempts: options.attempts,
    delayMs,
    backoff: options.backoff ?? 'fixed',
    maxDelayMs: options.maxDelay === undefined ? delayMs * 100 : parseDuration(options.maxDelay),
  };
}

import { describe, expect, it } from '@jest/globals';
import type { RetryPolicy } from '../definition/definition.types.js';
import { DEFAULT_COMPENSATION_RETRY, policyFromOptions, retryDelay } from './retry-policy.js';

const delays = (policy: RetryPolicy, upTo: number) => Array.from({ length: upTo - 1 }, (_, i) => retryDelay(policy, i + 2));

describe('retryDelay', () => {
  it('fixed: the same delay before every retry, whatever the cap', () => {
    const policy: RetryPolicy = { attempts: 5, delayMs: 500, backoff: 'fixed', maxDelayMs: 100 };
    expect(delays(policy, 6)).toEqual([500, 500, 500, 500, 500]);
  });

  it('exponential: delay, then ×2 per retry (attempt 2 is the first retry)', () => {
    const policy: RetryPolicy = { attempts: 5, delayMs: 1000, backoff: 'exponential', maxDelayMs: 1_000_000 };
    expect(delays(policy, 6)).toEqual([1000, 2000, 4000, 8000, 16000]);
  });

  it('exponential: capped at maxDelayMs', () => {
    const policy: RetryPolicy = { attempts: 10, delayMs: 1000, backoff: 'exponential', maxDelayMs: 5000 };
    expect(delays(policy, 7)).toEqual([1000, 2000, 4000, 5000, 5000, 5000]);
    expect(retryDelay(policy, 1000)).toBe(5000); // 2**998 overflows nothing that matters
  });

  it('exponential: attempts ≤ 2 use the base delay', () => {
    const policy: RetryPolicy = { attempts: 3, delayMs: 250, backoff: 'exponential', maxDelayMs: 10_000 };
    expect(retryDelay(policy, 1)).toBe(250);
    expect(retryDelay(policy, 0)).toBe(250);
  });

  it('the default compensation policy: 3 retries from 1s doubling, capped at 100s', () => {
    expect(DEFAULT_COMPENSATION_RETRY).toEqual({ attempts: 3, delayMs: 1000, backoff: 'exponential', maxDelayMs: 100_000 });
    expect(delays(DEFAULT_COMPENSATION_RETRY, 4)).toEqual([1000, 2000, 4000]);
    expect(retryDelay(DEFAULT_COMPENSATION_RETRY, 20)).toBe(100_000);
  });
});

describe('policyFromOptions', () => {
  it('defaults: 1s delay, fixed backoff, cap 100 × delay', () => {
    expect(policyFromOptions({ attempts: 3 })).toEqual({ attempts: 3, delayMs: 1000, backoff: 'fixed', maxDelayMs: 100_000 });
  });

  it('the default cap follows the given delay', () => {
    expect(policyFromOptions({ attempts: 1, delay: 250 }).maxDelayMs).toBe(25_000);
    expect(policyFromOptions({ attempts: 1, delay: '30s' }).maxDelayMs).toBe(3_000_000);
  });

  it('reads duration strings and numbers', () => {
    expect(policyFromOptions({ attempts: 4, delay: '500ms', backoff: 'exponential', maxDelay: '2m' })).toEqual({
      attempts: 4,
      delayMs: 500,
      backoff: 'exponential',
      maxDelayMs: 120_000,
    });
    expect(policyFromOptions({ attempts: 2, delay: 1500, maxDelay: 4000 })).toMatchObject({ delayMs: 1500, maxDelayMs: 4000 });
    expect(policyFromOptions({ attempts: 2, delay: '1h' }).delayMs).toBe(3_600_000);
  });

  it('a zero delay is kept (not replaced by the default)', () => {
    expect(policyFromOptions({ attempts: 2, delay: 0 })).toMatchObject({ delayMs: 0, maxDelayMs: 0 });
  });

  it('the compiled policy drives retryDelay', () => {
    const policy = policyFromOptions({ attempts: 5, delay: '1s', backoff: 'exponential', maxDelay: '3s' });
    expect(delays(policy, 5)).toEqual([1000, 2000, 3000, 3000]);
  });

  it('rejects a bad duration with a TypeError naming the accepted forms', () => {
    expect(() => policyFromOptions({ attempts: 1, delay: 'soon' })).toThrow(TypeError);
    expect(() => policyFromOptions({ attempts: 1, delay: 'soon' })).toThrow(/"soon" is not a duration/);
    expect(() => policyFromOptions({ attempts: 1, maxDelay: -5 })).toThrow(/-5 is not a duration/);
  });
});

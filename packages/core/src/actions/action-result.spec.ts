import { describe, expect, it } from '@jest/globals';
import { ActionResult } from './action-result.js';

describe('ActionResult', () => {
  it('success carries its data and nothing else', () => {
    const r = ActionResult.success({ orderId: 'o1', total: 12 });
    expect(r.kind).toBe('success');
    expect(r.data).toEqual({ orderId: 'o1', total: 12 });
    expect(r.error).toBeUndefined();
    expect(r.wait).toBeUndefined();
  });

  it('success without data has undefined data', () => {
    const r = ActionResult.success();
    expect(r.kind).toBe('success');
    expect(r.data).toBeUndefined();
  });

  it('failure keeps the message and leaves retryable unset by default', () => {
    const r = ActionResult.failure('card declined');
    expect(r.kind).toBe('failure');
    expect(r.error).toEqual({ message: 'card declined' });
    expect(r.data).toBeUndefined();
    expect(r.wait).toBeUndefined();
  });

  it('failure carries retryable, code and details', () => {
    const r = ActionResult.failure('card declined', { retryable: false, code: 'DECLINED', details: { last4: '4242' } });
    expect(r.error).toEqual({ message: 'card declined', retryable: false, code: 'DECLINED', details: { last4: '4242' } });
  });

  it('wait carries the signal and timeout', () => {
    const r = ActionResult.wait({ signal: 'payment_confirmed', timeout: '30s' });
    expect(r.kind).toBe('wait');
    expect(r.wait).toEqual({ signal: 'payment_confirmed', timeout: '30s' });
    expect(r.data).toBeUndefined();
    expect(r.error).toBeUndefined();
  });

  describe('is', () => {
    it('is true for every kind built by the factories', () => {
      expect(ActionResult.is(ActionResult.success())).toBe(true);
      expect(ActionResult.is(ActionResult.failure('x'))).toBe(true);
      expect(ActionResult.is(ActionResult.wait({ signal: 's' }))).toBe(true);
    });

    it('is true for a result from a duplicated copy of the module (same global brand)', () => {
      const foreign = { kind: 'success', data: {}, [Symbol.for('workflow-mastery.action-result')]: true };
      expect(ActionResult.is(foreign)).toBe(true);
    });

    it('is false for look-alikes and non-objects', () => {
      expect(ActionResult.is({ kind: 'success', data: {} })).toBe(false);
      expect(ActionResult.is({ [Symbol('workflow-mastery.action-result')]: true })).toBe(false);
      expect(ActionResult.is({ [Symbol.for('workflow-mastery.action-result')]: 'yes' })).toBe(false);
      for (const v of [null, undefined, 0, 'success', true, [], () => undefined]) expect(ActionResult.is(v)).toBe(false);
    });

    it('does not expose the brand as an enumerable or JSON field', () => {
      const r = ActionResult.success({ a: 1 });
      expect(JSON.parse(JSON.stringify(r))).toEqual({ kind: 'success', data: { a: 1 } });
    });
  });
});

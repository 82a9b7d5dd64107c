import { describe, expect, it } from '@jest/globals';
import { AttemptTimer } from './attempt-timer.js';

describe('AttemptTimer', () => {
  it('times an attempt once, only when it started here', () => {
    const timer = new AttemptTimer();
    timer.start('i1', 'charge', 1);
    const seconds = timer.stop('i1', 'charge', 1);
    expect(seconds).toBeGreaterThanOrEqual(0);
    expect(timer.stop('i1', 'charge', 1)).toBeUndefined();
    expect(timer.stop('i2', 'charge', 1)).toBeUndefined();
    expect(timer.running).toBe(0);
  });

  it('keeps attempts apart and forgets an ended instance', () => {
    const timer = new AttemptTimer();
    timer.start('i1', 'a', 1);
    timer.start('i1', 'b', 1);
    timer.start('i2', 'a', 2);
    expect(timer.running).toBe(3);
    timer.forget('i1');
    expect([timer.running, timer.stop('i1', 'a', 1), timer.stop('i2', 'a', 2) !== undefined]).toEqual([1, undefined, true]);
  });

  it('drops the oldest instance past its bound', () => {
    const timer = new AttemptTimer(2);
    timer.start('old', 'a', 1);
    timer.start('mid', 'a', 1);
    timer.start('new', 'a', 1);
    expect(timer.running).toBe(2);
    expect(timer.stop('old', 'a', 1)).toBeUndefined();
    expect(timer.stop('new', 'a', 1)).toBeDefined();
  });
});

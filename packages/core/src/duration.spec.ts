import { describe, expect, it } from '@jest/globals';
import { formatDuration, parseDuration, parseDurationOrUndefined } from './duration.js';

describe('durations', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['2m', 120_000],
    ['1h', 3_600_000],
    ['2d', 172_800_000],
    ['1.5s', 1_500],
    [250, 250],
  ])('%p is %p ms', (input, ms) => {
    expect(parseDuration(input)).toBe(ms);
  });

  it.each(['30x', '', 's', '-1s', -5, Number.NaN, null, {}])('rejects %p with a message naming the forms', (bad) => {
    expect(parseDurationOrUndefined(bad)).toBeUndefined();
    expect(() => parseDuration(bad)).toThrow(/is not a duration; write a number of milliseconds or a string like "500ms"/);
  });

  it('formats for humans', () => {
    expect(formatDuration(250)).toBe('250ms');
    expect(formatDuration(90_000)).toBe('1m30s');
    expect(formatDuration(2 * 86_400_000 + 3_600_000)).toBe('2d1h');
  });
});

import { describe, expect, it } from '@jest/globals';
import { advanceMs } from './durations.js';

describe('advanceMs', () => {
  it('reads durations as definitions write them, and milliseconds', () => {
    expect(advanceMs('2d')).toBe(172_800_000);
    expect(advanceMs('1h30m')).toBe(5_400_000);
    expect(advanceMs(250)).toBe(250);
    expect(advanceMs(0)).toBe(0);
  });

  it('refuses what is not one, saying why and what it takes', () => {
    expect(() => advanceMs('-1d')).toThrow('advance("-1d"): not a duration to move the clock by; time only moves forward; give a number of milliseconds (0 or more) or a duration string as in definitions: "500ms", "30s", "2m", "1h", "2d", "1w", "1h30m".');
    expect(() => advanceMs('30x')).toThrow(/^advance\("30x"\): not a duration to move the clock by; give a number/);
    expect(() => advanceMs(Number.POSITIVE_INFINITY)).toThrow('advance(Infinity)');
  });
});

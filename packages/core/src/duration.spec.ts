import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { formatDuration, parseDuration, parseDurationOrUndefined, type IsDurationString } from './duration.js';

/** Strings the parser and the compile-time check (`IsDurationString`) must agree on. */
const durationStrings = ['500ms', '30s', '2m', '1h', '2d', '1.5s', '1m30s', '1h 30m', '2d1h', '1w2d3h4m5s6ms', ' 1m 30s ', '30 s', '1m5ms', '0s'] as const;
const notDurationStrings = ['30x', '', '   ', 's', '-1s', '30s1m', '1m1m', '1m30', 'm30s', '7 days', '1h,30m', '.5s', '5.s', '1e3s', '0x10s', '1ms1s', '1 m s'] as const;
type Results<T extends readonly string[]> = { [K in keyof T]: IsDurationString<T[K]> }[number];
/** True only when A and B are the same type (not merely assignable). */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const compileTimeAgrees: [Equal<Results<typeof durationStrings>, true>, Equal<Results<typeof notDurationStrings>, false>] = [true, true];

describe('durations', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['2m', 120_000],
    ['1h', 3_600_000],
    ['2d', 172_800_000],
    ['1.5s', 1_500],
    ['1m30s', 90_000],
    ['1h 30m', 5_400_000],
    ['2d1h', 176_400_000],
    ['1w2d3h4m5s6ms', 604_800_000 + 172_800_000 + 10_800_000 + 240_000 + 5_000 + 6],
    [' 1m 30s ', 90_000],
    [250, 250],
  ])('%p is %p ms', (input, ms) => {
    expect(parseDuration(input)).toBe(ms);
  });

  it.each(['30x', '', 's', '-1s', '30s1m', '1m1m', '1m30', 'm30s', '7 days', '1h,30m', -5, Number.NaN, null, {}])('rejects %p with a message naming the forms', (bad) => {
    expect(parseDurationOrUndefined(bad)).toBeUndefined();
    expect(() => parseDuration(bad)).toThrow(/is not a duration; write a number of milliseconds or a string like "500ms"/);
  });

  it('agrees with the compile-time check of typed callers (IsDurationString) on every example', () => {
    expect(compileTimeAgrees).toEqual([true, true]); // checked by the typecheck; here for the record
    for (const text of durationStrings) expect(parseDurationOrUndefined(text)).toBeDefined();
    for (const text of notDurationStrings) expect(parseDurationOrUndefined(text)).toBeUndefined();
  });

  it('formats for humans', () => {
    expect(formatDuration(0)).toBe('0ms');
    expect(formatDuration(250)).toBe('250ms');
    expect(formatDuration(1_000)).toBe('1s');
    expect(formatDuration(90_000)).toBe('1m30s');
    expect(formatDuration(90_400)).toBe('1m30s');
    expect(formatDuration(2 * 86_400_000 + 3_600_000)).toBe('2d1h');
  });

  it('reads back whatever it writes: exactly below a second and for whole seconds', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: 0, max: 999 }), fc.integer({ min: 1, max: 10 * 365 * 86_400 }).map((s) => s * 1000)), (ms) => {
        expect(parseDuration(formatDuration(ms))).toBe(ms);
      }),
      { numRuns: 500 },
    );
  });

  it('reads back any duration it writes to within half a second, and writes the same again', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e12, noNaN: true }), (ms) => {
        const text = formatDuration(ms);
        const back = parseDuration(text);
        expect(Math.abs(back - ms)).toBeLessThanOrEqual(500);
        expect(formatDuration(back)).toBe(text);
      }),
      { numRuns: 500 },
    );
  });

  it('parses any compound it is given from the largest unit down', () => {
    const units = [['w', 604_800_000], ['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1_000], ['ms', 1]] as const;
    fc.assert(
      fc.property(fc.array(fc.option(fc.nat({ max: 1000 }), { nil: undefined }), { minLength: 6, maxLength: 6 }), fc.constantFrom('', ' '), (counts, sep) => {
        const parts = units.flatMap(([unit, size], i) => (counts[i] === undefined ? [] : [{ text: `${counts[i]}${unit}`, ms: counts[i]! * size }]));
        fc.pre(parts.length > 0);
        expect(parseDuration(parts.map((p) => p.text).join(sep))).toBe(parts.reduce((sum, p) => sum + p.ms, 0));
      }),
      { numRuns: 300 },
    );
  });
});

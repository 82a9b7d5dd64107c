/**
 * Durations as the definition format writes them: `500ms`, `30s`, `2m`, `1h`, `2d`, compounds of
 * these from the largest unit down (`1m30s`, `1h 30m`, `2d1h`), or a number of milliseconds.
 * {@link formatDuration} writes the same form, so what it prints can be pasted back.
 */

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
/** Units from the largest down: a compound must name them in this order, each once. */
const UNIT_ORDER = ['w', 'd', 'h', 'm', 's', 'ms'];
/** One part of a compound; sticky, so parts are read one after another with no backtracking. */
const PART_RE = /(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)\s*/y;

/** A duration: milliseconds as a number, or a string such as `30s`. */
export type Duration = number | string;

/** True when `value` is a valid {@link Duration}. */
export function isDuration(value: unknown): value is Duration {
  return parseDurationOrUndefined(value) !== undefined;
}

/** Milliseconds of a {@link Duration}, or `undefined` when it is not one. */
export function parseDurationOrUndefined(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  let total = 0;
  let lastUnit = -1;
  PART_RE.lastIndex = 0;
  while (PART_RE.lastIndex < text.length) {
    const match = PART_RE.exec(text);
    if (!match) return undefined;
    const unit = UNIT_ORDER.indexOf(match[2]!);
    if (unit <= lastUnit) return undefined; // `30s1m`, `1m1m`: not a duration anyone meant
    lastUnit = unit;
    total += Number(match[1]) * UNIT_MS[match[2]!]!;
  }
  return Number.isFinite(total) ? Math.round(total) : undefined;
}

/**
 * Milliseconds of a {@link Duration}.
 * @throws TypeError naming the accepted forms when `value` is not a duration.
 */
export function parseDuration(value: unknown): number {
  const ms = parseDurationOrUndefined(value);
  if (ms === undefined) throw new TypeError(durationMessage(value));
  return ms;
}

/** The message used for a value that is not a duration. */
export function durationMessage(value: unknown): string {
  return `${JSON.stringify(value)} is not a duration; write a number of milliseconds or a string like "500ms", "30s", "2m", "1h", "2d", "1m30s"`;
}

/**
 * `90000` → `1m30s`: short human form for logs and progress output, which {@link parseDuration}
 * reads back. Below a second it counts milliseconds; above, whole seconds (rounded).
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  if (ms < 0) return `-${formatDuration(-ms)}`;
  if (Math.round(ms) < 1000) return `${Math.round(ms)}ms`;
  const parts: string[] = [];
  let rest = Math.round(ms / 1000);
  for (const [unit, size] of [['d', 86400], ['h', 3600], ['m', 60], ['s', 1]] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  return parts.join('');
}

/*
 * The same grammar at the type level, so a typed caller (the `workflow()` builder) gets `'30x'` as
 * a compile error. It reads a string literal character by character exactly as `PART_RE` does;
 * `duration.spec.ts` checks both against one list of examples.
 */
type Digit = '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9';
type Space = ' ' | '\t' | '\n' | '\r';
type TrimStart<S extends string> = S extends `${Space}${infer R}` ? TrimStart<R> : S;
type TrimEnd<S extends string> = S extends `${infer R}${Space}` ? TrimEnd<R> : S;
type Units = ['w', 'd', 'h', 'm', 's', 'ms'];
/** What follows `\d*`. */
type SkipDigits<S extends string> = S extends `${Digit}${infer R}` ? SkipDigits<R> : S;
/** What follows `\d+(?:\.\d+)?`, or `false` when `S` does not start with a digit. */
type SkipNumber<S extends string> = S extends `${Digit}${infer R}`
  ? SkipDigits<R> extends `.${Digit}${infer F}` ? SkipDigits<F> : SkipDigits<R>
  : false;
/** The units after `unit` in `allowed` (a compound names them from the largest down, each once), or `false`. */
type UnitsAfter<Unit extends string, Allowed extends string[]> = Allowed extends [infer H, ...infer T extends string[]]
  ? H extends Unit ? T : UnitsAfter<Unit, T>
  : false;
type ReadUnit<S extends string, Allowed extends string[]> = S extends `ms${infer R}`
  ? ReadRest<R, UnitsAfter<'ms', Allowed>>
  : S extends `${infer U extends 'w' | 'd' | 'h' | 'm' | 's'}${infer R}` ? ReadRest<R, UnitsAfter<U, Allowed>> : false;
type ReadRest<S extends string, Allowed> = Allowed extends string[] ? (TrimStart<S> extends '' ? true : ReadParts<TrimStart<S>, Allowed>) : false;
type ReadParts<S extends string, Allowed extends string[]> = SkipNumber<S> extends infer R extends string ? ReadUnit<TrimStart<R>, Allowed> : false;

/**
 * `true` when the string literal `S` is a duration {@link parseDuration} accepts, else `false`
 * (`IsDurationString<'1m30s'>` is `true`, `IsDurationString<'30x'>` and `IsDurationString<''>` are `false`).
 */
export type IsDurationString<S extends string> = TrimStart<TrimEnd<S>> extends infer T extends string
  ? T extends '' ? false : ReadParts<T, Units>
  : false;

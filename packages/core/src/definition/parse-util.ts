/** Small helpers shared by the definition parser: issue collection, key checks, did-you-mean, JSON checks. */
import type { DefinitionIssue } from '../errors.js';

/** Identifiers of steps and groups: letters, digits, `_`, `-`. */
export const ID_RE = /^[A-Za-z0-9_-]+$/;

/** Collects every issue found in a definition. */
export class IssueList {
  readonly items: DefinitionIssue[] = [];

  add(path: string, message: string): void {
    this.items.push({ path, message });
  }

  get size(): number {
    return this.items.length;
  }
}

/** True for `{...}` literals (and `Object.create(null)`), false for arrays, class instances, null. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Entries of an object whose value is not `undefined` (an `undefined` key counts as absent). */
export function definedEntries(obj: Record<string, unknown>): [string, unknown][] {
  return Object.entries(obj).filter(([, v]) => v !== undefined);
}

/** Optimal-string-alignment distance (Levenshtein plus adjacent transpositions), case-insensitive. */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  const d: number[][] = Array.from({ length: s.length + 1 }, (_, i) => [i, ...Array<number>(t.length).fill(0)]);
  for (let j = 0; j <= t.length; j++) d[0]![j] = j;
  for (let i = 1; i <= s.length; i++) {
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[s.length]![t.length]!;
}

/** The candidate closest to `word` within edit distance 2 (and shorter than the candidate itself), if any. */
export function suggest(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of candidates) {
    const distance = editDistance(word, candidate);
    if (distance < bestDistance && distance < candidate.length) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** `"a", "b", "c"` (at most `max` items, then `…`). */
export function quoteList(items: readonly string[], max = 20): string {
  const shown = items.slice(0, max).map((i) => JSON.stringify(i));
  return shown.join(', ') + (items.length > max ? `, … (${items.length - max} more)` : '');
}

/** Reports every key of `obj` not in `allowed`, at `prefix.key`, with a did-you-mean hint. */
export function checkKeys(obj: Record<string, unknown>, allowed: readonly string[], prefix: string, issues: IssueList): void {
  for (const [key] of definedEntries(obj)) {
    if (allowed.includes(key)) continue;
    const hint = suggest(key, allowed);
    issues.add(
      prefix ? `${prefix}.${key}` : key,
      hint ? `unknown key; did you mean "${hint}"?` : `unknown key; allowed keys: ${allowed.join(', ')}`,
    );
  }
}

/** Message for a reference to an unknown id, with a did-you-mean hint and the known ids. */
export function unknownRefMessage(kind: string, ref: string, known: readonly string[]): string {
  const hint = suggest(ref, known);
  return (
    `unknown ${kind} ${JSON.stringify(ref)}` +
    (hint ? `; did you mean ${JSON.stringify(hint)}?` : '') +
    (known.length ? `${hint ? ' Known' : '; known'}: ${quoteList(known)}` : '')
  );
}

/** Reports the first value inside `value` that is not JSON (functions, class instances, NaN, ...). */
export function checkJson(value: unknown, path: string, issues: IssueList): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return true;
    issues.add(path, `${String(value)} is not a JSON number; use a finite number`);
    return false;
  }
  if (Array.isArray(value)) return value.every((v, i) => checkJson(v, `${path}[${i}]`, issues));
  if (isPlainObject(value)) return definedEntries(value).every(([k, v]) => checkJson(v, `${path}.${k}`, issues));
  const kind = typeof value === 'object' ? (value.constructor?.name ?? 'object') : typeof value;
  issues.add(path, `a ${kind} is not JSON; definitions are stored as JSON, so use plain objects, arrays, strings, numbers, booleans and null`);
  return false;
}

/** A deep copy of JSON-checked data, dropping `undefined` object members. */
export function cloneJson<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v: unknown) => cloneJson(v)) as T;
  if (isPlainObject(value)) return Object.fromEntries(definedEntries(value).map(([k, v]) => [k, cloneJson(v)])) as T;
  return value;
}

/** The metric names a PromQL expression reads (enough PromQL for dashboards and alert rules). */

const KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'and', 'or', 'unless', 'bool', 'offset', 'inf', 'nan']);

/**
 * Metric names in `expr`: identifiers that are not functions (followed by `(`), keywords, label
 * names (inside `{}`, `by (...)` and friends), strings, ranges or numbers.
 */
export function metricNames(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""') // strings
    .replace(/\{[^}]*\}/g, ' ') // label matchers
    .replace(/\[[^\]]*\]/g, ' ') // ranges
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' '); // label lists
  const names = new Set<string>();
  for (const match of stripped.matchAll(/[A-Za-z_:][A-Za-z0-9_:]*/g)) {
    const name = match[0];
    const after = stripped.slice(match.index! + name.length).trimStart();
    if (after.startsWith('(')) continue; // a function call
    if (KEYWORDS.has(name.toLowerCase())) continue;
    if (/^\d/.test(name)) continue;
    names.add(name);
  }
  return [...names];
}

/** `workflow_x_bucket` → `workflow_x` for histograms; other names as they are. */
export function baseMetric(name: string, histograms: readonly string[]): string {
  for (const h of histograms) if (name === `${h}_bucket` || name === `${h}_sum` || name === `${h}_count`) return h;
  return name;
}

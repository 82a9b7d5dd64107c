/**
 * Making any text safe in Mermaid source: node ids (a small alphabet, never a keyword, unique) and
 * quoted labels (every character Mermaid or the HTML it renders would read as syntax becomes an
 * entity code, `#quot;`, `#35;`...).
 */

/**
 * Characters a quoted label may not hold as they are: the quote ends the string, `#` starts an
 * entity code, `<`/`>`/`&` are HTML once rendered, a backtick opens a Markdown string, `|` ends an
 * edge label, `%` may start a comment.
 */
const LABEL_ENTITIES: Readonly<Record<string, string>> = {
  '"': '#quot;',
  '#': '#35;',
  '&': '#amp;',
  '<': '#lt;',
  '>': '#gt;',
  '`': '#96;',
  '|': '#124;',
  '%': '#37;',
};

/**
 * Invisible or layout-changing characters: controls (C0 but tab and newlines, DEL, C1), bidi
 * marks, embeddings, overrides and isolates, line and paragraph separators, the BOM.
 */
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/;
/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/** Every character {@link escapeLabel} rewrites. */
const SPECIAL = new RegExp(`\\r\\n|[\\r\\n\\t"#&<>\`|%]|${INVISIBLE.source}|${LONE_SURROGATE.source}`, 'g');

/**
 * `text` as the inside of a quoted Mermaid label: syntax characters as entity codes, line breaks as
 * `<br/>`, tabs as a space, invisible characters as their code (visible in the source, harmless
 * when rendered), a lone surrogate as U+FFFD. Other Unicode stays as it is.
 */
export function escapeLabel(text: string): string {
  return text.replace(SPECIAL, (ch) => {
    if (ch === '\r\n' || ch === '\n' || ch === '\r') return '<br/>';
    if (ch === '\t') return ' ';
    const entity = LABEL_ENTITIES[ch];
    if (entity) return entity;
    if (LONE_SURROGATE.test(ch)) return '#65533;';
    return `#${ch.codePointAt(0)!};`;
  });
}

/** Lines of text as one quoted label (`"a<br/>b"`), each line escaped. */
export function quoted(lines: readonly string[]): string {
  return `"${lines.map(escapeLabel).join('<br/>')}"`;
}

/** `text` for a `%%` comment: one line, no directive. */
export function commentText(text: string): string {
  return text.replace(new RegExp(`[\\r\\n\\t{}]|${INVISIBLE.source}|${LONE_SURROGATE.source}`, 'g'), ' ');
}

/**
 * Hands out Mermaid node ids: `prefix` + the name with every character outside `[A-Za-z0-9_]`
 * replaced by `_`, made unique with `_2`, `_3`... The prefix keeps ids clear of keywords (`end`,
 * `subgraph`, `class`...) and of each other's kinds.
 */
export class MermaidIds {
  private readonly byKey = new Map<string, string>();
  private readonly used = new Set<string>();

  /** The id of `name` among its `prefix` kind (the same id every time it is asked). */
  id(prefix: string, name: string): string {
    const key = `${prefix}\u0000${name}`;
    const known = this.byKey.get(key);
    if (known) return known;
    const base = `${prefix}_${name.replace(/[^A-Za-z0-9_]/g, '_')}`;
    let candidate = base;
    for (let n = 2; this.used.has(candidate); n++) candidate = `${base}_${n}`;
    this.used.add(candidate);
    this.byKey.set(key, candidate);
    return candidate;
  }
}

/**
 * A strict reader of the Mermaid flowchart subset `toMermaid` writes, for tests: every line must be
 * one of its statement forms (the `mermaid` package needs a browser), every label a quoted string
 * with nothing Mermaid would read as syntax, every reference defined. Throws naming the line.
 */

export interface FlowNode {
  shape: 'rect' | 'round' | 'stadium' | 'flag' | 'circle';
  /** The label as rendered: entity codes decoded, `<br/>` as newlines. */
  label: string;
  /** The subgraph it is declared in, if any. */
  subgraph?: string;
}

export interface FlowEdge {
  from: string;
  to: string;
  arrow: '-->' | '==>' | '-.->';
  label?: string;
  line: string;
}

export interface Flowchart {
  direction: string;
  nodes: Map<string, FlowNode>;
  subgraphs: Map<string, { title: string; members: string[] }>;
  edges: FlowEdge[];
  classDefs: Map<string, string>;
  /** Classes of each node or subgraph, in declaration order. */
  classes: Map<string, string[]>;
  /** Indexes of the edges a `linkStyle` styles. */
  styledEdges: number[];
  comments: string[];
}

const ID = '[A-Za-z][A-Za-z0-9_]*';
/** A quoted label: no quote, no raw `#` outside an entity code, no raw `<`, `>`, `&`, backtick, `|`, `%`, no newline. */
const STR = '"((?:[^"#<>&`|%\\n\\r]|#[A-Za-z0-9]+;|<br/>)*)"';
const KEYWORDS = new Set(['end', 'subgraph', 'graph', 'flowchart', 'class', 'classDef', 'click', 'style', 'linkStyle', 'direction', 'default', 'call', 'href']);
const SHAPES: Array<[FlowNode['shape'], RegExp]> = [
  ['circle', new RegExp(`^(${ID})\\(\\(${STR}\\)\\)$`)],
  ['stadium', new RegExp(`^(${ID})\\(\\[${STR}\\]\\)$`)],
  ['round', new RegExp(`^(${ID})\\(${STR}\\)$`)],
  ['flag', new RegExp(`^(${ID})>${STR}\\]$`)],
  ['rect', new RegExp(`^(${ID})\\[${STR}\\]$`)],
];
const EDGE = new RegExp(`^(${ID}) (-->|==>|-\\.->)(?:\\|${STR}\\|)? (${ID})$`);
const SUBGRAPH = new RegExp(`^subgraph (${ID}) \\[${STR}\\]$`);
const NAMED: Record<string, string> = { quot: '"', amp: '&', lt: '<', gt: '>' };
// Mermaid's own handling of control characters is undefined: the text must carry none.
// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/;

/** A label as Mermaid renders it. */
export function decodeLabel(text: string): string {
  return text.replace(/<br\/>/g, '\n').replace(/#([A-Za-z0-9]+);/g, (all, code: string) => {
    if (/^\d+$/.test(code)) return String.fromCodePoint(Number(code));
    const named = NAMED[code];
    if (named === undefined) throw new Error(`unknown entity code ${all}`);
    return named;
  });
}

/** Read `text`; throws on the first line that is not one of the forms, or on a dangling reference. */
export function parseFlowchart(text: string): Flowchart {
  if (!text.endsWith('\n')) throw new Error('the text must end with a newline');
  if (RAW_CONTROL.test(text)) throw new Error(`raw control or bidi character U+${text.match(RAW_CONTROL)![0].codePointAt(0)!.toString(16)}`);
  const lines = text.slice(0, -1).split('\n');
  const header = /^flowchart (TD|LR)$/.exec(lines[0] ?? '');
  if (!header) throw new Error(`line 1 must be "flowchart TD" or "flowchart LR": ${lines[0]}`);
  const chart: Flowchart = { direction: header[1]!, nodes: new Map(), subgraphs: new Map(), edges: [], classDefs: new Map(), classes: new Map(), styledEdges: [], comments: [] };
  let open: string | undefined;
  const declare = (id: string, where: string): void => {
    if (KEYWORDS.has(id)) throw new Error(`${where}: id "${id}" is a Mermaid keyword`);
    if (chart.nodes.has(id) || chart.subgraphs.has(id)) throw new Error(`${where}: id "${id}" declared twice`);
  };

  lines.slice(1).forEach((raw, i) => {
    const where = `line ${i + 2} (${raw})`;
    if (!raw.startsWith('  ')) throw new Error(`${where}: statements are indented`);
    const line = raw.trim();
    let m: RegExpExecArray | null;
    if (line.startsWith('%%')) {
      if (line.startsWith('%%{')) throw new Error(`${where}: a directive`);
      chart.comments.push(line.slice(2).trim());
      return;
    }
    if ((m = SUBGRAPH.exec(line))) {
      if (open) throw new Error(`${where}: nested subgraph`);
      declare(m[1]!, where);
      open = m[1]!;
      chart.subgraphs.set(open, { title: decodeLabel(m[2]!), members: [] });
      return;
    }
    if (line === 'end') {
      if (!open) throw new Error(`${where}: "end" without a subgraph`);
      open = undefined;
      return;
    }
    for (const [shape, re] of SHAPES) {
      if ((m = re.exec(line))) {
        declare(m[1]!, where);
        chart.nodes.set(m[1]!, { shape, label: decodeLabel(m[2]!), ...(open ? { subgraph: open } : {}) });
        if (open) chart.subgraphs.get(open)!.members.push(m[1]!);
        return;
      }
    }
    if (open) throw new Error(`${where}: only node declarations inside a subgraph`);
    if ((m = EDGE.exec(line))) {
      chart.edges.push({ from: m[1]!, arrow: m[2] as FlowEdge['arrow'], ...(m[3] !== undefined ? { label: decodeLabel(m[3]) } : {}), to: m[4]!, line });
      return;
    }
    if ((m = /^classDef ([a-z]+) ([a-z-]+:[^,;\s]+(?: [^,;\s]+)*(?:,[a-z-]+:[^,;\s]+(?: [^,;\s]+)*)*)$/.exec(line))) {
      chart.classDefs.set(m[1]!, m[2]!);
      return;
    }
    if ((m = new RegExp(`^class (${ID}) ([a-z]+)$`).exec(line))) {
      chart.classes.set(m[1]!, [...(chart.classes.get(m[1]!) ?? []), m[2]!]);
      return;
    }
    if ((m = /^linkStyle (\d+(?:,\d+)*) ([a-z-]+:[^,;\s]+(?:,[a-z-]+:[^,;\s]+)*)$/.exec(line))) {
      chart.styledEdges.push(...m[1]!.split(',').map(Number));
      return;
    }
    throw new Error(`${where}: not a statement toMermaid writes`);
  });

  if (open) throw new Error(`subgraph ${open} is not closed`);
  const known = (id: string): boolean => chart.nodes.has(id) || chart.subgraphs.has(id);
  for (const e of chart.edges) if (!known(e.from) || !known(e.to)) throw new Error(`edge to an undeclared node: ${e.line}`);
  for (const [id, classes] of chart.classes) {
    if (!known(id)) throw new Error(`class on an undeclared node: ${id}`);
    for (const c of classes) if (!chart.classDefs.has(c)) throw new Error(`class ${c} of ${id} has no classDef`);
  }
  for (const i of chart.styledEdges) if (i >= chart.edges.length) throw new Error(`linkStyle ${i}: there are ${chart.edges.length} edges`);
  return chart;
}

/** The edge `from → to` (by node id), or undefined. */
export function edgeOf(chart: Flowchart, from: string, to: string, arrow?: FlowEdge['arrow']): FlowEdge | undefined {
  return chart.edges.find((e) => e.from === from && e.to === to && (arrow === undefined || e.arrow === arrow));
}

/** Edges `linkStyle` marks as taken, as `from → to` strings. */
export function takenEdges(chart: Flowchart): string[] {
  return chart.styledEdges.map((i) => `${chart.edges[i]!.from} → ${chart.edges[i]!.to}`);
}

import { describe, expect, it } from '@jest/globals';
import { compileExpression } from '../expression/expression-compiler.js';
import type { InstanceRecord } from '../model/instance.types.js';
import { decodeLabel, parseFlowchart } from '../../test/support/mermaid-syntax.js';
import { parseDefinition } from './definition-parser.js';
import type { StepDefinition, TransitionDefinition, WorkflowDefinition } from './definition.types.js';
import { toMermaid } from './mermaid.js';
import { escapeLabel } from './mermaid-text.js';

const HOSTILE_TEXT = [
  'say "hi"',
  'a]) --> evil[("x',
  '#quot; #35; ## #',
  '<b>bold</b> <img src=x onerror=alert(1)> &amp; &',
  '`markdown` **x**',
  'pipe | and %% comment %%{init: {"theme":"dark"}}%%',
  'line one\nline two\r\nline three\rfour',
  'tab\there',
  'ünïcödé ✓ 日本語 🚀 مرحبا',
  'bell\u0007 nul\u0000 del\u007f c1\u0085',
  'bidi \u202eevil\u202c \u2066iso\u2069 \u200f',
  'separators \u2028 \u2029 bom\ufeff',
  'lone \ud800 surrogate \udc00',
  'click s_a call alert(1)',
  'end',
  'classDef x fill:red; style wm_start fill:red',
];

/** A compiled step; the parser would refuse most of these ids, but a definition object can hold anything. */
const step = (action: string, extra: Partial<StepDefinition> = {}): StepDefinition => ({ id: '', action, config: {}, conditions: [], async: false, ...extra });
const transition = (from: string, to: string, index: number, condition?: string): TransitionDefinition => ({
  from,
  to,
  join: 'all',
  index,
  ...(condition ? { condition: compileExpression(condition) } : {}),
});

/** Step ids, group name and texts no parser would accept, in a hand-built definition. */
function handBuilt(): WorkflowDefinition {
  const ids = ['end', 'a-b', 'a_b', 'a b', 'x"]; click x call alert(1) %%', '日本語', 'subgraph', '', 'wm_start'];
  const steps: Record<string, StepDefinition> = {};
  ids.forEach((id, i) => (steps[id] = step(HOSTILE_TEXT[i % HOSTILE_TEXT.length]!, { id, ...(i % 3 === 0 ? { compensation: HOSTILE_TEXT[(i + 5) % HOSTILE_TEXT.length]! } : {}) })));
  steps['a b']!.assignedTo = HOSTILE_TEXT[6]!;
  steps['日本語']!.async = true;
  const group = 'class "g" ]';
  const outgoing: Record<string, TransitionDefinition[]> = Object.fromEntries([...ids, group].map((id) => [id, []]));
  outgoing.end = [transition('end', 'a-b', 0, 'x == "|]"'), transition('end', group, 1)];
  outgoing[group] = [transition(group, '日本語', 2)];
  outgoing['日本語'] = [transition('日本語', 'x"]; click x call alert(1) %%', 3, 'name == "a\\"b#c;<d>"')];
  return {
    name: 'hostile',
    version: '1',
    source: { name: 'hostile', steps: {} },
    steps,
    groups: { [group]: ['a_b', 'subgraph'] },
    groupOf: { a_b: group, subgraph: group },
    outgoing,
    start: 'end',
    onFailure: 'fail',
    notificationChannels: [],
  };
}

describe('toMermaid: hostile names and labels', () => {
  it('escapes every syntax character of a label, and decodes back to the text', () => {
    for (const text of HOSTILE_TEXT) {
      const escaped = escapeLabel(text).replace(/<br\/>/g, '');
      expect({ text, escaped }).toEqual({ text, escaped: expect.not.stringMatching(/["`|%<>&\n\r\t]|#(?![A-Za-z0-9]+;)/) });
      expect({ text, escaped }).toEqual({ text, escaped: expect.not.stringMatching(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/) });
    }
    // What Mermaid renders is the text, line breaks normalized, tabs as spaces, lone surrogates replaced.
    for (const text of HOSTILE_TEXT) {
      const rendered = text.replace(/\r\n?/g, '\n').replace(/\t/g, ' ').replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
      expect(decodeLabel(escapeLabel(text))).toBe(rendered);
    }
    // <br/> is the only markup left; line breaks of any kind become it.
    expect(escapeLabel('a\nb\r\nc\rd')).toBe('a<br/>b<br/>c<br/>d');
    expect(escapeLabel('"#<>&`|%')).toBe('#quot;#35;#lt;#gt;#amp;#96;#124;#37;');
    expect(escapeLabel('ünïcödé ✓ 日本語 🚀')).toBe('ünïcödé ✓ 日本語 🚀');
    expect(escapeLabel('a\u202eb\u0007c')).toBe('a#8238;b#7;c');
    expect(escapeLabel('x\ud800y')).toBe('x#65533;y');
  });

  it('hostile actions, assignees and conditions through the parser: one valid line per statement, labels intact', () => {
    const def = parseDefinition({
      name: 'hostile_labels',
      steps: {
        first: { action: HOSTILE_TEXT[0], compensation: HOSTILE_TEXT[1] },
        second: { action: HOSTILE_TEXT[3], assigned_to: HOSTILE_TEXT[6], conditions: ['note == "]) --> x; %% #quot; `y` |z|"'] },
        third: { action: HOSTILE_TEXT[8], async: true },
        end: { action: HOSTILE_TEXT[9] },
      },
      transitions: [
        { from: 'first', to: 'second', condition: 'a == "\\"]"' },
        { from: 'first', to: 'third' },
        { from: 'second', to: 'end', condition: 'x < 1 && y > 2' },
      ],
    });
    const text = toMermaid(def);
    const chart = parseFlowchart(text);
    expect(chart.nodes.get('s_first')!.label).toBe(`first\naction: ${HOSTILE_TEXT[0]}`);
    expect(chart.nodes.get('c_first')!.label).toBe(`compensation: ${HOSTILE_TEXT[1]}`);
    expect(chart.nodes.get('s_second')!.label).toBe(`second\naction: ${HOSTILE_TEXT[3]}\nhuman task: line one\nline two\nline three\nfour\nguard: note == "]) --> x; %% #quot; \`y\` |z|"`);
    expect(chart.nodes.get('s_third')!.label).toBe(`third\naction: ${HOSTILE_TEXT[8]}\nasync: routes on without waiting`);
    expect(chart.nodes.get('s_end')!.label).toBe(`end\naction: ${HOSTILE_TEXT[9]}`);
    expect(chart.edges.find((e) => e.to === 's_second')!.label).toBe('a == "\\"]"');
    expect(chart.edges.find((e) => e.to === 's_third')!.label).toBe('otherwise');
    expect(chart.edges.find((e) => e.to === 's_end')!.label).toBe('x < 1 && y > 2');
  });

  it('ids that are keywords, collide once sanitized, or hold quotes, spaces and Unicode become distinct safe ids', () => {
    const def = handBuilt();
    const chart = parseFlowchart(toMermaid(def));
    const stepNodes = [...chart.nodes.entries()].filter(([id]) => id.startsWith('s_'));
    expect(stepNodes).toHaveLength(Object.keys(def.steps).length);
    for (const [id] of chart.nodes) expect(id).toMatch(/^[A-Za-z][A-Za-z0-9_]*$/);
    // Each step is found by the first line of its label, and each label is its own.
    expect(stepNodes.map(([, n]) => n.label.split('\n')[0]).sort()).toEqual(Object.keys(def.steps).sort());
    const byStep = new Map(stepNodes.map(([id, n]) => [n.label.split('\n')[0]!, id]));
    expect(byStep.get('a-b')).not.toBe(byStep.get('a_b'));
    expect(byStep.get('wm_start')).not.toBe('wm_start');
    const [groupId, group] = [...chart.subgraphs.entries()][0]!;
    expect(group).toEqual({ title: 'class "g" ]: parallel', members: [byStep.get('a_b'), byStep.get('subgraph')] });
    expect(chart.edges.map((e) => [e.from, e.to, e.label])).toEqual(
      expect.arrayContaining([
        ['wm_start', byStep.get('end'), undefined],
        [byStep.get('end'), byStep.get('a-b'), 'x == "|]"'],
        [byStep.get('end'), groupId, 'otherwise'],
        [groupId, byStep.get('日本語'), 'join: all'],
        [byStep.get('日本語'), byStep.get('x"]; click x call alert(1) %%'), 'name == "a\\"b#c;<d>"'],
      ]),
    );
  });

  it('an instance with hostile ids and state is marked, its comment kept to one line', () => {
    const def = handBuilt();
    const inst = {
      id: 'inst\n%%{init: {"theme":"dark"}}%%\nclick',
      definitionName: 'hostile',
      definitionVersion: '1',
      state: 'RUNNING',
      steps: { end: { status: 'COMPLETED', attempt: 1, run: 1, scheduledAt: 0 }, 'a-b': { status: 'SCHEDULED', attempt: 1, run: 1, scheduledAt: 0 } },
    } as unknown as InstanceRecord;
    const text = toMermaid(def, { instance: inst });
    const chart = parseFlowchart(text);
    expect(chart.comments[1]).toBe('instance inst %% init:  "theme":"dark"  %% click: RUNNING');
    const classesOf = (label: string) => [...chart.nodes.entries()].filter(([, n]) => n.label.startsWith(`${label}\n`)).map(([id]) => chart.classes.get(id))[0];
    expect(classesOf('end')).toEqual(['completed']);
    expect(classesOf('a-b')).toEqual(['current']);
  });

  it('the syntax checker itself refuses what Mermaid would misread', () => {
    const ok = 'flowchart TD\n  s_a["a"]\n  s_b["b"]\n  s_a -->|"x"| s_b\n';
    expect(() => parseFlowchart(ok)).not.toThrow();
    expect(() => parseFlowchart(ok.replace('"a"', '"a"b"'))).toThrow('not a statement');
    expect(() => parseFlowchart(ok.replace('"a"', '"a#b"'))).toThrow('not a statement');
    expect(() => parseFlowchart(ok.replace('"x"', '"x|y"'))).toThrow('not a statement');
    expect(() => parseFlowchart(ok.replace('s_b["b"]', 'end["b"]'))).toThrow('keyword');
    expect(() => parseFlowchart(ok.replace('-->|"x"| s_b', '-->|"x"| s_c'))).toThrow('undeclared');
    expect(() => parseFlowchart(`${ok}  linkStyle 1 stroke:red\n`)).toThrow('there are 1 edges');
    expect(() => parseFlowchart(ok.replace('"b"', '"b\u202e"'))).toThrow('bidi');
  });
});

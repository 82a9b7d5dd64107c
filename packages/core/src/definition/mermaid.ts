/**
 * {@link toMermaid}: a definition as a Mermaid flowchart (every step with its action, guards,
 * human and async steps, conditional and `on_timeout` transitions, parallel groups and their
 * join, compensations), and with an instance the path it took and where it stands.
 */
import { ErrorCode, WorkflowError } from '../errors.js';
import type { HistoryEvent, InstanceRecord } from '../model/instance.types.js';
import type { StepDefinition, TransitionDefinition, WorkflowDefinition } from './definition.types.js';
import { allTransitions, instancePath, STATUS_CLASSES, type InstancePath } from './mermaid-path.js';
import { commentText, MermaidIds, quoted } from './mermaid-text.js';

/** Options of {@link toMermaid}. */
export interface MermaidOptions {
  /**
   * An instance of the definition: its steps are classed by status (`completed`, `failed`,
   * `skipped`, `cancelled`, `timedout`, `compensated`, and `current` for a step scheduled,
   * waiting, waiting to retry or with an open task) and the transitions it took are drawn thick.
   */
  instance?: InstanceRecord;
  /** The instance's history, for the exact transitions taken (else they are read from its step records). */
  history?: readonly HistoryEvent[];
  /** Layout: top-down or left-right. @defaultValue `TD` */
  direction?: 'TD' | 'LR';
}

/** Styles of the classes a diagram uses (only the used ones are declared). */
const CLASS_STYLES: Readonly<Record<string, string>> = {
  start: 'fill:#424242,stroke:#424242,color:#ffffff',
  human: 'fill:#e3f2fd,stroke:#1565c0',
  async: 'fill:#f3e5f5,stroke:#6a1b9a,stroke-dasharray:4 2',
  compensation: 'fill:#fff3e0,stroke:#e65100,stroke-dasharray:3 3',
  completed: 'fill:#c8e6c9,stroke:#2e7d32',
  skipped: 'fill:#eeeeee,stroke:#9e9e9e,color:#757575',
  cancelled: 'fill:#eeeeee,stroke:#616161,stroke-dasharray:2 2',
  timedout: 'fill:#ffe0b2,stroke:#ef6c00',
  failed: 'fill:#ffcdd2,stroke:#c62828',
  compensated: 'fill:#e1bee7,stroke:#6a1b9a',
  current: 'fill:#fff59d,stroke:#f9a825,stroke-width:3px',
};
const CLASS_ORDER = ['start', 'human', 'async', 'compensation', ...STATUS_CLASSES];
const TAKEN_STYLE = 'stroke:#2e7d32,stroke-width:3px';
const START_ID = 'wm_start';

interface Edge {
  from: string;
  to: string;
  arrow: '-->' | '==>' | '-.->';
  label?: string[];
  taken: boolean;
}

/** The lines of a step's label: id, action, then what makes it special. */
function stepLabel(id: string, step: StepDefinition): string[] {
  const lines = [id, `action: ${step.action}`];
  if (step.assignedTo !== undefined) lines.push(`human task: ${step.assignedTo}`);
  if (step.async) lines.push('async: routes on without waiting');
  for (const guard of step.conditions) lines.push(`guard: ${guard.source}`);
  return lines;
}

/** `id["label"]` in the step's shape: stadium for a human task, flag for async, else a rectangle. */
function stepNode(nodeId: string, step: StepDefinition, label: string): string {
  if (step.assignedTo !== undefined) return `${nodeId}([${label}])`;
  if (step.async) return `${nodeId}>${label}]`;
  return `${nodeId}[${label}]`;
}

/** The label of a transition: join (leaving a group), timeout, condition, or `otherwise` beside conditional siblings. */
function transitionLabel(def: WorkflowDefinition, t: TransitionDefinition): string[] | undefined {
  const lines: string[] = [];
  if (def.groups[t.from]) lines.push(`join: ${t.join}`);
  if (t.onTimeout) lines.push('on timeout');
  if (t.condition) lines.push(t.condition.source);
  else if (!t.onTimeout && def.outgoing[t.from]?.some((o) => o.condition && !o.onTimeout)) lines.push('otherwise');
  return lines.length ? lines : undefined;
}

function checkArguments(def: WorkflowDefinition, options: MermaidOptions): void {
  const compiled = def && typeof def === 'object' && typeof def.steps === 'object' && typeof def.outgoing === 'object' && typeof def.groups === 'object';
  if (!compiled) {
    throw new WorkflowError(
      ErrorCode.InputInvalid,
      'toMermaid(definition): pass a compiled definition, from parseDefinition(input), engine.getDefinition(name) or await engine.loadDefinition(name, version)',
    );
  }
  const { direction, instance, history } = options;
  if (direction !== undefined && direction !== 'TD' && direction !== 'LR') {
    throw new WorkflowError(ErrorCode.InputInvalid, `toMermaid: options.direction must be "TD" or "LR"; got ${JSON.stringify(direction)}`);
  }
  if (history !== undefined && !Array.isArray(history)) throw new WorkflowError(ErrorCode.InputInvalid, 'toMermaid: options.history must be the array engine.getHistory(id) returns');
  if (history !== undefined && instance === undefined) {
    throw new WorkflowError(ErrorCode.InputInvalid, 'toMermaid: options.history marks the path of an instance; pass options.instance (engine.getInstance(id)) with it');
  }
  if (instance !== undefined && instance.definitionName !== def.name) {
    throw new WorkflowError(
      ErrorCode.InputInvalid,
      `toMermaid: instance ${instance.id} runs on "${instance.definitionName}@${instance.definitionVersion}", not on "${def.name}"; draw it with the definition it runs on (engine.loadDefinition(instance.definitionName, instance.definitionVersion))`,
    );
  }
}

/**
 * The definition as a Mermaid `flowchart`: paste it in a ```` ```mermaid ```` block (GitHub,
 * GitLab, docs sites) or in mermaid.live.
 *
 * - Steps are labelled with their id, action, human task assignee, `async` and guards; human
 *   tasks are stadiums (class `human`), async steps flags (class `async`).
 * - Transitions carry their condition (`otherwise` for a default beside conditional ones);
 *   `on_timeout` routes are thick and labelled `on timeout`.
 * - A parallel group is a subgraph; the transitions leaving it carry its join (`join: all`, `any`, N).
 * - A compensation is a dashed node (class `compensation`) linked from its step by a dashed `undo` edge.
 * - With `options.instance`, steps get status classes and the transitions taken are drawn thick
 *   and green (`linkStyle`); with `options.history` too, exactly the transitions the history shows.
 *
 * Node ids are derived from step and group names (prefixed, reduced to `[A-Za-z0-9_]`, made
 * unique); every label is quoted with Mermaid's entity codes for quotes, `#`, `<`, `>` and the like.
 * @throws WorkflowError `WF_INPUT_INVALID` for something else than a compiled definition, a bad
 * `direction`, a `history` without its `instance`, or an instance of another definition.
 */
export function toMermaid(definition: WorkflowDefinition, options: MermaidOptions = {}): string {
  checkArguments(definition, options);
  const def = definition;
  const ids = new MermaidIds();
  const nodeOf = (name: string): string => (def.groups[name] ? ids.id('g', name) : ids.id('s', name));
  const path: InstancePath | undefined = options.instance ? instancePath(def, options.instance, options.history) : undefined;
  const used = new Set<string>(['start']);
  const classed: Array<[string, string]> = [];
  const addClass = (nodeId: string, cls: string): void => {
    used.add(cls);
    classed.push([nodeId, cls]);
  };

  const lines = [`flowchart ${options.direction ?? 'TD'}`, `  %% ${commentText(`${def.name}@${def.version}`)}`];
  if (options.instance) lines.push(`  %% instance ${commentText(options.instance.id)}: ${commentText(String(options.instance.state))}`);
  lines.push(`  ${START_ID}(("start"))`);
  classed.push([START_ID, 'start']);

  const stepLine = (id: string, indent: string): string => {
    const step = def.steps[id]!;
    const nodeId = nodeOf(id);
    if (step.assignedTo !== undefined) addClass(nodeId, 'human');
    else if (step.async) addClass(nodeId, 'async');
    const status = path?.steps.get(id);
    if (status) addClass(nodeId, status);
    return `${indent}${stepNode(nodeId, step, quoted(stepLabel(id, step)))}`;
  };
  for (const id of Object.keys(def.steps)) if (!def.groupOf[id]) lines.push(stepLine(id, '  '));
  for (const [group, members] of Object.entries(def.groups)) {
    lines.push(`  subgraph ${nodeOf(group)} [${quoted([`${group}: parallel`])}]`);
    for (const id of members) if (def.steps[id]) lines.push(stepLine(id, '    '));
    lines.push('  end');
  }

  const edges: Edge[] = [{ from: START_ID, to: nodeOf(def.start), arrow: '-->', taken: path?.started ?? false }];
  for (const t of allTransitions(def)) {
    const label = transitionLabel(def, t);
    edges.push({ from: nodeOf(t.from), to: nodeOf(t.to), arrow: t.onTimeout ? '==>' : '-->', ...(label ? { label } : {}), taken: path?.taken.has(t) ?? false });
  }
  for (const [id, step] of Object.entries(def.steps)) {
    if (step.compensation === undefined) continue;
    const compId = ids.id('c', id);
    lines.push(`  ${compId}(${quoted([`compensation: ${step.compensation}`])})`);
    addClass(compId, 'compensation');
    const status = path?.compensations.get(id);
    if (status) addClass(compId, status);
    edges.push({ from: nodeOf(id), to: compId, arrow: '-.->', label: ['undo'], taken: status !== undefined && status !== 'current' });
  }

  for (const e of edges) lines.push(`  ${e.from} ${e.arrow}${e.label ? `|${quoted(e.label)}|` : ''} ${e.to}`);
  for (const cls of CLASS_ORDER) if (used.has(cls)) lines.push(`  classDef ${cls} ${CLASS_STYLES[cls]}`);
  for (const [nodeId, cls] of classed) lines.push(`  class ${nodeId} ${cls}`);
  const taken = edges.flatMap((e, i) => (e.taken ? [i] : []));
  if (taken.length) lines.push(`  linkStyle ${taken.join(',')} ${TAKEN_STYLE}`);
  return `${lines.join('\n')}\n`;
}

/**
 * Draws a definition as SVG (layout from graph-layout.js): steps as boxes, parallel groups framed,
 * transitions as arrows labelled with their conditions, compensations and guards inside the box.
 * Given an instance's `steps`, each box is coloured by the step's status in that run and the
 * transitions it took are drawn bold.
 */
import { h, s } from './dom.js';
import { estimateWidth, fit, layoutDefinition, normalizeGroups, SIZES } from './graph-layout.js';

const FONTS = {
  group: '700 11px system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif',
  title: '700 12.5px system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif',
  guard: '10.5px ui-monospace, Menlo, Consolas, "DejaVu Sans Mono", monospace',
  label: '11px ui-monospace, Menlo, Consolas, "DejaVu Sans Mono", monospace',
  compensation: '600 11px system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif',
  other: '11px system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif',
};

let canvas;
/** Text width with the fonts styles.css gives the graph (a canvas measures; else the estimate). */
function measure(text, kind) {
  canvas ??= document.createElement('canvas').getContext('2d');
  if (!canvas) return estimateWidth(text, kind);
  canvas.font = FONTS[kind] ?? FONTS.other;
  // Group labels are uppercase with .03em letter spacing (styles.css). A little slack: SVG text and canvas may round differently.
  const width = kind === 'group' ? canvas.measureText(text.toUpperCase()).width + text.length * 0.33 : canvas.measureText(text).width;
  return width * 1.03 + 1;
}

/** Status labels, as the legend and the boxes show them. */
export const STEP_STATUSES = ['SCHEDULED', 'RETRY_WAIT', 'WAITING', 'COMPLETED', 'FAILED', 'TIMED_OUT', 'SKIPPED', 'CANCELLED'];

const DONE = new Set(['COMPLETED', 'SKIPPED']);

/** Whether a run went from `from` to `to` (each a step or a group; `groups` as normalizeGroups gives them). */
function taken(groups, runSteps, from, to) {
  const members = (id) => groups[id] ?? [id];
  const fromDone = members(from).every((m) => DONE.has(runSteps[m]?.status)) && members(from).some((m) => runSteps[m]?.status === 'COMPLETED');
  const toReached = members(to).some((m) => runSteps[m] !== undefined && runSteps[m].status !== 'SKIPPED') || members(to).every((m) => runSteps[m]?.status === 'SKIPPED');
  return fromDone && toReached;
}

/**
 * The SVG of `definition`; with `runSteps` (an instance's `steps`), coloured by status.
 * Each box carries `data-step` and `data-status` (for tests and styling).
 */
export function renderGraph(definition, runSteps) {
  const layout = layoutDefinition(definition, measure);
  const svg = s('svg', {
    class: 'graph',
    viewBox: `0 0 ${layout.width} ${layout.height}`,
    width: layout.width,
    height: layout.height,
    role: 'img',
    'aria-label': `Graph of ${definition.name ?? 'the definition'}`,
    'data-definition': definition.name,
  });
  // Shrinks to fit its card, but not below 75% (text stays legible): past that the container scrolls.
  svg.style.minWidth = `${Math.round(layout.width * 0.75)}px`;
  svg.append(
    s('defs', {},
      s('marker', { id: 'wm-arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' }, s('path', { d: 'M0,0 L10,5 L0,10 z', class: 'arrow' })),
      s('marker', { id: 'wm-arrow-taken', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' }, s('path', { d: 'M0,0 L10,5 L0,10 z', class: 'arrow-taken' })),
    ),
  );

  for (const g of layout.groups) {
    const groupStatuses = g.members.map((m) => runSteps?.[m]?.status).filter(Boolean);
    svg.append(
      s('g', { class: 'group', 'data-group': g.id },
        s('rect', { x: g.x, y: g.y, width: g.w, height: g.h, rx: 10 }),
        s('text', { x: g.x + 10, y: g.y + 15, class: 'group-label' }, fit(`parallel: ${g.id}`, g.w - 20, 'group', measure)),
        s('title', {}, `Parallel group ${g.id}: ${g.members.join(', ')}${groupStatuses.length ? ` (${groupStatuses.join(', ')})` : ''}`),
      ),
    );
  }

  if (layout.start) {
    const run = runSteps !== undefined;
    svg.append(s('g', { class: ['start', run ? 'taken' : ''] }, ...layout.start.targets.map((t) => s('path', { d: t.path, class: 'edge-line', 'marker-end': `url(#${run ? 'wm-arrow-taken' : 'wm-arrow'})` })), s('circle', { cx: layout.start.x, cy: layout.start.y, r: 7 }), s('title', {}, 'start')));
  }

  const groups = runSteps ? normalizeGroups(definition.parallel_groups) : undefined;
  for (const e of layout.edges) {
    const isTaken = runSteps ? taken(groups, runSteps, e.from, e.to) : false;
    const group = s('g', { class: ['edge', isTaken ? 'taken' : '', e.back ? 'back' : '', e.onTimeout ? 'timeout' : '', e.condition ? 'conditional' : ''], 'data-from': e.from, 'data-to': e.to });
    group.append(s('path', { d: e.path, class: 'edge-line', 'marker-end': `url(#${isTaken ? 'wm-arrow-taken' : 'wm-arrow'})` }));
    if (e.label) {
      const text = fit(e.label, e.labelWidth - 12, 'label', measure);
      const w = e.labelWidth;
      const hh = SIZES.labelHeight;
      group.append(s('rect', { class: 'edge-label-bg', x: e.labelX - w / 2, y: e.labelY - hh / 2, width: w, height: hh, rx: 4 }), s('text', { class: 'edge-label', x: e.labelX, y: e.labelY + 4, 'text-anchor': 'middle' }, text));
    }
    group.append(s('title', {}, `${e.from} → ${e.to}${e.label ? ` when ${e.label}` : ''}`));
    svg.append(group);
  }

  for (const n of layout.nodes) {
    const rec = runSteps?.[n.id];
    const status = rec?.status ?? (runSteps ? 'NOT_REACHED' : 'DEFINED');
    const cls = ['node', `status-${status.toLowerCase().replace(/_/g, '-')}`, n.missing ? 'missing' : '', n.step?.assigned_to ? 'human' : ''];
    const g = s('g', { class: cls, 'data-step': n.id, 'data-status': status });
    g.append(s('rect', { x: n.x, y: n.y, width: n.w, height: n.h, rx: 7 }));
    let y = n.y + SIZES.nodePad + 11;
    for (const line of n.lines) {
      g.append(s('text', { x: n.x + SIZES.textPad, y, class: `line-${line.kind}` }, fit(line.text, n.w - SIZES.textPad * 2, line.kind, measure)));
      y += SIZES.lineHeight;
    }
    if (runSteps) {
      // The status sits on the box's top border, as a pill, clear of the title.
      const label = rec ? `${status.replace(/_/g, ' ')}${rec.attempt > 1 ? ` ×${rec.attempt}` : ''}` : 'not reached';
      const pw = label.length * 6.4 + 12;
      g.append(
        s('rect', { class: 'status-pill', x: n.x + n.w - pw - 8, y: n.y - 8, width: pw, height: 15, rx: 7.5 }),
        s('text', { x: n.x + n.w - 8 - pw / 2, y: n.y + 3, class: 'status-label', 'text-anchor': 'middle' }, label),
      );
      if (rec?.compensation) g.append(s('text', { x: n.x + n.w - 8, y: n.y + n.h - 6, class: `compensation-status comp-${rec.compensation.status.toLowerCase()}`, 'text-anchor': 'end' }, `undo ${rec.compensation.status.toLowerCase()}`));
    }
    const details = [n.id, ...n.lines.slice(1).map((l) => l.text), rec ? `status: ${status}, attempt ${rec.attempt}` : '', rec?.error ? `error: ${rec.error.message}` : ''].filter(Boolean);
    g.append(s('title', {}, details.join('\n')));
    svg.append(g);
  }
  return svg;
}

/** The colour legend of step statuses. */
export function renderLegend() {
  return h(
    'ul',
    { class: 'legend', 'aria-label': 'Step statuses' },
    ['NOT_REACHED', ...STEP_STATUSES].map((status) => h('li', {}, h('span', { class: ['swatch', `status-${status.toLowerCase().replace(/_/g, '-')}`] }), status.replace(/_/g, ' ').toLowerCase())),
  );
}

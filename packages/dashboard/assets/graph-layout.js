/**
 * Layered layout of a definition (its storable form: `steps`, `transitions`, `parallel_groups`),
 * left to right: a pure function from the definition to boxes, group frames and edge geometry,
 * drawn by graph-view.js.
 *
 * Steps of a parallel group are stacked inside one frame that takes a single layer. Layers come
 * from the longest path over the transitions after loops are broken (a loop's returning edge is
 * drawn below the graph); the order within a layer follows the definition and then the average
 * position of each unit's predecessors.
 */

/** Sizes, in SVG user units. `nodeWidth` is the narrowest box; a box widens to its text up to `maxNodeWidth`. */
export const SIZES = Object.freeze({ nodeWidth: 200, maxNodeWidth: 420, lineHeight: 15, nodePad: 10, textPad: 10, groupPad: 12, groupHeader: 34, rowGap: 26, margin: 24, startGap: 46, labelHeight: 17, labelGap: 6, arrowRoom: 14, maxLabelWidth: 300 });

/**
 * Width of `text` drawn as `kind` (`title`, `action`, `guard`... or `label` for an edge label).
 * Without a browser to measure, an estimate per font: generous, so text stays inside its box.
 */
export function estimateWidth(text, kind) {
  const perChar = kind === 'title' || kind === 'group' ? 7.8 : kind === 'label' || kind === 'guard' ? 6.7 : 6.4;
  return text.length * perChar;
}

/** `{ g: ['a', 'b'] }` or `[{ name: 'g', steps: ['a', 'b'] }]` → `{ g: ['a', 'b'] }`. */
export function normalizeGroups(groups) {
  if (!groups) return {};
  if (Array.isArray(groups)) return Object.fromEntries(groups.filter((g) => g && g.name).map((g) => [g.name, [...(g.steps ?? [])]]));
  return Object.fromEntries(Object.entries(groups).map(([name, steps]) => [name, [...(steps ?? [])]]));
}

/** Text that fits `width` drawn as `kind` (measured with `measure`), with an ellipsis when cut. */
export function fit(text, width, kind = 'label', measure = estimateWidth) {
  if (measure(text, kind) <= width) return text;
  let n = text.length;
  while (n > 4 && measure(`${text.slice(0, n - 1)}…`, kind) > width) n -= 1;
  return `${text.slice(0, n - 1)}…`;
}

/** The text lines of a step's box, by kind. */
export function stepLines(id, step) {
  const lines = [{ kind: 'title', text: id }];
  const timeout = step.timeout !== undefined ? ` · timeout ${step.timeout}` : '';
  const retries = step.retry_attempts ? ` · ${step.retry_attempts} retries` : '';
  lines.push({ kind: 'action', text: `${typeof step.action === 'string' ? step.action : 'action'}${timeout}${retries}` });
  if (step.assigned_to) lines.push({ kind: 'task', text: `task for ${step.assigned_to}` });
  for (const guard of step.conditions ?? []) lines.push({ kind: 'guard', text: `if ${guard}` });
  if (step.compensation) lines.push({ kind: 'compensation', text: `undo: ${typeof step.compensation === 'string' ? step.compensation : 'compensation'}` });
  return lines;
}

/**
 * Lay `definition` out. Returns `{ width, height, nodes, groups, edges, start }`. `measure(text, kind)`
 * gives text widths (graph-view.js measures with the page's fonts); boxes widen to their longest line.
 */
export function layoutDefinition(definition, measure = estimateWidth) {
  const S = SIZES;
  const steps = definition?.steps ?? {};
  const stepIds = Object.keys(steps);
  const groups = normalizeGroups(definition?.parallel_groups);
  const transitions = (definition?.transitions ?? []).filter((t) => t && t.from !== undefined && t.to !== undefined);

  const groupOf = {};
  for (const [name, members] of Object.entries(groups)) for (const m of members) groupOf[m] = name;

  // Units: a group (with its members) or a step outside any group.
  const units = new Map();
  for (const [name, members] of Object.entries(groups)) units.set(name, { id: name, kind: 'group', members: members.filter((m) => steps[m] !== undefined) });
  for (const id of stepIds) if (!groupOf[id]) units.set(id, { id, kind: 'step', members: [id] });
  const unitOf = (id) => (units.has(id) ? id : groupOf[id] ?? (steps[id] !== undefined ? id : undefined));
  // Ends naming nothing (a typo in a definition being drawn) become lone nodes, so nothing is hidden.
  for (const t of transitions) for (const end of [t.from, t.to]) if (!unitOf(end)) units.set(end, { id: end, kind: 'missing', members: [end] });

  const unitIds = [...units.keys()];
  const out = new Map(unitIds.map((u) => [u, []]));
  const incoming = new Map(unitIds.map((u) => [u, 0]));
  for (const t of transitions) {
    const a = unitOf(t.from), b = unitOf(t.to);
    if (a === b) continue;
    out.get(a).push(b);
    incoming.set(b, incoming.get(b) + 1);
  }

  // Break loops: depth-first from the units nothing leads to, in definition order.
  const roots = unitIds.filter((u) => incoming.get(u) === 0);
  const back = new Set();
  const state = new Map();
  const visit = (u) => {
    state.set(u, 'active');
    for (const v of out.get(u)) {
      if (state.get(v) === 'active') back.add(`${u}->${v}`);
      else if (!state.has(v)) visit(v);
    }
    state.set(u, 'done');
  };
  for (const r of [...roots, ...unitIds]) if (!state.has(r)) visit(r);

  // Longest-path layers over the forward edges.
  const forward = new Map(unitIds.map((u) => [u, out.get(u).filter((v) => !back.has(`${u}->${v}`))]));
  const indeg = new Map(unitIds.map((u) => [u, 0]));
  for (const u of unitIds) for (const v of forward.get(u)) indeg.set(v, indeg.get(v) + 1);
  const layer = new Map(unitIds.map((u) => [u, 0]));
  const queue = unitIds.filter((u) => indeg.get(u) === 0);
  const topo = [];
  while (queue.length) {
    const u = queue.shift();
    topo.push(u);
    for (const v of forward.get(u)) {
      layer.set(v, Math.max(layer.get(v), layer.get(u) + 1));
      indeg.set(v, indeg.get(v) - 1);
      if (indeg.get(v) === 0) queue.push(v);
    }
  }
  const layerCount = unitIds.length ? Math.max(...layer.values()) + 1 : 0;
  const layers = Array.from({ length: layerCount }, () => []);
  for (const u of topo) layers[layer.get(u)].push(u);

  // Order within layers: by predecessors' positions, two sweeps.
  const preds = new Map(unitIds.map((u) => [u, []]));
  for (const u of unitIds) for (const v of forward.get(u)) preds.get(v).push(u);
  for (let sweep = 0; sweep < 2; sweep++) {
    for (let i = 1; i < layers.length; i++) {
      const pos = new Map(layers[i - 1].map((u, k) => [u, k]));
      const bary = (u) => {
        const ps = preds.get(u).filter((p) => pos.has(p));
        return ps.length ? ps.reduce((sum, p) => sum + pos.get(p), 0) / ps.length : Infinity;
      };
      layers[i] = layers[i]
        .map((u, k) => ({ u, k, b: bary(u) }))
        .sort((x, y) => (x.b === y.b ? x.k - y.k : x.b - y.b))
        .map((x) => x.u);
    }
  }

  // Sizes: each box as wide as its longest line (within limits); a group's members share one width.
  const linesOf = (id) => (units.get(id)?.kind === 'missing' ? [{ kind: 'title', text: id }, { kind: 'guard', text: 'not defined' }] : stepLines(id, steps[id] ?? {}));
  const textWidth = (id) => Math.max(...linesOf(id).map((l) => measure(l.text, l.kind)));
  const clampWidth = (w) => Math.min(S.maxNodeWidth, Math.max(S.nodeWidth, Math.ceil(w + S.textPad * 2)));
  const nodeWidth = new Map();
  for (const unit of units.values()) {
    const w = clampWidth(Math.max(0, ...unit.members.map(textWidth), unit.kind === 'group' ? measure(`parallel: ${unit.id}`, 'group') - S.groupPad : 0));
    for (const m of unit.members) nodeWidth.set(m, w);
  }
  const nodeHeight = (id) => S.nodePad * 2 + linesOf(id).length * S.lineHeight;
  const sizeOf = (u) => {
    const unit = units.get(u);
    if (unit.kind !== 'group') return { w: nodeWidth.get(u), h: nodeHeight(u) };
    const inner = unit.members.reduce((sum, m) => sum + nodeHeight(m), 0) + S.rowGap * Math.max(0, unit.members.length - 1);
    const w = unit.members.length ? nodeWidth.get(unit.members[0]) : S.nodeWidth;
    return { w: w + S.groupPad * 2, h: S.groupHeader + inner + S.groupPad + (unit.members.length ? 0 : 20) };
  };
  const size = new Map(unitIds.map((u) => [u, sizeOf(u)]));

  // Column gaps wide enough for the longest label of an edge entering the column.
  const labelWidth = (label) => Math.min(S.maxLabelWidth, measure(label, 'label')) + 12;
  const labelOf = (t) => [t.on_timeout ? 'on timeout' : '', t.condition ?? '', t.join !== undefined && t.join !== 'all' ? `join: ${t.join}` : ''].filter(Boolean).join(' · ');
  const gapBefore = new Array(layerCount).fill(56);
  for (const t of transitions) {
    const b = unitOf(t.to);
    const label = labelOf(t);
    // The label sits beside the arrow's last stretch, so the gap holds it, the arrow head and some curve.
    if (label && !back.has(`${unitOf(t.from)}->${b}`)) gapBefore[layer.get(b)] = Math.max(gapBefore[layer.get(b)], labelWidth(label) + S.arrowRoom + 40);
  }
  const hasStart = roots.length > 0;
  const colW = layers.map((col) => Math.max(...col.map((u) => size.get(u).w)));
  const colX = [];
  let x = S.margin + (hasStart ? S.startGap : 0);
  for (let i = 0; i < layerCount; i++) {
    if (i > 0) x += gapBefore[i];
    colX.push(x);
    x += colW[i];
  }
  const width = x + S.margin;

  // Vertical placement: each unit near the average centre of its predecessors, without overlaps.
  const center = new Map();
  const top = new Map();
  for (let i = 0; i < layerCount; i++) {
    let bottom = -Infinity;
    for (const u of layers[i]) {
      const { h: hh } = size.get(u);
      const ps = preds.get(u).filter((p) => center.has(p));
      const desired = ps.length ? ps.reduce((sum, p) => sum + center.get(p), 0) / ps.length : 0;
      const y = Math.max(desired - hh / 2, bottom + S.rowGap);
      top.set(u, y);
      center.set(u, y + hh / 2);
      bottom = y + hh;
    }
  }
  const minTop = unitIds.length ? Math.min(...top.values()) : 0;
  const shift = S.margin + 8 - minTop;

  const nodes = [];
  const frames = [];
  const box = new Map();
  for (let i = 0; i < layerCount; i++) {
    for (const u of layers[i]) {
      const unit = units.get(u);
      const { w, h: hh } = size.get(u);
      const ux = colX[i] + (colW[i] - w) / 2;
      const uy = top.get(u) + shift;
      box.set(u, { x: ux, y: uy, w, h: hh });
      if (unit.kind === 'group') {
        frames.push({ id: u, x: ux, y: uy, w, h: hh, members: unit.members });
        let my = uy + S.groupHeader;
        for (const m of unit.members) {
          const mh = nodeHeight(m);
          const node = { id: m, group: u, x: ux + S.groupPad, y: my, w: w - S.groupPad * 2, h: mh, lines: stepLines(m, steps[m]), step: steps[m] };
          nodes.push(node);
          box.set(m, node);
          my += mh + S.rowGap;
        }
      } else {
        nodes.push({ id: u, x: ux, y: uy, w, h: hh, missing: unit.kind === 'missing', lines: linesOf(u), step: steps[u] });
      }
    }
  }
  let height = Math.max(0, ...[...box.values()].map((b) => b.y + b.h)) + S.margin;

  // Edges. A label sits beside the arrow's last stretch, on the side the curve does not come from
  // (the curve runs monotonically from its source's height to its target's, level at both ends),
  // stacked when several arrive on the same side of one box.
  const edges = [];
  const stacked = new Map();
  let loopDepth = 0;
  let labelBottom = 0;
  for (const [index, t] of transitions.entries()) {
    const a = box.get(t.from) ?? box.get(unitOf(t.from));
    const b = box.get(t.to) ?? box.get(unitOf(t.to));
    if (!a || !b) continue;
    const label = labelOf(t);
    const lw = label ? labelWidth(label) : 0;
    const isBack = back.has(`${unitOf(t.from)}->${unitOf(t.to)}`) || unitOf(t.from) === unitOf(t.to);
    let path, lx, ly;
    if (!isBack) {
      const x1 = a.x + a.w, y1 = a.y + a.h / 2, x2 = b.x, y2 = b.y + b.h / 2;
      const dx = Math.max(30, (x2 - x1) / 2);
      path = `M${x1},${y1} C${x1 + dx},${y1} ${x2 - dx},${y2} ${x2},${y2}`;
      const below = y1 < y2 - 1;
      const key = `${t.to}:${below}`;
      const k = stacked.get(key) ?? 0;
      stacked.set(key, k + 1);
      const offset = S.labelGap + S.labelHeight / 2 + k * (S.labelHeight + 4);
      lx = x2 - S.arrowRoom - lw / 2;
      ly = below ? y2 + offset : y2 - offset;
    } else {
      loopDepth += 1;
      const deepest = height - S.margin + 18 * loopDepth + 10;
      const x1 = a.x + a.w / 2 + 12, y1 = a.y + a.h, x2 = b.x + b.w / 2 - 12, y2 = b.y + b.h;
      path = `M${x1},${y1} C${x1},${deepest} ${x2},${deepest} ${x2},${y2}`;
      // Just under the loop's lowest point (its middle).
      lx = (x1 + x2) / 2;
      ly = (y1 + y2) / 8 + (deepest * 3) / 4 + S.labelGap + S.labelHeight / 2;
    }
    if (label) labelBottom = Math.max(labelBottom, ly + S.labelHeight / 2);
    edges.push({ index, from: t.from, to: t.to, condition: t.condition, join: t.join, onTimeout: t.on_timeout === true, back: isBack, label, labelWidth: lw, path, labelX: lx, labelY: ly });
  }
  if (loopDepth) height += 18 * loopDepth + 24;
  height = Math.max(height, labelBottom + S.margin);

  let start;
  if (hasStart) {
    const first = box.get(roots[0]);
    start = { x: S.margin + 8, y: first.y + first.h / 2, targets: roots.map((r) => box.get(r)).map((b) => ({ path: `M${S.margin + 15},${first.y + first.h / 2} C${S.margin + 30},${first.y + first.h / 2} ${b.x - 16},${b.y + b.h / 2} ${b.x},${b.y + b.h / 2}` })) };
  }
  return { width, height, nodes, groups: frames, edges, start };
}

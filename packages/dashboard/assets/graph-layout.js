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

/** Sizes, in SVG user units. */
export const SIZES = Object.freeze({ nodeWidth: 220, lineHeight: 15, nodePad: 10, groupPad: 12, groupHeader: 34, rowGap: 26, margin: 24, startGap: 46, charWidth: 6.3 });

/** `{ g: ['a', 'b'] }` or `[{ name: 'g', steps: ['a', 'b'] }]` → `{ g: ['a', 'b'] }`. */
export function normalizeGroups(groups) {
  if (!groups) return {};
  if (Array.isArray(groups)) return Object.fromEntries(groups.filter((g) => g && g.name).map((g) => [g.name, [...(g.steps ?? [])]]));
  return Object.fromEntries(Object.entries(groups).map(([name, steps]) => [name, [...(steps ?? [])]]));
}

/** Text that fits `width` at the label font, with an ellipsis when cut. */
export function fit(text, width) {
  const max = Math.max(4, Math.floor(width / SIZES.charWidth));
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
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

/** Lay `definition` out. Returns `{ width, height, nodes, groups, edges, start }`. */
export function layoutDefinition(definition) {
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

  // Sizes.
  const nodeHeight = (id) => S.nodePad * 2 + stepLines(id, steps[id] ?? {}).length * S.lineHeight;
  const sizeOf = (u) => {
    const unit = units.get(u);
    if (unit.kind !== 'group') return { w: S.nodeWidth, h: unit.kind === 'missing' ? S.nodePad * 2 + 2 * S.lineHeight : nodeHeight(u) };
    const inner = unit.members.reduce((sum, m) => sum + nodeHeight(m), 0) + S.rowGap * Math.max(0, unit.members.length - 1);
    return { w: S.nodeWidth + S.groupPad * 2, h: S.groupHeader + inner + S.groupPad + (unit.members.length ? 0 : 20) };
  };
  const size = new Map(unitIds.map((u) => [u, sizeOf(u)]));

  // Column gaps wide enough for the longest label of an edge entering the column.
  const labelOf = (t) => [t.on_timeout ? 'on timeout' : '', t.condition ?? '', t.join !== undefined && t.join !== 'all' ? `join: ${t.join}` : ''].filter(Boolean).join(' · ');
  const gapBefore = new Array(layerCount).fill(56);
  for (const t of transitions) {
    const b = unitOf(t.to);
    const label = labelOf(t);
    if (label && !back.has(`${unitOf(t.from)}->${b}`)) gapBefore[layer.get(b)] = Math.max(gapBefore[layer.get(b)], Math.min(260, label.length * S.charWidth + 24));
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
          const node = { id: m, group: u, x: ux + S.groupPad, y: my, w: S.nodeWidth, h: mh, lines: stepLines(m, steps[m]), step: steps[m] };
          nodes.push(node);
          box.set(m, node);
          my += mh + S.rowGap;
        }
      } else {
        nodes.push({ id: u, x: ux, y: uy, w, h: hh, missing: unit.kind === 'missing', lines: unit.kind === 'missing' ? [{ kind: 'title', text: u }, { kind: 'guard', text: 'not defined' }] : stepLines(u, steps[u]), step: steps[u] });
      }
    }
  }
  let height = Math.max(0, ...[...box.values()].map((b) => b.y + b.h)) + S.margin;

  // Edges.
  const edges = [];
  let loopDepth = 0;
  for (const [index, t] of transitions.entries()) {
    const a = box.get(t.from) ?? box.get(unitOf(t.from));
    const b = box.get(t.to) ?? box.get(unitOf(t.to));
    if (!a || !b) continue;
    const label = labelOf(t);
    const isBack = back.has(`${unitOf(t.from)}->${unitOf(t.to)}`) || unitOf(t.from) === unitOf(t.to);
    let path, lx, ly;
    if (!isBack) {
      const x1 = a.x + a.w, y1 = a.y + a.h / 2, x2 = b.x, y2 = b.y + b.h / 2;
      const dx = Math.max(30, (x2 - x1) / 2);
      path = `M${x1},${y1} C${x1 + dx},${y1} ${x2 - dx},${y2} ${x2},${y2}`;
      lx = (x1 + x2) / 2;
      ly = (y1 + y2) / 2;
    } else {
      loopDepth += 1;
      const below = height - S.margin + 18 * loopDepth + 10;
      const x1 = a.x + a.w / 2 + 12, y1 = a.y + a.h, x2 = b.x + b.w / 2 - 12, y2 = b.y + b.h;
      path = `M${x1},${y1} C${x1},${below} ${x2},${below} ${x2},${y2}`;
      lx = (x1 + x2) / 2;
      ly = (y1 + y2) / 4 + below / 2;
    }
    edges.push({ index, from: t.from, to: t.to, condition: t.condition, join: t.join, onTimeout: t.on_timeout === true, back: isBack, label, path, labelX: lx, labelY: ly });
  }
  if (loopDepth) height += 18 * loopDepth + 24;

  let start;
  if (hasStart) {
    const first = box.get(roots[0]);
    start = { x: S.margin + 8, y: first.y + first.h / 2, targets: roots.map((r) => box.get(r)).map((b) => ({ path: `M${S.margin + 15},${first.y + first.h / 2} C${S.margin + 30},${first.y + first.h / 2} ${b.x - 16},${b.y + b.h / 2} ${b.x},${b.y + b.h / 2}` })) };
  }
  return { width, height, nodes, groups: frames, edges, start };
}

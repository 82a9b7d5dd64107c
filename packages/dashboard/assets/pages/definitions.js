/** Definitions: every registered definition and version, each drawn as a graph. */
import { h, mount } from '../dom.js';
import { renderGraph } from '../graph-view.js';
import { normalizeGroups } from '../graph-layout.js';
import { labelled, loadAll, pageHeader } from './common.js';

function stepsTable(def) {
  const groups = normalizeGroups(def.parallel_groups);
  const groupOf = {};
  for (const [name, members] of Object.entries(groups)) for (const m of members) groupOf[m] = name;
  return h(
    'table',
    { class: 'table compact', 'aria-label': `Steps of ${def.name} v${def.version}` },
    h('thead', {}, h('tr', {}, ['Step', 'Action', 'Task for', 'Timeout', 'Retries', 'Guards', 'Compensation', 'Group'].map((c) => h('th', {}, c)))),
    h(
      'tbody',
      {},
      Object.entries(def.steps ?? {}).map(([id, step]) =>
        h('tr', {}, [id, typeof step.action === 'string' ? step.action : '?', step.assigned_to ?? '', step.timeout ?? '', step.retry_attempts ?? '', (step.conditions ?? []).join(' and '), step.compensation ?? '', groupOf[id] ?? ''].map((v) => h('td', {}, String(v)))),
      ),
    ),
  );
}

function versionView(def, open) {
  return h(
    'details',
    { class: 'version', open, 'data-definition': def.name, 'data-version': def.version },
    h('summary', {}, `${def.name} `, h('span', { class: 'chip' }, `v${def.version}`), def.description ? h('span', { class: 'muted' }, ` — ${def.description}`) : null),
    h('div', { class: 'graph-scroll' }, renderGraph(def)),
    stepsTable(def),
    def.error_handling?.on_failure ? h('p', { class: 'muted' }, `On failure: ${def.error_handling.on_failure}${def.timeout ? ` · workflow timeout ${def.timeout}` : ''}`) : null,
    h('p', {}, h('a', { href: `#/instances?definition=${encodeURIComponent(def.name)}` }, `Instances of ${def.name} →`)),
  );
}

export function definitionsPage(ctx) {
  let drawn;

  async function load() {
    const got = await loadAll(ctx, [labelled(ctx.api.listDefinitions(), 'list the definitions')]);
    if (!got) {
      drawn = undefined;
      return;
    }
    const items = got[0].items;
    // Definitions change only on deploy: redraw only when the list did (keeps open/closed panels).
    const key = items.map((d) => `${d.name}@${d.version}`).join(',');
    if (drawn === key) return;
    drawn = key;
    const byName = new Map();
    for (const def of items) byName.set(def.name, [...(byName.get(def.name) ?? []), def]);
    mount(
      ctx.main,
      pageHeader('Definitions', h('span', { class: 'muted' }, `${byName.size} definitions, ${items.length} versions`)),
      items.length === 0 ? h('p', { class: 'empty' }, 'No definitions are registered.') : null,
      [...byName.entries()].map(([name, versions]) =>
        h(
          'section',
          { class: 'card', 'data-definition-card': name },
          h('h2', {}, name, ' ', versions.map((v) => h('span', { class: 'chip' }, `v${v.version}`))),
          [...versions].reverse().map((def, i) => versionView(def, i === 0)),
        ),
      ),
    );
  }

  return { load };
}

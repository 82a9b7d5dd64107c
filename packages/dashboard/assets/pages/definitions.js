/**
 * Definitions: every version, each drawn as a graph: those the server has loaded (registered,
 * deployed, used) and, from newer servers, every version stored in the database with its hash and
 * when it was stored (a listed version without its source is fetched when opened).
 */
import { h, mount } from '../dom.js';
import { formatTime } from '../format.js';
import { failurePanel } from '../panels.js';
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

/** The graph, the steps and the links of one version's definition. */
function versionBody(def) {
  return [
    h('div', { class: 'graph-scroll' }, renderGraph(def)),
    stepsTable(def),
    def.error_handling?.on_failure ? h('p', { class: 'muted' }, `On failure: ${def.error_handling.on_failure}${def.timeout ? ` · workflow timeout ${def.timeout}` : ''}`) : null,
    h('p', {}, h('a', { href: `#/instances?definition=${encodeURIComponent(def.name)}` }, `Instances of ${def.name} →`)),
  ];
}

/** Stored / loaded, hash prefix and when it was stored. */
function versionFacts(info) {
  if (!info) return null;
  return h(
    'p',
    { class: 'version-facts muted' },
    info.stored ? `stored ${formatTime(info.storedAt)}` : 'not stored yet (no instance has used it)',
    ` · hash ${String(info.hash ?? '').slice(0, 12)}`,
    ` · ${info.loaded ? 'loaded on this server' : 'not loaded on this server'}`,
  );
}

/**
 * One version: drawn at once when the server has it loaded (`def`), else fetched from the store
 * the first time it is opened.
 */
function versionView(ctx, name, version, def, info, open) {
  const body = h('div', { class: 'version-body' }, def ? versionBody(def) : null);
  const details = h(
    'details',
    { class: 'version', open, 'data-definition': name, 'data-version': version, 'data-stored': info ? String(Boolean(info.stored)) : undefined, 'data-loaded': info ? String(Boolean(info.loaded)) : undefined },
    h('summary', {}, `${name} `, h('span', { class: 'chip' }, `v${version}`), def?.description ? h('span', { class: 'muted' }, ` — ${def.description}`) : null),
    versionFacts(info),
    body,
  );
  if (!def) {
    let fetched = false;
    const fetchIt = async () => {
      if (fetched || !details.open) return;
      fetched = true;
      mount(body, h('p', { class: 'muted' }, 'Loading the stored definition…'));
      try {
        mount(body, versionBody((await ctx.api.getDefinitionVersion(name, version)).definition));
      } catch (error) {
        fetched = false;
        mount(body, failurePanel(error, `read ${name} v${version}`));
      }
    };
    details.addEventListener('toggle', () => void fetchIt());
    if (open) queueMicrotask(() => void fetchIt());
  }
  return details;
}

export function definitionsPage(ctx) {
  let drawn;

  async function load() {
    const got = await loadAll(ctx, [labelled(ctx.api.listDefinitions(), 'list the definitions')]);
    if (!got) {
      drawn = undefined;
      return;
    }
    const items = got[0].items ?? [];
    // Newer servers list every version, stored or loaded, each with its hash, storedAt, loaded and
    // stored; a top-level `versions` (if a server sends one) may name versions without a source.
    const infos = got[0].versions ?? (items.every((d) => typeof d.hash === 'string') ? items : undefined);
    const all = infos ?? items;
    // Definitions change only on deploy: redraw only when the list did (keeps open/closed panels).
    const key = all.map((d) => `${d.name}@${d.version}:${d.loaded ?? ''}`).join(',');
    if (drawn === key) return;
    drawn = key;
    const compiled = new Map(items.map((d) => [`${d.name}@${d.version}`, d]));
    const byName = new Map();
    for (const v of all) byName.set(v.name, [...(byName.get(v.name) ?? []), v]);
    mount(
      ctx.main,
      pageHeader('Definitions', h('span', { class: 'muted' }, `${byName.size} definitions, ${all.length} versions`)),
      all.length === 0 ? h('p', { class: 'empty' }, 'No definitions are registered or stored.') : null,
      [...byName.entries()].map(([name, versions]) =>
        h(
          'section',
          { class: 'card', 'data-definition-card': name },
          h('h2', {}, name, ' ', versions.map((v) => h('span', { class: 'chip' }, `v${v.version}`))),
          [...versions].reverse().map((v, i) => versionView(ctx, name, v.version, compiled.get(`${name}@${v.version}`), infos ? v : undefined, i === 0)),
        ),
      ),
    );
  }

  return { load };
}

/** Instances: filters (definition, state, creation time, business key, search attributes), counts per state, live list. */
import { h, mount } from '../dom.js';
import { formatDuration, formatRelative, formatTime, INSTANCE_STATES, shortId } from '../format.js';
import { queryString } from '../api.js';
import { badge, labelled, loadAll, pageHeader } from './common.js';

const PAGE = 50;
/** Counts are taken over this many of the newest matching instances. */
const COUNT_WINDOW = 1000;

/** `2026-11-26T10:00` (datetime-local, browser zone) → ISO 8601, or undefined. */
const toIso = (local) => (local ? new Date(local).toISOString() : undefined);

const ATTRIBUTE_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/**
 * `customer=C-1, region=eu` (pairs separated by spaces or commas) → `{ 'attr.customer': 'C-1', ... }`,
 * the API's query parameters; `{ error }` naming the first pair that is not `name=value`.
 */
export function attributeQuery(text) {
  const query = {};
  for (const pair of String(text ?? '').split(/[\s,]+/).filter(Boolean)) {
    const eq = pair.indexOf('=');
    const name = eq < 0 ? '' : pair.slice(0, eq);
    if (!ATTRIBUTE_NAME.test(name)) return { error: `Attributes: "${pair}" is not name=value (e.g. customer=C-42); separate several with spaces or commas.` };
    query[`attr.${name}`] = pair.slice(eq + 1);
  }
  return { query };
}

export function instancesPage(ctx) {
  const q = ctx.query;
  const filter = { definition: q.get('definition') ?? '', state: q.get('state') ?? '', after: q.get('after') ?? '', before: q.get('before') ?? '', key: q.get('key') ?? '', attrs: q.get('attrs') ?? '' };
  let shown = PAGE;
  let skeleton;

  const apply = (next) => ctx.navigate(`#/instances${queryString({ ...filter, ...next })}`);

  function buildSkeleton(definitions) {
    const defInput = h('input', { name: 'definition', list: 'wm-definition-names', value: filter.definition, placeholder: 'any definition', autocomplete: 'off' });
    const stateSelect = h('select', { name: 'state' }, h('option', { value: '' }, 'any state'), INSTANCE_STATES.map((s) => h('option', { value: s, selected: s === filter.state }, s.toLowerCase())));
    const after = h('input', { type: 'datetime-local', name: 'after', value: filter.after });
    const before = h('input', { type: 'datetime-local', name: 'before', value: filter.before });
    const keyInput = h('input', { type: 'search', name: 'businessKey', value: filter.key, placeholder: 'exact key', autocomplete: 'off' });
    const attrsInput = h('input', { type: 'search', name: 'attributes', value: filter.attrs, placeholder: 'customer=C-42 region=eu', autocomplete: 'off' });
    const problem = h('p', { class: 'form-error', role: 'alert', hidden: true });
    const submit = (e) => {
      e.preventDefault();
      const attrs = attrsInput.value.trim();
      const parsed = attributeQuery(attrs);
      problem.hidden = !parsed.error;
      problem.textContent = parsed.error ?? '';
      if (parsed.error) return attrsInput.focus();
      apply({ definition: defInput.value.trim(), state: stateSelect.value, after: after.value, before: before.value, key: keyInput.value.trim(), attrs });
    };
    const form = h(
      'form',
      { class: 'filters', role: 'search', 'aria-label': 'Filters', onSubmit: submit },
      h('label', {}, h('span', {}, 'Definition'), defInput),
      h('datalist', { id: 'wm-definition-names' }, [...new Set(definitions.map((d) => d.name))].map((n) => h('option', { value: n }))),
      h('label', {}, h('span', {}, 'State'), stateSelect),
      h('label', {}, h('span', {}, 'Created after'), after),
      h('label', {}, h('span', {}, 'Created before'), before),
      h('label', {}, h('span', {}, 'Business key'), keyInput),
      h('label', { class: 'wide' }, h('span', {}, 'Attributes (name=value)'), attrsInput),
      h('div', { class: 'filter-buttons' }, h('button', { type: 'submit', class: 'btn btn-primary' }, 'Apply'), h('a', { class: 'btn', href: '#/instances' }, 'Reset')),
      problem,
    );
    const counts = h('div', { class: 'counts', 'aria-label': 'Instances per state' });
    const results = h('div', { class: 'results' });
    mount(ctx.main, pageHeader('Instances'), form, counts, results);
    return { counts, results };
  }

  function renderCounts(el, all) {
    const tally = Object.fromEntries(INSTANCE_STATES.map((s) => [s, 0]));
    for (const inst of all.items) tally[inst.state] = (tally[inst.state] ?? 0) + 1;
    const more = all.nextCursor ? '+' : '';
    mount(
      el,
      h('a', { class: ['count', filter.state === '' ? 'active' : ''], href: `#/instances${queryString({ ...filter, state: '' })}`, 'data-count': 'ALL' }, h('span', { class: 'count-n' }, `${all.items.length}${more}`), h('span', {}, 'all')),
      INSTANCE_STATES.map((s) =>
        h('a', { class: ['count', `state-${s.toLowerCase()}`, filter.state === s ? 'active' : '', tally[s] ? '' : 'zero'], href: `#/instances${queryString({ ...filter, state: s })}`, 'data-count': s }, h('span', { class: 'count-n' }, `${tally[s]}${tally[s] && more ? '+' : ''}`), h('span', {}, s.toLowerCase())),
      ),
    );
  }

  function renderRows(el, page) {
    if (!page.items.length) {
      mount(el, h('p', { class: 'empty' }, 'No instances match these filters.'));
      return;
    }
    const now = Date.now();
    const table = h(
      'table',
      { class: 'table', 'aria-label': 'Instances' },
      h('thead', {}, h('tr', {}, ['Instance', 'Definition', 'Business key', 'State', 'Created', 'Updated', 'Duration', 'Started by'].map((c) => h('th', {}, c)))),
      h(
        'tbody',
        {},
        page.items.map((inst) =>
          h(
            'tr',
            { 'data-instance': inst.id },
            h('td', {}, h('a', { href: `#/instances/${encodeURIComponent(inst.id)}`, class: 'mono', title: inst.id }, shortId(inst.id))),
            h('td', {}, `${inst.definitionName} `, h('span', { class: 'muted' }, `v${inst.definitionVersion}`)),
            h('td', { class: 'business-key' }, inst.businessKey ?? '–'),
            h('td', {}, badge(inst.state)),
            h('td', { title: formatTime(inst.createdAt) }, formatRelative(inst.createdAt, now)),
            h('td', { title: formatTime(inst.updatedAt) }, formatRelative(inst.updatedAt, now)),
            h('td', {}, formatDuration((inst.completedAt ?? now) - inst.createdAt)),
            h('td', {}, inst.startedBy ?? '–'),
          ),
        ),
      ),
    );
    const more = page.nextCursor
      ? h('button', { type: 'button', class: 'btn', onClick: () => { shown += PAGE; void load(true); } }, 'Show more')
      : null;
    mount(el, table, more);
  }

  async function load() {
    const attributes = attributeQuery(filter.attrs).query ?? {};
    const base = { definition: filter.definition || undefined, createdAfter: toIso(filter.after), createdBefore: toIso(filter.before), businessKey: filter.key || undefined, ...attributes };
    const first = !skeleton;
    const got = await loadAll(ctx, [
      labelled(ctx.api.listInstances({ ...base, state: filter.state || undefined, limit: shown }), 'list instances'),
      labelled(ctx.api.listInstances({ ...base, limit: COUNT_WINDOW }), 'count instances'),
      first ? ctx.api.listDefinitions().catch(() => ({ items: [] })) : Promise.resolve(undefined),
    ]);
    if (!got) {
      skeleton = undefined;
      return;
    }
    const [page, all, defs] = got;
    skeleton ??= buildSkeleton(defs?.items ?? []);
    renderCounts(skeleton.counts, all);
    renderRows(skeleton.results, page);
  }

  return { load };
}

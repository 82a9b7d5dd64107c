/** Tasks: the inbox of open and claimed human tasks, one tab per assignee role. */
import { h, mount } from '../dom.js';
import { formatRelative, formatTime, shortId } from '../format.js';
import { badge, labelled, loadAll, pageHeader } from './common.js';

/** Roles the definitions assign tasks to. */
function rolesOf(definitions) {
  const roles = new Set();
  for (const def of definitions) for (const step of Object.values(def.steps ?? {})) if (step.assigned_to) roles.add(step.assigned_to);
  return roles;
}

export function tasksPage(ctx) {
  const role = ctx.query.get('role') ?? '';
  let definitions;

  async function load() {
    const got = await loadAll(ctx, [
      labelled(ctx.api.listTasks({}), 'list the open tasks'),
      role ? labelled(ctx.api.listTasks({ assignedTo: role }), `list the tasks of ${role}`) : Promise.resolve(undefined),
      definitions ? Promise.resolve({ items: definitions }) : ctx.api.listDefinitions().catch(() => ({ items: [] })),
    ]);
    if (!got) return;
    const [all, mine, defs] = got;
    definitions = defs.items;
    const roles = rolesOf(definitions);
    const count = new Map();
    for (const t of all.items) {
      roles.add(t.assignedTo);
      count.set(t.assignedTo, (count.get(t.assignedTo) ?? 0) + 1);
    }
    const tasks = role ? mine.items : all.items;
    const now = Date.now();
    mount(
      ctx.main,
      pageHeader('Tasks'),
      h(
        'nav',
        { class: 'tabs', 'aria-label': 'Inbox by role' },
        h('a', { href: '#/tasks', class: ['tab', role === '' ? 'active' : ''], 'data-role': '' }, 'All roles ', h('span', { class: 'tab-count' }, String(all.items.length))),
        [...roles].sort().map((r) => h('a', { href: `#/tasks?role=${encodeURIComponent(r)}`, class: ['tab', role === r ? 'active' : ''], 'data-role': r }, `${r} `, h('span', { class: 'tab-count' }, String(count.get(r) ?? 0)))),
      ),
      tasks.length === 0
        ? h('p', { class: 'empty' }, role ? `No open tasks for ${role}.` : 'No open tasks.')
        : h(
            'table',
            { class: 'table', 'aria-label': role ? `Tasks of ${role}` : 'Open tasks' },
            h('thead', {}, h('tr', {}, ['Task', 'Assigned to', 'State', 'Instance', 'Definition', 'Opened', 'Due', ''].map((c) => h('th', {}, c)))),
            h(
              'tbody',
              {},
              tasks.map((t) =>
                h(
                  'tr',
                  { 'data-task': t.id, 'data-step': t.stepId },
                  h('td', {}, h('a', { href: `#/tasks/${encodeURIComponent(t.id)}` }, t.stepId)),
                  h('td', {}, t.assignedTo),
                  h('td', {}, badge(t.state), t.claimedBy ? h('span', { class: 'muted' }, ` by ${t.claimedBy}`) : null),
                  h('td', {}, h('a', { href: `#/instances/${encodeURIComponent(t.instanceId)}`, class: 'mono', title: t.instanceId }, shortId(t.instanceId))),
                  h('td', {}, `${t.definitionName} `, h('span', { class: 'muted' }, `v${t.definitionVersion}`)),
                  h('td', { title: formatTime(t.openedAt) }, formatRelative(t.openedAt, now)),
                  h('td', { class: t.dueAt !== undefined && t.dueAt < now ? 'overdue' : '', title: formatTime(t.dueAt) }, t.dueAt !== undefined ? formatRelative(t.dueAt, now) : '–'),
                  h('td', {}, h('a', { class: 'btn btn-small', href: `#/tasks/${encodeURIComponent(t.id)}` }, 'Open')),
                ),
              ),
            ),
          ),
    );
  }

  return { load };
}

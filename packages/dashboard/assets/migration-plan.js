/**
 * A migration plan (the answer of `POST /instances/:id/migrate`) as a table: where each step
 * record, task, timer and buffered signal of the instance goes, and what is dropped or becomes
 * unreachable. Shown in the confirmation dialog before the migration is applied.
 */
import { h } from './dom.js';
import { formatTime } from './format.js';

const arrow = (from, to) => (from === to ? from : `${from} → ${to}`);

function row(kind, what, where, note, attrs = {}) {
  return h('tr', attrs, h('td', { class: 'muted' }, kind), h('td', { class: 'mono' }, what), h('td', { class: 'mono' }, where), h('td', { class: 'muted' }, note ?? ''));
}

/** The plan's rows, open steps first. */
export function renderPlan(plan) {
  const steps = [...(plan.steps ?? [])].sort((a, b) => Number(b.open) - Number(a.open));
  const rows = [
    ...steps.map((s) => row(s.open ? 'open step' : 'step', s.from, s.to, `${s.status.toLowerCase()}${s.from === s.to ? '' : ' · moved'}`, { 'data-plan-step': s.from, 'data-plan-to': s.to })),
    ...(plan.tasks ?? []).map((t) => row('task', t.from, t.to, '')),
    ...(plan.timers ?? []).map((t) => row('timer', t.from ?? '–', t.to ?? '–', `${t.kind}${t.from === null ? ' · armed by the migration' : t.to === null ? ' · disarmed' : ''} · fires ${formatTime(t.fireAt)}`)),
    ...(plan.signals ?? []).map((s) => row('signal', s.name, s.waitingSteps.length ? s.waitingSteps.join(', ') : '(stays buffered)', s.waitingSteps.length ? 'awaited there' : 'no step of the target waits for it')),
    ...(plan.dropped ?? []).map((d) => row('dropped', d, '–', 'not in the target; its results stay in the data', { class: 'plan-dropped', 'data-plan-dropped': d })),
  ];
  return h(
    'div',
    { class: 'migration-plan', 'data-plan-from': plan.fromVersion, 'data-plan-to': plan.toVersion },
    h('p', {}, h('strong', {}, `${plan.definitionName} v${plan.fromVersion} → v${plan.toVersion}`), ` · instance ${plan.state.toLowerCase()}`),
    h('table', { class: 'table compact', 'aria-label': 'Migration plan' }, h('thead', {}, h('tr', {}, ['What', 'Now', 'After', ''].map((c) => h('th', {}, c)))), h('tbody', {}, rows)),
    plan.unreachable?.length ? h('p', { class: 'plan-unreachable' }, `Unreachable from where it is: ${plan.unreachable.join(', ')}.`) : null,
  );
}

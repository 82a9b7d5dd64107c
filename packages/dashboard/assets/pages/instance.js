/**
 * One instance: its definition drawn with each step coloured by its status in this run, the
 * history as a timeline, the data, and the commands (pause, resume, cancel, retry, signal; and the
 * operator's migrate, edit data, retry from a step, skip a step), each confirmed in a dialog first
 * and disabled when the state does not allow it or the API says the caller may not.
 */
import { confirmDialog } from '../confirm-dialog.js';
import { h, mount } from '../dom.js';
import { formatDuration, formatRelative, formatTime } from '../format.js';
import { renderGraph, renderLegend } from '../graph-view.js';
import { operatorButtons, stepsCard } from '../operator-actions.js';
import { commandFailure, failurePanel, toast } from '../panels.js';
import { buildTimeline, describeEvent } from '../timeline.js';
import { badge, facts, jsonBlock, labelled, loadAll, pageHeader } from './common.js';

const PAUSABLE = new Set(['PENDING', 'RUNNING', 'WAITING']);
const TERMINAL = new Set(['COMPLETED', 'FAILED', 'CANCELLED']);

/** The commands, when each applies, and what its dialog asks. */
const COMMANDS = [
  { name: 'pause', label: 'Pause', when: (s) => PAUSABLE.has(s), text: 'Running attempts finish; nothing new starts until it is resumed.' },
  { name: 'resume', label: 'Resume', when: (s) => s === 'PAUSED', text: 'The instance goes on from where it was paused.' },
  { name: 'retry', label: 'Retry', when: (s) => s === 'FAILED', text: 'The failed steps run again.' },
  { name: 'signal', label: 'Send signal…', when: (s) => !TERMINAL.has(s), text: 'The payload is merged into the instance data by the step waiting for the signal (buffered if none waits yet).' },
  { name: 'cancel', label: 'Cancel', when: (s) => !TERMINAL.has(s), danger: true, text: 'Running attempts are aborted and nothing is compensated. This cannot be undone.' },
];

/**
 * The operations the caller may perform on the instance, or `undefined` when the API cannot say
 * (an older server without `GET /instances/:id/permissions`): then every command is offered and
 * the API refuses what it must.
 */
async function permissionsOf(ctx, id) {
  try {
    return new Set((await ctx.api.getPermissions(id)).operations ?? []);
  } catch {
    return undefined;
  }
}

/** Why a command's button is disabled, or `undefined` when it is enabled. */
function disabledReason(cmd, inst, permitted) {
  if (permitted && !permitted.has(`instances.${cmd.name}`)) return `You may not ${cmd.name === 'signal' ? 'send signals to' : cmd.name} this instance.`;
  if (!cmd.when(inst.state)) return `Not possible while the instance is ${inst.state.toLowerCase()}.`;
  return undefined;
}

function commandBar(ctx, inst, permitted, versions, reload) {
  const run = async (cmd) => {
    const fields = cmd.name === 'signal'
      ? [{ name: 'signal', label: 'Signal name', required: true }, { name: 'payload', label: 'Payload (JSON object)', type: 'json', value: '{}' }]
      : cmd.name === 'cancel' ? [{ name: 'reason', label: 'Reason (kept in the history)', type: 'textarea' }] : [];
    const answer = await confirmDialog({
      title: `${cmd.label.replace('…', '')} instance?`,
      message: `${cmd.text} Instance ${inst.id} (${inst.definitionName}), now ${inst.state.toLowerCase()}.`,
      confirmLabel: cmd.label.replace('…', ''),
      danger: cmd.danger,
      fields,
    });
    if (!answer) return;
    const doing = cmd.name === 'signal' ? `send signal "${answer.signal}" to this instance` : `${cmd.name} this instance`;
    try {
      const after =
        cmd.name === 'signal' ? await ctx.api.signal(inst.id, answer.signal.trim(), answer.payload)
        : cmd.name === 'cancel' ? await ctx.api.command(inst.id, 'cancel', answer.reason?.trim() ? { reason: answer.reason.trim() } : {})
        : await ctx.api.command(inst.id, cmd.name);
      toast(`${cmd.name === 'signal' ? `Signal "${answer.signal}" sent` : `${cmd.label} done`}: the instance is ${after.state.toLowerCase()}.`);
    } catch (error) {
      toast(commandFailure(error, doing), 'error');
    }
    await reload();
  };
  return h(
    'div',
    { class: 'commands', role: 'toolbar', 'aria-label': 'Commands' },
    COMMANDS.map((cmd) => {
      const reason = disabledReason(cmd, inst, permitted);
      return h('button', { type: 'button', class: ['btn', cmd.danger ? 'btn-danger-outline' : ''], 'data-command': cmd.name, disabled: reason !== undefined, title: reason, onClick: () => void run(cmd) }, cmd.label);
    }),
    operatorButtons(ctx, inst, permitted, versions, reload),
  );
}

function timelineView(history) {
  const tl = buildTimeline(history);
  if (tl.start === undefined) return h('p', { class: 'empty' }, 'No history yet.');
  const total = Math.max(1, tl.end - tl.start);
  const pct = (t) => `${(((t - tl.start) / total) * 100).toFixed(2)}%`;
  const rows = tl.spans.map((span) => {
    const end = span.end ?? tl.end;
    const bar = h('div', { class: ['bar', `outcome-${span.outcome}`], title: `${span.stepId} attempt ${span.attempt}: ${span.outcome}` });
    bar.style.left = pct(span.start);
    bar.style.width = `max(3px, ${(((end - span.start) / total) * 100).toFixed(2)}%)`;
    const track = h('div', { class: 'track' }, bar);
    if (span.task) {
      const wait = h('div', { class: 'bar task-wait', title: `task for ${span.task.assignedTo ?? '?'}` });
      wait.style.left = pct(span.task.openedAt);
      wait.style.width = `max(3px, ${((((span.task.closedAt ?? end) - span.task.openedAt) / total) * 100).toFixed(2)}%)`;
      track.append(wait);
    }
    const detail = [
      span.outcome === 'skipped' ? `skipped (${span.reason ?? 'guard'})` : span.outcome,
      span.attempt > 1 ? `attempt ${span.attempt}` : '',
      span.outcome !== 'skipped' ? formatDuration(end - span.start) + (span.end === undefined ? ' so far' : '') : '',
      span.task ? `task ${span.task.closedAt ? `done by ${span.task.by ?? '?'}` : `open for ${span.task.assignedTo ?? '?'}`}` : '',
      span.waitingFor ? `waiting for signal ${span.waitingFor}` : '',
    ].filter(Boolean).join(' · ');
    return h(
      'div',
      { class: 'tl-row', 'data-step': span.stepId, 'data-outcome': span.outcome },
      h('div', { class: 'tl-name' }, span.stepId),
      track,
      h('div', { class: 'tl-detail' }, detail, span.error ? h('div', { class: 'tl-error' }, `${span.error.code ? `${span.error.code}: ` : ''}${span.error.message}`) : null),
    );
  });
  const events = h(
    'ol',
    { class: 'events', 'aria-label': 'History events' },
    history.map((e) =>
      h(
        'li',
        { class: ['event', `event-${e.type.split('.')[0]}`, /failed|retrying/.test(e.type) ? 'event-bad' : ''], 'data-type': e.type },
        h('span', { class: 'event-time', title: formatTime(e.at) }, `+${formatDuration(e.at - tl.start)}`),
        h('span', { class: 'event-type' }, e.type),
        h('span', { class: 'event-step' }, e.stepId ?? ''),
        h('span', { class: 'event-text' }, describeEvent(e)),
      ),
    ),
  );
  return h('div', { class: 'timeline' }, h('div', { class: 'tl-scale muted' }, h('span', {}, formatTime(tl.start)), h('span', {}, `total ${formatDuration(total)}`)), rows, h('h3', {}, 'Events'), events);
}

/** The search attributes as `name = value` chips, or `undefined` when there are none. */
function searchAttributes(attributes) {
  const entries = Object.entries(attributes ?? {});
  if (!entries.length) return undefined;
  return h('span', { class: 'attributes', 'aria-label': 'Search attributes' }, entries.map(([name, value]) => h('span', { class: 'attribute', 'data-attribute': name }, h('span', { class: 'muted' }, `${name} = `), value)));
}

function tasksOf(inst) {
  const tasks = Object.entries(inst.steps ?? {}).filter(([, rec]) => rec.task).map(([stepId, rec]) => ({ stepId, ...rec.task }));
  if (!tasks.length) return null;
  return h(
    'section',
    { class: 'card' },
    h('h2', {}, 'Tasks'),
    h('ul', { class: 'task-links' }, tasks.map((t) => h('li', {}, badge(t.state), ' ', h('a', { href: `#/tasks/${encodeURIComponent(t.id)}` }, t.stepId), ` for ${t.assignedTo}`, t.completedBy ? ` · done by ${t.completedBy}` : t.dueAt ? ` · due ${formatRelative(t.dueAt)}` : ''))),
  );
}

/**
 * The definition an instance runs on: from the list, else (stored but not loaded on the server)
 * its stored source; `undefined` when neither has it.
 */
async function definitionOf(ctx, listed, inst, fetched) {
  const found = listed?.items?.find((d) => d.name === inst.definitionName && d.version === inst.definitionVersion);
  if (found) return found;
  const key = `${inst.definitionName}@${inst.definitionVersion}`;
  if (!fetched.has(key)) {
    try {
      fetched.set(key, (await ctx.api.getDefinitionVersion(inst.definitionName, inst.definitionVersion)).definition);
    } catch {
      fetched.set(key, undefined);
    }
  }
  return fetched.get(key);
}

export function instancePage(ctx) {
  const id = ctx.id;
  let definitions;
  let definitionsError;
  const fetched = new Map();

  async function load() {
    const asked = permissionsOf(ctx, id); // in parallel with the reads; never rejects
    const got = await loadAll(ctx, [labelled(ctx.api.getInstance(id), 'read this instance'), labelled(ctx.api.getHistory(id), 'read the history of this instance')]);
    if (!got) return;
    const [inst, history] = got;
    const permitted = await asked;
    if (!ctx.alive()) return;
    if (!definitions && !definitionsError) {
      try {
        definitions = await ctx.api.listDefinitions();
      } catch (error) {
        definitionsError = error;
      }
      if (!ctx.alive()) return;
    }
    const def = definitionsError ? undefined : await definitionOf(ctx, definitions, inst, fetched);
    if (!ctx.alive()) return;
    // Every version of its definition (stored ones from newer servers), for Migrate's choice.
    const versions = definitions?.versions ?? definitions?.items ?? [];
    const graph = def
      ? h('div', { class: 'graph-scroll' }, renderGraph(def, inst.steps ?? {}))
      : definitionsError ? failurePanel(definitionsError, 'read the definitions (the graph needs them)')
      : h('p', { class: 'empty' }, `Definition ${inst.definitionName} v${inst.definitionVersion} is neither registered nor stored on this server.`);
    mount(
      ctx.main,
      pageHeader(h('span', {}, 'Instance ', h('span', { class: 'mono' }, inst.id)), badge(inst.state)),
      h('p', { class: 'crumbs' }, h('a', { href: '#/instances' }, '← all instances'), ' · ', h('a', { href: `#/instances?definition=${encodeURIComponent(inst.definitionName)}` }, `instances of ${inst.definitionName}`)),
      facts([
        ['Definition', `${inst.definitionName} v${inst.definitionVersion}`],
        ['Created', `${formatTime(inst.createdAt)} (${formatRelative(inst.createdAt)})`],
        ['Updated', formatTime(inst.updatedAt)],
        ['Completed', inst.completedAt ? `${formatTime(inst.completedAt)} after ${formatDuration(inst.completedAt - inst.createdAt)}` : undefined],
        ['Business key', inst.businessKey !== undefined ? `${inst.businessKey}${inst.uniqueBusinessKey ? ' (unique)' : ''}` : undefined],
        ['Search attributes', searchAttributes(inst.attributes)],
        ['Started by', inst.startedBy],
        ['Paused from', inst.pausedFrom],
        ['Purged after', inst.purgeAfter ? formatTime(inst.purgeAfter) : undefined],
      ]),
      inst.error ? h('div', { class: 'error-box', role: 'note' }, h('strong', {}, inst.error.code ?? 'Error'), `: ${inst.error.message}${inst.error.stepId ? ` (step ${inst.error.stepId})` : ''}`) : null,
      commandBar(ctx, inst, permitted, versions, load),
      h('section', { class: 'card' }, h('h2', {}, 'Graph'), graph, def ? renderLegend() : null),
      tasksOf(inst),
      stepsCard(ctx, inst, permitted, load),
      h('section', { class: 'card' }, h('h2', {}, 'Timeline'), timelineView(history.items ?? [])),
      h('section', { class: 'card' }, h('h2', {}, 'Data'), jsonBlock(inst.data, 'Instance data')),
    );
  }

  return { load };
}

/**
 * One task: its form from the step's config, a comment, and complete / approve / reject (each
 * confirmed first). Approve and reject send the decision where the definition's transitions read
 * it (see task-result.js); the page shows what will be sent.
 */
import { confirmDialog } from '../confirm-dialog.js';
import { h, mount } from '../dom.js';
import { formatRelative, formatTime, prettyJson } from '../format.js';
import { commandFailure, failurePanel, toast } from '../panels.js';
import { completionData, decisionTarget, formFields } from '../task-result.js';
import { badge, facts, jsonBlock, labelled, loadAll, pageHeader } from './common.js';

const ACTIVE = new Set(['OPEN', 'CLAIMED']);

function fieldInput(field) {
  const props = { name: field.name, id: `wm-task-${field.name}`, required: field.required, 'data-field': field.name };
  if (field.options) return h('select', props, h('option', { value: '' }, '—'), field.options.map((o) => h('option', { value: String(o) }, String(o))));
  if (field.type === 'boolean') return h('input', { ...props, type: 'checkbox' });
  if (field.type === 'textarea') return h('textarea', { ...props, rows: 3 });
  return h('input', { ...props, type: field.type === 'number' ? 'number' : 'text' });
}

function valueOf(field, input) {
  if (field.type === 'boolean') return input.checked;
  if (field.type === 'number') return input.value === '' ? undefined : Number(input.value);
  return input.value === '' ? undefined : input.value;
}

export function taskPage(ctx) {
  const id = ctx.id;
  let shownState;
  let done = false;

  async function load(refresh) {
    if (done) return;
    const got = await loadAll(ctx, [labelled(ctx.api.getTask(id), 'read this task')]);
    if (!got) {
      shownState = undefined;
      return;
    }
    const [task] = got;
    if (done) return;
    // Live refresh leaves the form (and what the user typed) alone unless the task moved on.
    if (refresh && shownState === task.state) return;
    const [instance, definitions] = await Promise.all([
      ctx.api.getInstance(task.instanceId).catch((error) => ({ error })),
      ctx.api.listDefinitions().then((r) => r.items, () => []),
    ]);
    // A refresh that started before the task was completed here must not draw over the outcome.
    if (!ctx.alive() || done) return;
    shownState = task.state;
    const def = definitions.find((d) => d.name === task.definitionName && d.version === task.definitionVersion);
    const target = decisionTarget(def, task.stepId, task.form);
    const fields = formFields(task.form);
    const otherConfig = Object.fromEntries(Object.entries(task.form ?? {}).filter(([k]) => k !== 'fields' && k !== 'form' && k !== 'result_key'));
    const inputs = fields.map((f) => ({ field: f, input: fieldInput(f) }));
    const comment = h('textarea', { name: 'comment', id: 'wm-task-comment', rows: 3, placeholder: 'Why (kept with the decision)' });
    const preview = h('pre', { class: 'json preview', 'aria-label': 'Data sent' });
    const values = () => Object.fromEntries(inputs.map(({ field, input }) => [field.name, valueOf(field, input)]).filter(([, v]) => v !== undefined));
    const updatePreview = () => (preview.textContent = prettyJson(completionData(target, 'approve', values(), comment.value)));
    for (const { input } of inputs) input.addEventListener('input', updatePreview);
    comment.addEventListener('input', updatePreview);
    updatePreview();
    const active = ACTIVE.has(task.state);

    const act = async (decision) => {
      const missing = inputs.find(({ field, input }) => field.required && valueOf(field, input) === undefined);
      if (missing && decision !== 'reject') {
        toast(`${missing.field.label} is required.`, 'error');
        missing.input.focus();
        return;
      }
      const data = completionData(target, decision, values(), comment.value);
      const verb = { approve: 'Approve', reject: 'Reject', complete: 'Complete', claim: 'Claim' }[decision];
      const ok = await confirmDialog({
        title: `${verb} task ${task.stepId}?`,
        message: decision === 'claim' ? 'Only you can then complete it.' : `The instance goes on with this data merged into it: ${JSON.stringify(data)}`,
        confirmLabel: verb,
        danger: decision === 'reject',
      });
      if (!ok) return;
      try {
        if (decision === 'claim') {
          await ctx.api.claimTask(task.id);
          toast(`Task ${task.stepId} claimed.`);
          shownState = undefined;
          await load(false);
          return;
        }
        const after = await ctx.api.completeTask(task.id, data);
        done = true;
        const past = { approve: 'approved', reject: 'rejected', complete: 'completed' }[decision];
        toast(`Task ${task.stepId} ${past}.`);
        mount(
          ctx.main,
          h('section', { class: 'panel success', role: 'status', 'data-outcome': past },
            h('h2', {}, `Task ${task.stepId} ${past}`),
            h('p', {}, `Instance ${after.id} is now `, badge(after.state), '.'),
            h('p', {}, h('a', { class: 'btn', href: `#/tasks?role=${encodeURIComponent(task.assignedTo)}` }, `Back to the ${task.assignedTo} inbox`), ' ', h('a', { class: 'btn btn-primary', href: `#/instances/${encodeURIComponent(after.id)}` }, 'Open the instance')),
          ),
        );
      } catch (error) {
        toast(commandFailure(error, `${decision} this task`), 'error');
      }
    };

    mount(
      ctx.main,
      pageHeader(`Task ${task.stepId}`, badge(task.state)),
      h('p', { class: 'crumbs' }, h('a', { href: `#/tasks?role=${encodeURIComponent(task.assignedTo)}` }, `← ${task.assignedTo} inbox`)),
      facts([
        ['Assigned to', task.assignedTo],
        ['Instance', h('a', { href: `#/instances/${encodeURIComponent(task.instanceId)}`, class: 'mono' }, task.instanceId)],
        ['Definition', `${task.definitionName} v${task.definitionVersion}`],
        ['Opened', `${formatTime(task.openedAt)} (${formatRelative(task.openedAt)})`],
        ['Due', task.dueAt !== undefined ? `${formatTime(task.dueAt)} (${formatRelative(task.dueAt)})` : undefined],
        ['Claimed by', task.claimedBy],
        ['Completed by', task.completedBy ? `${task.completedBy} at ${formatTime(task.completedAt)}` : undefined],
      ]),
      h(
        'section',
        { class: 'card task-form', 'aria-label': 'Task form' },
        h('h2', {}, 'Decision'),
        Object.keys(otherConfig).length ? h('div', {}, h('h3', {}, 'Details from the step'), facts(Object.entries(otherConfig).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]))) : null,
        fields.length
          ? inputs.map(({ field, input }) => h('label', { class: 'field', for: input.id }, h('span', {}, `${field.label}${field.required ? ' *' : ''}`), input))
          : h('p', { class: 'muted' }, "The step's config defines no form fields: decide, with a comment if you like."),
        h('label', { class: 'field', for: 'wm-task-comment' }, h('span', {}, 'Comment'), comment),
        h('details', { class: 'preview-box' }, h('summary', {}, `Sent on approve (under "${target.key}")`), preview),
        h(
          'div',
          { class: 'task-buttons' },
          task.state === 'OPEN' ? h('button', { type: 'button', class: 'btn', 'data-decision': 'claim', onClick: () => void act('claim') }, 'Claim') : null,
          h('button', { type: 'button', class: 'btn btn-approve', 'data-decision': 'approve', disabled: !active, onClick: () => void act('approve') }, 'Approve'),
          h('button', { type: 'button', class: 'btn btn-danger', 'data-decision': 'reject', disabled: !active, onClick: () => void act('reject') }, 'Reject'),
          h('button', { type: 'button', class: 'btn', 'data-decision': 'complete', disabled: !active, onClick: () => void act('complete') }, 'Complete'),
        ),
        active ? null : h('p', { class: 'muted' }, `This task is ${task.state.toLowerCase()}: nothing left to decide.`),
      ),
      h(
        'section',
        { class: 'card' },
        h('h2', {}, 'Instance data'),
        instance.error ? failurePanel(instance.error, 'read the instance of this task') : jsonBlock(instance.data, 'Instance data'),
      ),
    );
  }

  return { load };
}

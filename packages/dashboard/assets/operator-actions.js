/**
 * The operator's controls on an instance page: **Migrate…** (the dry-run plan shown before it is
 * applied), **Edit data…**, and on each step **Retry from here** and **Skip…**. Each asks for
 * confirmation, is disabled when the instance's state or the API's permissions do not allow it,
 * and reports the API's refusal in a toast.
 */
import { confirmDialog } from './confirm-dialog.js';
import { h } from './dom.js';
import { renderPlan } from './migration-plan.js';
import { commandFailure, toast } from './panels.js';
import { badge } from './pages/common.js';

const TERMINAL = new Set(['COMPLETED', 'FAILED', 'CANCELLED']);
/** Instance states in which a step may be retried from or skipped. */
const LIVE_OR_FAILED = new Set(['RUNNING', 'WAITING', 'PAUSED', 'FAILED']);
/** Step statuses still in progress. */
const ACTIVE = new Set(['SCHEDULED', 'RETRY_WAIT', 'WAITING']);

/** Why `operation` is disabled: the permissions first, then `stateReason`. */
function reasonOf(permitted, operation, what, stateReason) {
  if (permitted && !permitted.has(operation)) return `You may not ${what}.`;
  return stateReason;
}

/** Run `call`, toast what happened, reload the page. */
async function perform(call, doing, done, reload) {
  try {
    const after = await call();
    toast(`${done}${after?.state ? `: the instance is ${after.state.toLowerCase()}` : ''}.`);
  } catch (error) {
    toast(commandFailure(error, doing), 'error');
  }
  await reload();
}

/** The target versions offered for `inst`: every other stored or loaded version of its definition. */
function targetVersions(inst, versions) {
  const all = [...new Set(versions.filter((v) => v.name === inst.definitionName).map((v) => v.version))];
  return all.filter((v) => v !== inst.definitionVersion).reverse();
}

async function migrate(ctx, inst, versions, reload) {
  const targets = targetVersions(inst, versions);
  const choice = await confirmDialog({
    title: 'Migrate instance?',
    message: `Move ${inst.id} from ${inst.definitionName} v${inst.definitionVersion} to another version. Next you see the plan (a dry run); nothing changes until you confirm it.`,
    confirmLabel: 'Show the plan',
    fields: [
      { name: 'toVersion', label: 'Target version', type: 'select', options: targets.map((v) => ({ value: v, label: `v${v}` })) },
      { name: 'stepMap', label: 'Step mapping for steps the target lacks (JSON object, old step → new step)', type: 'json', value: '{}' },
    ],
  });
  if (!choice) return;
  const body = { toVersion: choice.toVersion, ...(Object.keys(choice.stepMap).length ? { stepMap: choice.stepMap } : {}) };
  let plan;
  try {
    plan = await ctx.api.migrate(inst.id, { ...body, dryRun: true });
  } catch (error) {
    toast(commandFailure(error, `migrate this instance to v${choice.toVersion}`), 'error');
    return;
  }
  const apply = await confirmDialog({
    title: `Apply the migration to v${choice.toVersion}?`,
    message: 'The dry run says the instance would move like this. It is applied in one commit, with you in its history.',
    content: renderPlan(plan),
    confirmLabel: 'Migrate',
    wide: true,
  });
  if (!apply) return;
  await perform(() => ctx.api.migrate(inst.id, body), `migrate this instance to v${choice.toVersion}`, `Migrated to v${choice.toVersion}`, reload);
}

async function editData(ctx, inst, reload) {
  const answer = await confirmDialog({
    title: 'Edit instance data?',
    message: 'The patch is merged into the data: each top-level key is replaced, a key set to null is removed. Kept in the history.',
    confirmLabel: 'Update data',
    fields: [{ name: 'patch', label: 'Patch (JSON object)', type: 'json', value: '{}' }],
  });
  if (!answer) return;
  await perform(() => ctx.api.updateData(inst.id, answer.patch), 'update the data of this instance', 'Data updated', reload);
}

/** The instance-level buttons (Migrate…, Edit data…), for the command bar. */
export function operatorButtons(ctx, inst, permitted, versions, reload) {
  const migrateReason = reasonOf(permitted, 'instances.migrate', 'migrate this instance', TERMINAL.has(inst.state) ? `Not possible: the instance is ${inst.state.toLowerCase()}.` : targetVersions(inst, versions).length === 0 ? `No other version of ${inst.definitionName} is stored.` : undefined);
  const dataReason = reasonOf(permitted, 'instances.update_data', 'edit the data of this instance', inst.state === 'COMPLETED' || inst.state === 'CANCELLED' ? `Not possible: the instance is ${inst.state.toLowerCase()}.` : undefined);
  return [
    h('button', { type: 'button', class: 'btn', 'data-command': 'migrate', disabled: migrateReason !== undefined, title: migrateReason, onClick: () => void migrate(ctx, inst, versions, reload) }, 'Migrate…'),
    h('button', { type: 'button', class: 'btn', 'data-command': 'update-data', disabled: dataReason !== undefined, title: dataReason, onClick: () => void editData(ctx, inst, reload) }, 'Edit data…'),
  ];
}

function retryReason(inst, rec, permitted) {
  if (!LIVE_OR_FAILED.has(inst.state)) return reasonOf(permitted, 'instances.retry_from', 'retry this instance from a step', `Not possible: the instance is ${inst.state.toLowerCase()}.`);
  return reasonOf(permitted, 'instances.retry_from', 'retry this instance from a step', ACTIVE.has(rec.status) ? 'The step is still in progress: skip it instead.' : undefined);
}

function skipReason(inst, rec, permitted) {
  const skippable = inst.state === 'FAILED' ? rec.status === 'FAILED' : LIVE_OR_FAILED.has(inst.state) && ACTIVE.has(rec.status);
  return reasonOf(permitted, 'instances.skip_step', 'skip steps of this instance', skippable ? undefined : 'Only a scheduled, retrying or waiting step (or the failed step of a failed instance) can be skipped.');
}

async function retryFrom(ctx, inst, stepId, reload) {
  const ok = await confirmDialog({
    title: `Retry from ${stepId}?`,
    message: `Step ${stepId} runs again; the results of the steps after it are cleared, as the saga would see them. Instance ${inst.id}, now ${inst.state.toLowerCase()}.`,
    confirmLabel: 'Retry from here',
  });
  if (!ok) return;
  await perform(() => ctx.api.retryFrom(inst.id, stepId), `retry this instance from step ${stepId}`, `Retried from ${stepId}`, reload);
}

async function skip(ctx, inst, stepId, reload) {
  const answer = await confirmDialog({
    title: `Skip ${stepId}?`,
    message: `Step ${stepId} is completed as if its action had returned the data below (merged into the instance data), and the instance routes on. A running attempt is aborted.`,
    confirmLabel: 'Skip step',
    danger: true,
    fields: [{ name: 'data', label: 'Result data (JSON object, optional)', type: 'json', value: '{}' }],
  });
  if (!answer) return;
  await perform(() => ctx.api.skipStep(inst.id, stepId, answer.data), `skip step ${stepId}`, `Step ${stepId} skipped`, reload);
}

/** A card listing the instance's step records, each with Retry from here and Skip…. */
export function stepsCard(ctx, inst, permitted, reload) {
  const entries = Object.entries(inst.steps ?? {});
  if (!entries.length) return null;
  return h(
    'section',
    { class: 'card' },
    h('h2', {}, 'Steps'),
    h(
      'table',
      { class: 'table compact', 'aria-label': 'Steps of this instance' },
      h('thead', {}, h('tr', {}, ['Step', 'Status', 'Attempt', ''].map((c) => h('th', {}, c)))),
      h(
        'tbody',
        {},
        entries.map(([stepId, rec]) => {
          const retry = retryReason(inst, rec, permitted);
          const skipWhy = skipReason(inst, rec, permitted);
          return h(
            'tr',
            { 'data-step-row': stepId },
            h('td', { class: 'mono' }, stepId),
            h('td', {}, badge(rec.status)),
            h('td', {}, String(rec.attempt ?? '')),
            h(
              'td',
              { class: 'step-actions' },
              h('button', { type: 'button', class: 'btn btn-small', 'data-step-command': 'retry-from', disabled: retry !== undefined, title: retry, onClick: () => void retryFrom(ctx, inst, stepId, reload) }, 'Retry from here'),
              ' ',
              h('button', { type: 'button', class: 'btn btn-small btn-danger-outline', 'data-step-command': 'skip', disabled: skipWhy !== undefined, title: skipWhy, onClick: () => void skip(ctx, inst, stepId, reload) }, 'Skip…'),
            ),
          );
        }),
      ),
    ),
  );
}

/** Human renderings of an instance: a summary, its steps, what it waits for. */
import { formatDuration, type InstanceRecord } from '@workflow-mastery/core';
import type { Output } from '../output.js';
import { paintState } from './state-color.js';
import { formatTime } from './time-format.js';

/** `id  name v1  STATE` on one line. */
export function instanceHeadline(out: Output, inst: InstanceRecord): string {
  return `${out.c.bold(inst.id)}  ${inst.definitionName} v${inst.definitionVersion}  ${paintState(out.c, inst.state)}`;
}

/**
 * Summary lines, the steps table and the error, as `status` prints them. `cli` starts the printed
 * next steps (`workflow-mastery --module ./m.js`, see `Session.hintCommand`).
 */
export function instanceDetails(out: Output, inst: InstanceRecord, cli: string): string[] {
  const c = out.c;
  const lines = [instanceHeadline(out, inst)];
  lines.push(`${c.dim('created')}  ${formatTime(inst.createdAt)}   ${c.dim('updated')}  ${formatTime(inst.updatedAt)}`);
  if (inst.completedAt !== undefined) lines.push(`${c.dim('finished')} ${formatTime(inst.completedAt)} (${formatDuration(inst.completedAt - inst.createdAt)})`);
  if (inst.startedBy) lines.push(`${c.dim('started by')} ${inst.startedBy}`);
  if (inst.businessKey !== undefined) lines.push(`${c.dim('business key')} ${inst.businessKey}${inst.uniqueBusinessKey ? c.dim(' (unique)') : ''}`);
  const attributes = Object.entries(inst.attributes ?? {});
  if (attributes.length > 0) lines.push(`${c.dim('attributes')} ${attributes.map(([name, value]) => `${name}=${value}`).join(', ')}`);
  if (inst.purgeAfter !== undefined) lines.push(`${c.dim('purged after')} ${formatTime(inst.purgeAfter)}`);
  if (inst.error) lines.push(c.red(`error: ${inst.error.stepId ? `${inst.error.stepId}: ` : ''}${inst.error.message}${inst.error.code ? ` [${inst.error.code}]` : ''}`));
  if (inst.compensation) lines.push(c.yellow(`compensation: ${inst.compensation.status}${inst.compensation.failed.length ? ` (failed: ${inst.compensation.failed.join(', ')})` : ''}`));
  const rows = Object.entries(inst.steps).map(([stepId, rec]) => [
    stepId,
    paintState(c, rec.status),
    String(rec.attempt),
    formatTime(rec.completedAt ?? rec.scheduledAt),
    rec.error ? c.red(truncate(rec.error.message, 60)) : rec.task ? `task ${rec.task.state.toLowerCase()} for ${rec.task.assignedTo}` : rec.wait?.signal ? `waits for signal "${rec.wait.signal}"` : '',
  ]);
  if (rows.length > 0) lines.push(out.table(['step', 'status', 'attempt', 'at', 'note'], rows));
  lines.push(...waitingHints(out, inst, cli));
  return lines;
}

/** How to move an instance on: the tasks to complete and the signals it waits for, as commands starting with `cli`. */
export function waitingHints(out: Output, inst: InstanceRecord, cli: string): string[] {
  const lines: string[] = [];
  for (const [stepId, rec] of Object.entries(inst.steps)) {
    if (rec.status !== 'WAITING') continue;
    if (rec.task && (rec.task.state === 'OPEN' || rec.task.state === 'CLAIMED')) {
      lines.push(
        `${out.c.yellow('☐')} task ${out.c.bold(rec.task.id)} (${stepId}) for ${rec.task.assignedTo}${rec.task.dueAt ? `, due ${formatTime(rec.task.dueAt)}` : ''}`,
        `  complete it: ${out.c.cyan(`${cli} complete ${rec.task.id} --data '{...}' --by USER`)}`,
      );
    } else if (rec.wait?.signal) {
      lines.push(
        `${out.c.yellow('✉')} ${stepId} waits for signal "${rec.wait.signal}"`,
        `  send it: ${out.c.cyan(`${cli} signal ${inst.id} ${rec.wait.signal} --data '{...}'`)}`,
      );
    }
  }
  if (inst.state === 'PAUSED') lines.push(`paused: ${out.c.cyan(`${cli} resume ${inst.id}`)}`);
  if (inst.state === 'FAILED') lines.push(`retry it: ${out.c.cyan(`${cli} retry ${inst.id}`)}`);
  return lines;
}

/** Shorten `text` to `max` characters with an ellipsis. */
export function truncate(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

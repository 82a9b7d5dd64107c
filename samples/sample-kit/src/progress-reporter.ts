/** Prints one readable line per thing that happens to an instance: steps, retries, signals, human tasks, saga, end. */
import { formatDuration } from '@workflow-mastery/core';
import type { JsonObject, WorkflowEngine, WorkflowEvent } from '@workflow-mastery/core';

const useColor = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
const paint = (code: number) => (s: string) => (useColor ? `\u001b[${code}m${s}\u001b[0m` : s);
export const green = paint(32);
export const red = paint(31);
export const yellow = paint(33);
export const cyan = paint(36);
export const dim = paint(2);

/** Subscribe to `engine` and write a line per event through `write`; `label` names an instance. */
export function reportProgress(engine: WorkflowEngine, write: (line: string) => void, label: (instanceId: string) => string): () => void {
  const line = (e: WorkflowEvent, text: string) => write(`${label(e.instanceId).padEnd(8)} ${text}`);
  const code = (e: WorkflowEvent) => {
    const c = (e.data?.error as JsonObject | undefined)?.code;
    return typeof c === 'string' ? ` (${c})` : '';
  };
  const err = (e: WorkflowEvent) => String(((e.data?.error as JsonObject | undefined)?.message as string | undefined) ?? '');
  return engine.on('*', (e) => {
    const step = e.stepId ?? '';
    switch (e.type) {
      case 'workflow.started':
        line(e, cyan(`▶ started ${e.definitionName} v${e.definitionVersion}`));
        break;
      case 'step.completed':
        line(e, `${green('✔')} ${step}${e.attempt && e.attempt > 1 ? dim(` (attempt ${e.attempt})`) : ''}`);
        break;
      case 'step.skipped':
        line(e, dim(`↷ ${step} skipped: guard \`${String(e.data?.condition)}\` does not hold`));
        break;
      case 'step.retrying':
        line(e, yellow(`⟳ ${step} attempt ${e.attempt} failed: ${err(e)}; retry ${Number(e.data?.nextAttempt)} in ${formatDuration(Number(e.data?.delayMs))}`));
        break;
      case 'step.failed':
        line(e, red(`✖ ${step} failed after ${Number(e.data?.attempts)} attempt(s): ${err(e)}`));
        break;
      case 'step.waiting':
        line(e, yellow(`⏸ ${step} waiting for signal "${String(e.data?.signal)}"`));
        break;
      case 'signal.received':
        line(e, cyan(`✉ signal "${String(e.data?.name)}" received`));
        break;
      case 'task.opened':
        line(e, yellow(`☐ ${step}: task opened for ${String(e.data?.assignedTo)}${typeof e.data?.dueAt === 'number' ? `, due in ${formatDuration(e.data.dueAt - e.at)}` : ''}`));
        break;
      case 'task.claimed':
        line(e, dim(`  ${step}: task claimed by ${String(e.data?.by)}`));
        break;
      case 'task.completed':
        line(e, cyan(`☑ ${step}: ${verdict(e.data?.data as JsonObject | undefined)} by ${String(e.data?.by)}`));
        break;
      case 'task.expired':
        line(e, red(`⌛ ${step}: task for ${String(e.data?.assignedTo)} is overdue`));
        break;
      case 'compensation.started':
        line(e, yellow(`↩ compensating: ${(e.data?.steps as string[]).join(' ← ') || 'nothing to undo'}`));
        break;
      case 'compensation.step_completed':
        line(e, yellow(`↩ ${step} undone by ${String(e.data?.action)}`));
        break;
      case 'compensation.step_failed':
        line(e, red(`↩ ${step}: ${String(e.data?.action)} failed: ${err(e)}`));
        break;
      case 'workflow.completed':
        line(e, green(`■ COMPLETED in ${formatDuration(Number(e.data?.durationMs))}`));
        break;
      case 'workflow.failed':
        line(e, red(`■ FAILED${code(e)}: ${err(e)}${e.data?.compensation ? ` (compensation ${String(e.data.compensation).toLowerCase()})` : ''}`));
        break;
      case 'workflow.cancelled':
        line(e, red('■ CANCELLED'));
        break;
      default:
        break;
    }
  });
}

/** `approved`, `rejected` (or `granted`/`refused`) from a completed task's data, else its JSON. */
export function verdict(data: JsonObject | undefined): string {
  for (const value of Object.values(data ?? {})) {
    const v = value as JsonObject | null;
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      if (typeof v.approved === 'boolean') return v.approved ? 'approved' : 'rejected';
      if (typeof v.granted === 'boolean') return v.granted ? 'granted' : 'refused';
    }
  }
  if (typeof data?.approved === 'boolean') return data.approved ? 'approved' : 'rejected';
  return JSON.stringify(data ?? {});
}

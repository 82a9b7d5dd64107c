/** One short phrase per history event, for `history` and the progress display. */
import { formatDuration, type JsonObject } from '@workflow-mastery/core';

/** What the phrase needs of an event (history events and engine events both have it). */
export interface EventLike {
  type: string;
  at: number;
  stepId?: string;
  attempt?: number;
  data?: JsonObject;
}

const errorOf = (data: JsonObject | undefined): string => {
  const error = data?.error as JsonObject | undefined;
  if (!error) return '';
  return `${String(error.message ?? '')}${typeof error.code === 'string' ? ` [${error.code}]` : ''}`;
};

/** A phrase saying what happened (without the step name, shown in its own column). */
export function describeEvent(e: EventLike): string {
  const d = e.data;
  switch (e.type) {
    case 'workflow.started':
      return d?.startedBy ? `started by ${String(d.startedBy)}` : 'started';
    case 'workflow.completed':
      return typeof d?.durationMs === 'number' ? `completed in ${formatDuration(d.durationMs)}` : 'completed';
    case 'workflow.failed':
      return `failed: ${errorOf(d)}${d?.compensation ? ` (compensation ${String(d.compensation).toLowerCase()})` : ''}`;
    case 'workflow.cancelled':
      return d?.reason ? `cancelled: ${String(d.reason)}` : 'cancelled';
    case 'step.completed':
      return 'completed';
    case 'step.failed':
      return `failed${typeof d?.attempts === 'number' ? ` after ${d.attempts} attempt(s)` : ''}: ${errorOf(d)}`;
    case 'step.retrying':
      return `attempt ${e.attempt ?? '?'} failed: ${errorOf(d)}; retry${typeof d?.delayMs === 'number' ? ` in ${formatDuration(d.delayMs)}` : ''}`;
    case 'step.skipped':
      return d?.condition ? `skipped: guard \`${String(d.condition)}\` does not hold` : 'skipped';
    case 'step.waiting':
      return d?.signal ? `waiting for signal "${String(d.signal)}"` : 'waiting';
    case 'signal.received':
      return `signal "${String(d?.name)}" received`;
    case 'task.opened':
      return `task opened for ${String(d?.assignedTo)}`;
    case 'task.claimed':
      return `task claimed by ${String(d?.by)}`;
    case 'task.completed':
      return `task completed by ${String(d?.by)}`;
    case 'task.expired':
      return 'task overdue';
    case 'compensation.started':
      return Array.isArray(d?.steps) ? `compensating ${(d.steps as string[]).join(' ← ') || 'nothing'}` : 'compensating';
    case 'compensation.step_completed':
      return `undone by ${String(d?.action)}`;
    case 'compensation.step_failed':
      return `undo by ${String(d?.action)} failed: ${errorOf(d)}`;
    default:
      return e.type.split('.').slice(1).join(' ').replace(/_/g, ' ');
  }
}

/**
 * An instance's history as a timeline: one span per step attempt (scheduled → its outcome), with
 * its task's wait, duration and error. A pure function of the history events.
 */

const ENDS = { 'step.completed': 'completed', 'step.failed': 'failed', 'step.retrying': 'retrying', 'step.cancelled': 'cancelled' };

/** `{ start, end, spans }` of `events` (oldest first); `now` ends a timeline still running (open spans keep `end: undefined`). */
export function buildTimeline(events, now = Date.now()) {
  const spans = [];
  const open = new Map();
  let start, end;
  for (const e of events ?? []) {
    start ??= e.at;
    end = e.at;
    const key = e.stepId;
    if (e.type === 'step.scheduled') {
      const span = { stepId: key, attempt: e.attempt ?? 1, start: e.at, end: undefined, outcome: 'running', action: e.data?.action };
      spans.push(span);
      open.set(key, span);
    } else if (ENDS[e.type] && open.has(key)) {
      const span = open.get(key);
      span.end = e.at;
      span.outcome = ENDS[e.type];
      if (e.data?.error) span.error = e.data.error;
      if (e.type === 'step.retrying') span.retry = { nextAttempt: e.data?.nextAttempt, delayMs: e.data?.delayMs };
      open.delete(key);
    } else if (e.type === 'step.skipped') {
      spans.push({ stepId: key, attempt: 0, start: e.at, end: e.at, outcome: 'skipped', reason: e.data?.condition });
    } else if (e.type === 'step.waiting' && open.has(key)) {
      open.get(key).waitingFor = e.data?.signal;
    } else if (e.type === 'task.opened' && open.has(key)) {
      open.get(key).task = { openedAt: e.at, assignedTo: e.data?.assignedTo };
    } else if ((e.type === 'task.completed' || e.type === 'task.expired') && open.has(key) && open.get(key).task) {
      Object.assign(open.get(key).task, { closedAt: e.at, by: e.data?.by, expired: e.type === 'task.expired' });
    }
  }
  const last = events?.[events.length - 1];
  const finished = last && /^workflow\.(completed|failed|cancelled)$/.test(last.type);
  if (!finished && start !== undefined) end = Math.max(end, now);
  return { start, end, spans };
}

/** A one-line description of an event for the event list. */
export function describeEvent(e) {
  const d = e.data ?? {};
  switch (e.type) {
    case 'workflow.started': return `started ${d.definition ?? ''} ${d.version ? `v${d.version}` : ''}${d.by ? ` by ${d.by}` : ''}`.trim();
    case 'step.scheduled': return `attempt ${e.attempt ?? 1} scheduled (${d.action ?? 'action'})`;
    case 'step.completed': return `completed${d.durationMs !== undefined ? ` in ${d.durationMs} ms` : ''}`;
    case 'step.failed': return `failed: ${d.error?.message ?? 'error'}${d.error?.code ? ` (${d.error.code})` : ''}`;
    case 'step.retrying': return `attempt ${e.attempt} failed: ${d.error?.message ?? 'error'}; retry ${d.nextAttempt ?? ''} in ${d.delayMs ?? '?'} ms`;
    case 'step.skipped': return `skipped: ${d.condition ?? 'guard'} does not hold`;
    case 'step.waiting': return `waiting for signal ${d.signal ?? ''}`;
    case 'task.opened': return `task opened for ${d.assignedTo ?? '?'}`;
    case 'task.claimed': return `task claimed by ${d.by ?? '?'}`;
    case 'task.completed': return `task completed by ${d.by ?? '?'}${d.data ? `: ${JSON.stringify(d.data)}` : ''}`;
    case 'signal.received': return `signal ${d.name ?? ''} received${d.by ? ` from ${d.by}` : ''}`;
    case 'workflow.failed': return `failed: ${d.error?.message ?? d.message ?? ''}`;
    case 'workflow.cancelled': return `cancelled${d.reason ? `: ${d.reason}` : ''}${d.by ? ` by ${d.by}` : ''}`;
    case 'workflow.paused': return `paused${d.by ? ` by ${d.by}` : ''}`;
    case 'workflow.resumed': return `resumed${d.by ? ` by ${d.by}` : ''}`;
    case 'workflow.completed': return `completed${d.durationMs !== undefined ? ` in ${d.durationMs} ms` : ''}`;
    default: return Object.keys(d).length ? JSON.stringify(d) : '';
  }
}

/**
 * The path an instance took, read from its history, one entry per step as it ended:
 * - `validate_order`: the step completed;
 * - `check_fraud(skipped)`: its conditions did not hold, so it was skipped;
 * - `process_payment(failed)`: it failed for good (retries used up, or not retryable);
 * - `legal_review(timed out)`: its human task passed its due time and its `on_timeout` route was taken
 *   (without such a route the step fails instead: `legal_review(failed)`, with `WF_TIMEOUT`);
 * - `deploy(cancelled)`: it was cancelled (the instance was cancelled or timed out while it ran);
 * - `↩refund_payment`: a compensation action completed (saga), named by the action, not the step;
 * - `↩refund_payment(failed)`: a compensation gave up.
 * Retried attempts are not entries: a step retried twice then completed is one `step`.
 * The same notation as the samples' demos print.
 */
import type { HistoryEvent } from '@workflow-mastery/core';

/** An instance with its history attached (as `t.instance(id)` returns it). */
export interface WithHistory {
  history: HistoryEvent[];
}

/** The compensation mark in paths. */
export const COMPENSATION_MARK = '↩';

/** The steps `instance` took, in order, in the notation above. */
export function pathOf(instance: WithHistory | HistoryEvent[]): string[] {
  const history = Array.isArray(instance) ? instance : instance?.history;
  if (!Array.isArray(history)) {
    throw new TypeError('pathOf(instance): the instance has no history; read it with `await t.instance(id)` (or pass engine.getHistory(id))');
  }
  return history.flatMap((e, i) => {
    switch (e.type) {
      case 'step.completed':
        return [e.stepId!];
      case 'step.skipped':
        return [`${e.stepId}(skipped)`];
      case 'step.failed':
        return [`${e.stepId}(failed)`];
      case 'step.cancelled':
        return [`${e.stepId}(cancelled)`];
      case 'task.expired':
        return failsInSameCommit(history, i) ? [] : [`${e.stepId}(timed out)`];
      case 'compensation.step_completed':
        return [`${COMPENSATION_MARK}${String(e.data?.action ?? e.stepId)}`];
      case 'compensation.step_failed':
        // Attempts that will be retried are not entries; the last one (`final`) is.
        return e.data?.final === true ? [`${COMPENSATION_MARK}${String(e.data?.action ?? e.stepId)}(failed)`] : [];
      default:
        return [];
    }
  });
}

/** True when the step of the `task.expired` at `index` failed in the same commit (no escalation route). */
function failsInSameCommit(history: HistoryEvent[], index: number): boolean {
  const expired = history[index]!;
  for (let i = index + 1; i < history.length && history[i]!.at === expired.at; i++) {
    const e = history[i]!;
    if (e.stepId === expired.stepId && e.type === 'step.failed') return true;
  }
  return false;
}

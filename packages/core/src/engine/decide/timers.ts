/** Durable timers firing: retries and compensation retries due, wait timeouts, task due dates, the workflow deadline. */
import { ErrorCode } from '../../errors.js';
import type { InstanceRecord } from '../../model/instance.types.js';
import { Draft } from './draft.js';
import { schedule, settle } from './routing.js';
import { failWorkflow } from './saga.js';
import { stepAttemptFailed } from './step-outcomes.js';
import { taskOverdue } from './tasks.js';
import type { DecideEnv, Decision } from './types.js';

/**
 * A timer of a live instance fired. Ignored when it is gone or was re-armed for another time
 * (`fireAt`); its action is skipped when the step has moved on since it was armed.
 */
export function timerFired(env: DecideEnv, instance: InstanceRecord, timerId: string, fireAt?: number): Decision {
  const timer = instance.timers.find((t) => t.id === timerId);
  if (!timer) return { ignored: true, reason: `no timer ${timerId}` };
  if (fireAt !== undefined && timer.fireAt !== fireAt) return { ignored: true, reason: `timer ${timerId} was re-armed for ${timer.fireAt}` };
  const d = new Draft(env, instance);
  d.inst.timers = d.inst.timers.filter((t) => t.id !== timerId);
  const stepId = timer.stepId!;
  const rec = d.inst.steps[stepId];
  switch (timer.kind) {
    case 'retry':
      if (rec?.status === 'RETRY_WAIT') schedule(d, stepId, { attempt: rec.attempt });
      break;
    case 'compensation_retry':
      if (rec?.compensation?.status === 'RETRY_WAIT') {
        d.setStep(stepId, { compensation: { ...rec.compensation, status: 'SCHEDULED' } });
        d.effects.push({ type: 'run', stepId, attempt: rec.compensation.attempt, kind: 'compensation', run: rec.run });
      }
      break;
    case 'wait_timeout':
      if (rec?.status === 'WAITING') {
        const signalName = rec.wait?.signal ?? '?';
        d.setStep(stepId, { status: 'SCHEDULED' });
        stepAttemptFailed(d, stepId, {
          message: `No signal "${signalName}" arrived before the wait's timeout`,
          code: ErrorCode.Timeout,
          retryable: true,
        });
      }
      break;
    case 'task_due':
      if (rec?.status === 'WAITING' && rec.task && (rec.task.state === 'OPEN' || rec.task.state === 'CLAIMED')) taskOverdue(d, stepId, stepAttemptFailed);
      break;
    case 'deadline':
      // A saga already unwinding is not interrupted by the deadline.
      if (d.inst.state !== 'COMPENSATING') {
        d.emit('workflow.timed_out', { data: { timeoutMs: env.definition.timeoutMs ?? 0 } });
        failWorkflow(d, {
          message: `Workflow deadline passed (timeout ${env.definition.source.timeout ?? `${env.definition.timeoutMs}ms`})`,
          code: ErrorCode.Timeout,
          retryable: false,
        });
      }
      break;
  }
  settle(d);
  return d.result();
}

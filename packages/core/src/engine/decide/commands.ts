/**
 * Commands from people and systems: pause, resume, cancel, retry, and signals. A command the
 * instance's state forbids throws {@link IllegalTransitionError}; nothing is recorded then.
 */
import type { JsonObject } from '../../definition/definition.types.js';
import { ErrorCode, IllegalTransitionError } from '../../errors.js';
import type { InstanceRecord } from '../../model/instance.types.js';
import { isTerminal } from '../../model/instance.types.js';
import { runnableWork } from '../../model/runnable-work.js';
import { deepFreeze, Draft, who } from './draft.js';
import { schedule, settle } from './routing.js';
import { cancelActive } from './saga.js';
import { stepSucceeded } from './step-outcomes.js';
import type { DecideEnv, Decision, DecisionInput } from './types.js';

/** A signal: delivered to every step waiting for it, else buffered for the next wait on that name. */
export function signal(env: DecideEnv, instance: InstanceRecord, input: Extract<DecisionInput, { type: 'signal' }>): Decision {
  if (isTerminal(instance.state) || instance.state === 'COMPENSATING') {
    throw new IllegalTransitionError(`signal "${input.name}" to`, instance.id, instance.state, 'signals reach only running, waiting or paused instances');
  }
  const d = new Draft(env, instance);
  const waiting = Object.entries(d.inst.steps)
    .filter(([, r]) => r.status === 'WAITING' && r.wait?.signal === input.name)
    .map(([id]) => id);
  d.emit('signal.received', { data: { name: input.name, payload: input.payload, delivered: waiting.length > 0, steps: waiting, ...who(input) } });
  if (waiting.length === 0) {
    d.inst.signals = [...d.inst.signals, { name: input.name, payload: deepFreeze(input.payload), receivedAt: env.now }];
  }
  for (const stepId of waiting) {
    d.removeTimer(`wait/${stepId}`);
    stepSucceeded(d, stepId, input.payload);
  }
  settle(d);
  return d.result();
}

/** Pause, resume, cancel (no compensation) or retry (the failed steps, unless the saga unwound). */
export function command(env: DecideEnv, instance: InstanceRecord, input: Extract<DecisionInput, { type: 'pause' | 'resume' | 'cancel' | 'retry' }>): Decision {
  const { state, id } = instance;
  const by: JsonObject = who(input);
  const d = new Draft(env, instance);
  switch (input.type) {
    case 'pause':
      if (state !== 'RUNNING' && state !== 'WAITING' && state !== 'PENDING') {
        throw new IllegalTransitionError('pause', id, state, 'only RUNNING or WAITING instances can be paused');
      }
      d.inst.pausedFrom = state;
      d.setState('PAUSED');
      d.emit('workflow.paused', { data: { ...by } });
      return d.result();
    case 'resume': {
      if (state !== 'PAUSED') throw new IllegalTransitionError('resume', id, state, 'only PAUSED instances can be resumed');
      d.setState('RUNNING');
      d.inst.pausedFrom = undefined;
      d.emit('workflow.resumed', { data: { ...by } });
      for (const work of runnableWork(d.inst)) d.effects.push({ type: 'run', stepId: work.stepId, attempt: work.attempt, kind: work.kind, run: work.record.run });
      settle(d);
      return d.result();
    }
    case 'cancel': {
      if (isTerminal(state)) throw new IllegalTransitionError('cancel', id, state, 'it has already ended');
      if (state === 'COMPENSATING') throw new IllegalTransitionError('cancel', id, state, 'wait for its compensation to finish');
      cancelActive(d, 'instance cancelled');
      d.clearTimers();
      d.setState('CANCELLED');
      d.inst.completedAt = env.now;
      d.inst.error = { message: input.reason ?? 'Cancelled', code: ErrorCode.Cancelled };
      d.emit('workflow.cancelled', { data: { ...(input.reason ? { reason: input.reason } : {}), ...by } });
      return d.result();
    }
    case 'retry': {
      if (state !== 'FAILED') throw new IllegalTransitionError('retry', id, state, 'only FAILED instances can be retried');
      if (instance.compensation) {
        throw new IllegalTransitionError('retry', id, state, 'its saga was compensated; start a new instance instead');
      }
      const again = Object.entries(instance.steps)
        .filter(([, r]) => (r.status === 'FAILED' || r.status === 'CANCELLED') && !r.async)
        .map(([stepId]) => stepId);
      if (again.length === 0) {
        throw new IllegalTransitionError('retry', id, state, 'no step failed (it failed on routing or its deadline); start a new instance instead');
      }
      d.setState('RUNNING');
      d.inst.error = undefined;
      d.inst.completedAt = undefined;
      d.emit('workflow.retried', { data: { steps: again, ...by } });
      if (env.definition.timeoutMs !== undefined) {
        d.addTimer({ id: 'deadline', kind: 'deadline', fireAt: env.now + env.definition.timeoutMs });
      }
      for (const stepId of again) schedule(d, stepId, { attempt: 1, error: undefined, task: undefined });
      settle(d);
      return d.result();
    }
  }
}

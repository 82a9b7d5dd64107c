/**
 * The pure centre of the engine: given a definition, an instance and one input (a step result,
 * a timer, a signal, a command), compute the next instance, the history events to append and the
 * effects to carry out after the commit. No I/O, no clock reads, no randomness: everything it
 * needs comes in through {@link DecideEnv}.
 *
 * Semantics decided here (see docs/semantics.md; choices where it is silent are noted):
 * - Routing is exclusive: the first conditional transition that holds is taken, else the first
 *   default. Fan-out happens only through parallel groups.
 * - A group member's failure fails the workflow (whatever the join).
 * - `async` steps do not block routing and their result is not merged into the data; the instance
 *   completes once they have settled too, so their outcome is in the history; their failure is a
 *   `step.failed` event, never a workflow failure.
 * - Pause lets running attempts finish and records their results but starts nothing new; timers
 *   still fire (a retry becomes due and waits for resume). The instance completes only on resume.
 * - Cancel does not compensate. Retry is refused once a saga has unwound.
 * - Compensations run one at a time in reverse completion order; a compensation that fails after
 *   its retries is recorded and the rest still run.
 *
 * Modules, lowest first (each imports only those before it): types, draft, saga, routing, tasks,
 * step-outcomes, timers, commands, operator, this index; migration (planning a move to another
 * version) builds on operator and is called by the migrator, not by `decide`.
 */
import type { InstanceRecord } from '../../model/instance.types.js';
import { isTerminal } from '../../model/instance.types.js';
import { runnableWork } from '../../model/runnable-work.js';
import { command, signal } from './commands.js';
import { operatorCommand } from './operator.js';
import { deepFreeze, Draft, who } from './draft.js';
import { enterNode, settle } from './routing.js';
import { outcome, skippedAttemptOutcome, stepSucceeded } from './step-outcomes.js';
import { taskCommand } from './tasks.js';
import { timerFired } from './timers.js';
import type { DecideEnv, Decision, DecisionInput, Effect, StartParams } from './types.js';

export type { Audit, DecideEnv, Decision, DecisionInput, Effect, StartParams } from './types.js';
export { deepFreeze } from './draft.js';
export { parseTaskId } from './tasks.js';

/** The first decision: a new RUNNING instance with its start step (or group) entered. */
export function startInstance(env: DecideEnv, params: StartParams): Decision & { ignored: false } {
  const { definition, now } = env;
  const blank: InstanceRecord = {
    id: params.id,
    definitionName: definition.name,
    definitionVersion: definition.version,
    state: 'RUNNING',
    data: deepFreeze(params.data),
    steps: {},
    timers: [],
    signals: [],
    version: 0,
    seq: 0,
    completions: 0,
    createdAt: now,
    updatedAt: now,
    ...(params.startedBy !== undefined ? { startedBy: params.startedBy } : {}),
    ...(params.idempotencyKey !== undefined ? { idempotencyKey: params.idempotencyKey } : {}),
    ...(params.parent !== undefined ? { parent: params.parent } : {}),
    ...(params.correlationId !== undefined ? { correlationId: params.correlationId } : {}),
    ...(params.traceContext !== undefined ? { traceContext: params.traceContext } : {}),
    ...(params.businessKey !== undefined ? { businessKey: params.businessKey } : {}),
    ...(params.businessKey !== undefined && params.uniqueBusinessKey ? { uniqueBusinessKey: true as const } : {}),
  };
  const d = new Draft(env, blank);
  d.emit('workflow.started', {
    // `input`: the start data, so that a replay (`replayHistory`) can re-run the decisions from the history alone.
    data: {
      definition: definition.name,
      version: definition.version,
      ...who({ by: params.startedBy, from: params.startedFrom }),
      ...(params.businessKey !== undefined ? { businessKey: params.businessKey } : {}),
      input: blank.data,
    },
  });
  if (definition.timeoutMs !== undefined) {
    d.addTimer({ id: 'deadline', kind: 'deadline', fireAt: now + definition.timeoutMs });
  }
  enterNode(d, definition.start);
  settle(d);
  return d.result() as Decision & { ignored: false };
}

/** Apply one input to an instance. Throws `IllegalTransitionError` for commands its state forbids. */
export function decide(env: DecideEnv, instance: InstanceRecord, input: DecisionInput): Decision {
  switch (input.type) {
    case 'pause':
    case 'resume':
    case 'cancel':
    case 'retry':
      return command(env, instance, input);
    case 'signal':
      return signal(env, instance, input);
    case 'task.claim':
    case 'task.complete':
      return taskCommand(env, instance, input, stepSucceeded);
    case 'retry_from':
    case 'skip_step':
    case 'update_data':
      return operatorCommand(env, instance, input);
    default:
      // Work and timers of an ended instance are late arrivals (refused with an event when its step was skipped).
      if (isTerminal(instance.state) && (input.type === 'timer.fired' || !skippedAttemptOutcome(instance, input))) {
        return { ignored: true, reason: `instance is ${instance.state}` };
      }
      return input.type === 'timer.fired' ? timerFired(env, instance, input.timerId, input.fireAt) : outcome(env, instance, input);
  }
}

/** Effects that re-start an instance after a restart: runnable work and every timer. */
export function recoveryEffects(instance: InstanceRecord): Effect[] {
  const effects: Effect[] = instance.timers.map((timer) => ({ type: 'arm', timer }) as Effect);
  for (const work of runnableWork(instance)) effects.push({ type: 'run', stepId: work.stepId, attempt: work.attempt, kind: work.kind, run: work.record.run });
  return effects;
}

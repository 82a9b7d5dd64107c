/**
 * `replayHistory`: is a recorded history still a valid run of a given definition version, and
 * where does it part from it? What to run in CI before deploying version 2 of a workflow.
 *
 * It re-runs the pure decision function: the recorded start begins a new instance of the
 * definition, then each recorded input (a step's outcome, a signal, a task completed, a timer, an
 * operator's command) is decided again at its recorded time, and the events the definition
 * produces are compared with the recorded ones (type, step, attempt, and for routing the steps).
 * The first that differs is the divergence. Nothing runs: no action, no storage, no clock.
 */
import type { JsonObject, WorkflowDefinition, WorkflowDefinitionInput } from '../../definition/definition.types.js';
import { ErrorCode, isWorkflowError, WorkflowError } from '../../errors.js';
import type { HistoryEvent, InstanceRecord } from '../../model/instance.types.js';
import { decide, startInstance } from '../decide/index.js';
import type { DecisionInput } from '../decide/index.js';
import { describeEvent, divergence, endedStep, reasonFor, sameEvent, type Context } from './divergence.js';
import { inputOf, outcomeStep, silentTimer } from './recorded-inputs.js';
import { recordedEvents, replayEnvironment } from './replay-input.js';
import type { RecordedHistory, ReplayDivergence, ReplayOptions, ReplayResult } from './replay.types.js';

export type { RecordedHistory, ReplayDivergence, ReplayOptions, ReplayResult } from './replay.types.js';

/**
 * Replay a recorded history against a definition: `{ valid: true }` when every recorded event is
 * what the definition produces for the recorded inputs, else the first divergence with a reason.
 *
 * ```ts
 * const result = replayHistory(await engine.getHistory(id), orderProcessingV2);
 * if (!result.valid) console.log(result.divergence.reason);
 * ```
 *
 * A definition's actions' registered options (retry defaults, default compensation) are not in
 * the definition: pass them as `options.actions` (`engine.actions`) when they matter.
 * @throws WorkflowError `WF_INPUT_INVALID` when the history is not one (wrong shape, events out of
 * seq order, no start); `WF_DEFINITION_INVALID` when the definition is not valid.
 */
export function replayHistory(history: RecordedHistory, definition: WorkflowDefinition | WorkflowDefinitionInput, options: ReplayOptions = {}): ReplayResult {
  const { events, instanceId } = recordedEvents(history);
  const env = replayEnvironment(definition, options);
  const ctx: Context = { def: env.definition, after: undefined };
  const lastSeq = events.length;
  const fail = (d: ReplayDivergence): ReplayResult => ({ valid: false, divergence: d });

  /** Compare a decision's events with the recorded ones from `pos`. */
  const match = ({ events: produced, instance }: { events: HistoryEvent[]; instance: InstanceRecord }, pos: number): ReplayDivergence | undefined => {
    ctx.failure = instance.error?.message;
    for (let i = 0; i < produced.length; i++) {
      const p = produced[i]!;
      const r = events[pos + i];
      if (!r) return divergence(lastSeq + 1, undefined, p, `the recorded history ends at seq ${lastSeq}; the definition goes on with ${describeEvent(p)}`);
      if (!sameEvent(p, r)) return divergence(r.seq, r, p, reasonFor(ctx, r, p));
      ctx.after = endedStep(r) ?? ctx.after;
    }
    return undefined;
  };

  const started = events[0]!;
  const recordedName = started.data?.definition;
  if (typeof recordedName === 'string' && recordedName !== env.definition.name) {
    return fail(divergence(1, started, undefined, `the history is a run of workflow '${recordedName}', the definition is '${env.definition.name}'`));
  }
  const first = startInstance({ ...env, now: started.at }, startParams(started, instanceId, options));
  const atStart = match(first, 0);
  if (atStart) return fail(atStart);
  let inst: InstanceRecord = first.instance;
  let pos = first.events.length;

  while (pos < events.length) {
    const r = events[pos]!;
    if (r.type === 'instance.migrated') return fail(divergence(r.seq, r, undefined, migrated(r)));
    const timer = silentTimer(inst, r);
    if (timer) {
      const fired = decide({ ...env, now: Math.min(timer.fireAt, r.at) }, inst, { type: 'timer.fired', timerId: timer.id });
      if (!fired.ignored) {
        const m = match(fired, pos);
        if (m) return fail(m);
        inst = fired.instance;
        pos += fired.events.length;
        continue;
      }
    }
    const input = inputOf(inst, events, pos);
    if (!input) return fail(divergence(r.seq, r, undefined, reasonFor(ctx, r, undefined)));
    const unreached = notReached(ctx, inst, input, r);
    if (unreached) return fail(unreached);
    let decision;
    try {
      decision = decide({ ...env, now: r.at }, inst, input);
    } catch (error) {
      if (!isWorkflowError(error)) throw error;
      return fail(divergence(r.seq, r, undefined, `the recorded ${describeEvent(r)} cannot happen in the definition's run: ${error.message}`));
    }
    if (decision.ignored) return fail(divergence(r.seq, r, undefined, ignoredReason(r, input, decision.reason)));
    if (decision.events.length === 0) return fail(divergence(r.seq, r, undefined, reasonFor(ctx, r, undefined)));
    const m = match(decision, pos);
    if (m) return fail(m);
    inst = decision.instance;
    pos += decision.events.length;
  }
  return { valid: true, events: events.length, instance: inst };
}

/** The start as recorded: its data (`data.input`, else `options.startData`) and who started it. */
function startParams(started: HistoryEvent, id: string, options: ReplayOptions) {
  const data = started.data ?? {};
  const input = data.input;
  const startData = typeof input === 'object' && input !== null && !Array.isArray(input) ? (input as JsonObject) : options.startData;
  if (startData === undefined) {
    throw new WorkflowError(
      ErrorCode.InputInvalid,
      'replayHistory(history, definition): the history\'s workflow.started (seq 1) does not record the start data (data.input; engines before replay support left it out); pass it as options.startData.',
      { field: 'options.startData' },
    );
  }
  const by = typeof data.by === 'string' ? data.by : undefined;
  const from = typeof data.from === 'string' ? data.from : undefined;
  const businessKey = typeof data.businessKey === 'string' ? data.businessKey : undefined;
  return {
    id,
    data: startData,
    ...(by !== undefined ? { startedBy: by } : {}),
    ...(from !== undefined ? { startedFrom: from } : {}),
    ...(businessKey !== undefined ? { businessKey } : {}),
  };
}

/** A step's outcome for a step the definition's run has not entered: renamed, or never reached. */
function notReached(ctx: Context, inst: InstanceRecord, input: DecisionInput, r: HistoryEvent): ReplayDivergence | undefined {
  const stepId = outcomeStep(input);
  if (stepId === undefined || inst.steps[stepId] !== undefined || inst.stepAliases?.[stepId] !== undefined) return undefined;
  if (!Object.hasOwn(ctx.def.steps, stepId)) return divergence(r.seq, r, undefined, reasonFor(ctx, r, undefined));
  return divergence(r.seq, r, undefined, `the recorded run has ${describeEvent(r)}, but the definition's run never reached '${stepId}'`);
}

function ignoredReason(r: HistoryEvent, input: DecisionInput, why: string): string {
  if (input.type === 'timer.fired') {
    const hint = input.timerId === 'deadline' ? 'the definition has no timeout' : input.timerId.startsWith('task/') ? 'the step has no timeout' : 'the wait had no timeout';
    return `the recorded ${describeEvent(r)} comes from timer ${input.timerId}, which the definition's run does not have (${hint})`;
  }
  return `the recorded ${describeEvent(r)} does not fit the definition's run (${why})`;
}

function migrated(r: HistoryEvent): string {
  const to = String(r.data?.to ?? '?');
  return (
    `the instance was migrated from version ${String(r.data?.from ?? '?')} to ${to} here (instance.migrated): the events before it are a run of the definition; ` +
    `those after it continue a run of version ${to} from the migrated state, which a replay from the start cannot check`
  );
}

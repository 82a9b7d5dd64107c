/**
 * Runs one attempt of a step or compensation that a runner delivers: finds the instance (the
 * just-committed record when there is one), builds the action's context, runs the action under
 * its abort control, timeout and instrumentation, and records the outcome.
 */
import type { ActionRegistry } from '../actions/action-registry.js';
import type { ActionResult } from '../actions/action-result.js';
import type { Logger } from '../logger.js';
import type { ErrorInfo } from '../model/instance.types.js';
import { isRunnable } from '../model/runnable-work.js';
import type { StorageAdapter } from '../storage/storage-adapter.js';
import { parseDuration } from '../duration.js';
import { AttemptContext } from './action-context.js';
import { invokeAction } from './action-invocation.js';
import { AttemptControl } from './attempt-control.js';
import type { AttemptRegistry } from './attempt-registry.js';
import type { ChildWorkflows } from './child-workflows.js';
import type { Clock } from './clock.js';
import type { CommitEffects } from './commit-effects.js';
import type { DecisionInput } from './decide/index.js';
import { deepFreeze } from './decide/index.js';
import type { DefinitionRegistry } from './definition-registry.js';
import type { InstanceCommitter } from './instance-committer.js';
import type { AttemptInfo, EngineInstrumentation } from './instrumentation.js';
import { toJsonObject } from './json-value.js';
import type { LeaseKeeper } from './lease-keeper.js';
import type { PayloadLimit } from './payload-limit.js';
import type { WorkItem, WorkResult } from './runner.types.js';
import type { WorkflowEventEmitter } from './workflow-events.js';

/** @internal The parts of the engine an attempt uses. */
export interface AttemptExecutorParts {
  storage: StorageAdapter;
  logger: Logger;
  clock: Clock;
  actions: ActionRegistry;
  definitions: DefinitionRegistry;
  committer: InstanceCommitter;
  effects: CommitEffects;
  attempts: AttemptRegistry;
  children: ChildWorkflows;
  emitter: WorkflowEventEmitter;
  /** Set on a shared storage: running attempts keep their lease. */
  leases?: LeaseKeeper | undefined;
  instrumentation?: EngineInstrumentation | undefined;
  payloadLimit: PayloadLimit;
}

/** @internal */
export class AttemptExecutor {
  constructor(private readonly parts: AttemptExecutorParts) {}

  /** Run one attempt and record its outcome. */
  async execute(item: WorkItem): Promise<WorkResult> {
    const { storage, logger, attempts, leases, emitter, instrumentation } = this.parts;
    // The record as this engine committed it when it scheduled this work, if that was a moment
    // ago: no read needed. Another process may have moved the instance in that moment, exactly as
    // it may just after a read: when the record says "not runnable" the instance is read again
    // before the work is dropped; when it says "runnable" wrongly, recording fails
    // compare-and-swap, is decided again on a fresh read, and the stale result is ignored.
    const handed = this.parts.effects.takeHandoff(item.instanceId);
    const inst = handed && isRunnable(handed, item) ? handed : await storage.getInstance(item.instanceId);
    if (!inst) {
      logger.warn({ workflowId: item.instanceId, stepId: item.stepId, attempt: item.attempt }, 'work for an unknown instance dropped');
      return 'done';
    }
    const rec = inst.steps[item.stepId];
    // The handed-over record was checked above; a record just read is checked here.
    if (inst !== handed && !isRunnable(inst, item)) return 'done';
    const def = this.parts.definitions.known(inst) ?? (await this.parts.definitions.resolve(inst));
    if (!def) return 'done';
    const step = def.steps[item.stepId]!;
    const actionName = item.kind === 'step' ? step.action : rec!.compensation!.action;
    const control = new AttemptControl();
    const untrack = attempts.track(inst.id, item.stepId, control);
    const leaseKey = leases?.hold(item);
    const ctx = new AttemptContext(
      inst.id,
      def.name,
      def.version,
      item.stepId,
      deepFreeze(inst.data),
      deepFreeze(step.config),
      item.attempt,
      `${inst.id}/${item.stepId}/${rec!.run}${item.kind === 'compensation' ? '/compensate' : ''}`,
      item.kind === 'compensation',
      control,
      logger,
      inst.correlationId ?? inst.id,
    );
    if (emitter.has('step.started')) {
      emitter.emit({ instanceId: inst.id, seq: inst.seq, type: 'step.started', at: this.parts.clock.now(), stepId: item.stepId, attempt: item.attempt, definitionName: def.name, definitionVersion: def.version, data: { kind: item.kind, action: actionName, correlationId: ctx.correlationId } });
    }
    let input: DecisionInput;
    try {
      // On a human task step, `timeout` is the task's due time, not a bound on the preparing action.
      const timeoutMs = item.kind === 'step' && step.assignedTo === undefined ? step.timeoutMs : undefined;
      const around = instrumentation?.aroundAttempt;
      const run = () => invokeAction(this.parts.actions, this.parts.clock, actionName, ctx, control, timeoutMs);
      const outcome = around
        ? await around.call<EngineInstrumentation, [AttemptInfo, typeof run], Promise<ActionResult>>(instrumentation!, {
            instanceId: inst.id,
            definitionName: def.name,
            definitionVersion: def.version,
            stepId: item.stepId,
            attempt: item.attempt,
            kind: item.kind,
            action: actionName,
            correlationId: ctx.correlationId,
            ...(inst.traceContext ? { traceContext: inst.traceContext } : {}),
          }, run)
        : await run();
      input = outcome.kind === 'child' && item.kind === 'step' ? await this.parts.children.startChild(inst, item, rec!.run, outcome) : toDecisionInput(item, rec!.run, outcome, this.parts.payloadLimit);
    } finally {
      untrack();
      if (leaseKey !== undefined) leases!.release(leaseKey);
    }
    // Told apart by the control's own state: a shutdown leaves the attempt to run again, a cancel drops it.
    if (control.cause === 'shutdown') return 'aborted';
    // An attempt aborted because an operator skipped its step is still recorded: decide refuses it with an event.
    if (control.cause === 'cancel' && !control.recordLate) return 'done';
    // With no sibling attempt of this instance running here, the record read before the attempt
    // is a good first guess (compare-and-swap re-reads if it moved); it saves a read per step.
    const hint = attempts.has(inst.id) ? undefined : inst;
    if (!(await this.parts.committer.record(inst.id, input, { stepId: item.stepId, attempt: item.attempt, correlationId: ctx.correlationId }, hint))) return 'unrecorded';
    if (input.type === 'step.child') await this.parts.children.deliverIfFinished(input.childId);
    return 'done';
  }
}

/** What decide is told of an attempt's result. */
function toDecisionInput(item: WorkItem, run: number, result: ActionResult, limit: PayloadLimit): DecisionInput {
  // Object literals written out (no spreads): this runs once per attempt.
  const { stepId, attempt } = item;
  if (result.kind === 'failure') {
    const e = result.error!;
    const error: ErrorInfo = {
      message: e.message,
      retryable: e.retryable !== false,
      ...(e.code !== undefined ? { code: e.code } : {}),
      ...(e.details !== undefined ? { details: e.details } : {}),
    };
    return item.kind === 'step' ? { type: 'step.failed', stepId, attempt, run, error } : { type: 'compensation.failed', stepId, attempt, error };
  }
  if (item.kind === 'compensation') return { type: 'compensation.succeeded', stepId, attempt };
  if (result.kind === 'wait') {
    const w = result.wait!;
    return { type: 'step.wait', stepId, attempt, run, signal: w.signal, ...(w.timeout !== undefined ? { timeoutMs: parseDuration(w.timeout) } : {}) };
  }
  if (!result.data) return { type: 'step.succeeded', stepId, attempt, run };
  try {
    return { type: 'step.succeeded', stepId, attempt, run, output: limit.check(toJsonObject(result.data, 'output'), `result of step "${stepId}"`) };
  } catch (error) {
    // Output that cannot be stored (too deep, a prototype key, a cycle) fails the step; retrying would return the same.
    const e = error as Error & { code?: string };
    return { type: 'step.failed', stepId, attempt, run, error: { message: e.message, retryable: false, ...(typeof e.code === 'string' ? { code: e.code } : {}) } };
  }
}

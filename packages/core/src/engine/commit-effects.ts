/**
 * What follows a commit, in this process: the record is kept for the work it scheduled (the
 * handoff), events go to listeners, failure notifications go out, effects go to the runner, a
 * finished child is handed to its parent, and `waitFor` callers look at the new state.
 */
import type { Logger } from '../logger.js';
import type { HistoryEvent, InstanceRecord } from '../model/instance.types.js';
import { isTerminal } from '../model/instance.types.js';
import { fromEvent, type Notifier } from '../notifications/notifier.js';
import type { AttemptRegistry } from './attempt-registry.js';
import type { Effect } from './decide/index.js';
import type { CommitListener } from './instance-committer.js';
import type { WorkflowRunner } from './runner.types.js';
import type { InstanceWatchers } from './instance-watchers.js';
import type { WorkflowEvent, WorkflowEventEmitter } from './workflow-events.js';

/** Records kept for the work they scheduled (oldest dropped first; dropped ones are read again). */
const HANDOFF_LIMIT = 10_000;
/** How fresh a handed-over record must be to be used without a read. */
const HANDOFF_MAX_AGE_MS = 50;

/** @internal What the effects of a commit reach beyond this part. */
export interface CommitEffectsHost {
  runner: WorkflowRunner;
  logger: Logger;
  notifier: Notifier;
  emitter: WorkflowEventEmitter;
  attempts: AttemptRegistry;
  watchers: InstanceWatchers;
  /** Cancel a child workflow whose parent step was cancelled. */
  cancelChild(childId: string, reason: string): void;
  /** Tell the parent of a child that just finished. */
  childFinished(childId: string): void;
}

/** @internal The {@link CommitListener} of an engine. */
export class CommitEffects implements CommitListener {
  /** Records just committed with work to run, handed to that work (see {@link takeHandoff}). */
  private readonly handoff = new Map<string, { inst: InstanceRecord; at: number }>();
  /** Failure notifications being delivered: `idle()` and `close()` wait for them. */
  private readonly notifying = new Set<Promise<void>>();

  constructor(private readonly host: CommitEffectsHost) {}

  committed(inst: InstanceRecord, events: HistoryEvent[], effects: Effect[]): void {
    const { emitter } = this.host;
    this.handoff.delete(inst.id);
    if (effects.some((e) => e.type === 'run')) {
      this.handoff.set(inst.id, { inst, at: performance.now() });
      if (this.handoff.size > HANDOFF_LIMIT) this.handoff.delete(this.handoff.keys().next().value!);
    }
    for (const event of events) {
      if (emitter.has(event.type)) {
        const e: WorkflowEvent = {
          instanceId: event.instanceId,
          seq: event.seq,
          type: event.type,
          at: event.at,
          definitionName: inst.definitionName,
          definitionVersion: inst.definitionVersion,
        };
        if (event.stepId !== undefined) e.stepId = event.stepId;
        if (event.attempt !== undefined) e.attempt = event.attempt;
        if (event.data !== undefined) e.data = event.data;
        emitter.emit(e);
      }
      if (event.type === 'workflow.failed' && Array.isArray(event.data?.notify) && event.data.notify.length > 0) {
        const sending = this.sendNotifications(inst, event);
        this.notifying.add(sending);
        void sending.finally(() => this.notifying.delete(sending));
      }
    }
    this.perform(inst, effects);
    if (inst.parent && isTerminal(inst.state)) this.host.childFinished(inst.id);
    this.host.watchers.notify(inst);
  }

  /**
   * The record the engine committed when it scheduled work of this instance, if that was a moment
   * ago (HANDOFF_MAX_AGE_MS): the work runs on it without a read. Taken once.
   */
  takeHandoff(instanceId: string): InstanceRecord | undefined {
    const entry = this.handoff.get(instanceId);
    if (!entry) return undefined;
    this.handoff.delete(instanceId);
    return performance.now() - entry.at <= HANDOFF_MAX_AGE_MS ? entry.inst : undefined;
  }

  /** Hand effects to the runner (dispatch, timers) and to running attempts (abort). */
  perform(inst: InstanceRecord, effects: Effect[]): void {
    const instanceId = inst.id;
    const { runner } = this.host;
    for (const effect of effects) {
      switch (effect.type) {
        case 'run':
          runner.dispatch({ instanceId, stepId: effect.stepId, attempt: effect.attempt, kind: effect.kind, run: effect.run, definitionName: inst.definitionName });
          break;
        case 'arm':
          runner.armTimer(instanceId, effect.timer, inst.definitionName);
          break;
        case 'disarm':
          runner.disarmTimer(instanceId, effect.timerId);
          break;
        case 'cancelChild':
          this.host.cancelChild(effect.childId, effect.reason);
          break;
        case 'abort':
          this.host.attempts.cancel(instanceId, effect.stepIds, effect.reason, effect.recordLate === true);
          break;
      }
    }
  }

  /** Failure notifications still being delivered. */
  pending(): Array<Promise<void>> {
    return [...this.notifying];
  }

  /** Deliver a failure to its channels; never throws, logs what could not be delivered. */
  private async sendNotifications(inst: InstanceRecord, event: HistoryEvent): Promise<void> {
    const channels = (event.data!.notify as string[]).filter((c) => typeof c === 'string');
    const draft = fromEvent({ ...event, definitionName: inst.definitionName, definitionVersion: inst.definitionVersion }, inst);
    const results = await this.host.notifier.notify(channels, draft);
    for (const r of results) {
      if (!r.ok) this.host.logger.error({ workflowId: inst.id, correlationId: inst.correlationId ?? inst.id, channel: r.channel, error: r.error }, 'failure notification not delivered');
    }
  }
}

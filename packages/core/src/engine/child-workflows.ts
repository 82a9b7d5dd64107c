/** Child workflows: a step starts one and waits; the parent hears of it once the child finishes. */
import type { ActionResult } from '../actions/action-result.js';
import type { JsonObject } from '../definition/definition.types.js';
import { ErrorCode, type WorkflowError } from '../errors.js';
import type { InstanceRecord } from '../model/instance.types.js';
import { isTerminal } from '../model/instance.types.js';
import type { StorageAdapter } from '../storage/storage-adapter.js';
import type { DecisionInput } from './decide/index.js';
import type { StartOptions } from './engine.types.js';
import type { InstanceCommitter } from './instance-committer.js';
import type { WorkItem } from './runner.types.js';

/** @internal Starts an instance as `engine.start` does. */
export type StartFn = (workflow: string, data: JsonObject, options: StartOptions) => Promise<InstanceRecord>;

/** @internal */
export class ChildWorkflows {
  constructor(
    private readonly storage: StorageAdapter,
    private readonly committer: InstanceCommitter,
    private readonly start: StartFn,
  ) {}

  /** Start (once per step run) the child workflow an action asked for; its failure to start fails the step. */
  async startChild(parent: InstanceRecord, item: WorkItem, run: number, result: ActionResult): Promise<DecisionInput> {
    const opts = result.child!;
    try {
      const child = await this.start(opts.workflow, opts.data ?? {}, {
        idempotencyKey: `child/${parent.id}/${item.stepId}/${run}`,
        startedBy: `workflow:${parent.id}`,
        parent: { instanceId: parent.id, stepId: item.stepId, run },
        parentRecord: parent,
        ...(opts.version !== undefined ? { version: opts.version } : {}),
      });
      return { type: 'step.child', stepId: item.stepId, attempt: item.attempt, childId: child.id, workflow: opts.workflow };
    } catch (error) {
      const err = error as WorkflowError;
      return {
        type: 'step.failed',
        stepId: item.stepId,
        attempt: item.attempt,
        error: { message: `Could not start child workflow "${opts.workflow}": ${err.message}`, code: err.code ?? ErrorCode.ChildFailed, retryable: false },
      };
    }
  }

  /** Tell the parent of a finished child (idempotent: a parent not waiting ignores it). */
  async deliverIfFinished(childId: string): Promise<void> {
    const child = await this.storage.getInstance(childId);
    if (!child?.parent || !isTerminal(child.state)) return;
    await this.committer.record(
      child.parent.instanceId,
      {
        type: 'child.finished',
        stepId: child.parent.stepId,
        childId: child.id,
        state: child.state,
        data: child.data,
        ...(child.error ? { error: child.error } : {}),
      },
      { childId },
    );
  }
}

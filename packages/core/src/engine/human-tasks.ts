/** Human tasks: found in the step records of their instances, claimed and completed by users through commands. */
import type { JsonObject } from '../definition/definition.types.js';
import { ErrorCode, NotFoundError, WorkflowError } from '../errors.js';
import type { InstanceRecord, InstanceState, TaskRecord, TaskState } from '../model/instance.types.js';
import type { StorageAdapter } from '../storage/storage-adapter.js';
import { type Actor, audit, requireUser } from './actor.js';
import type { DecisionInput } from './decide/index.js';
import { parseTaskId } from './decide/index.js';
import type { TaskQuery, WorkflowTask } from './engine.types.js';
import { toJsonObject } from './json-value.js';
import type { PayloadLimit } from './payload-limit.js';

/** Instances read per page while looking for tasks. */
const PAGE = 500;

/** @internal Commits a command on an instance (as `engine.signal` does). */
export type CommandFn = (instanceId: string, input: DecisionInput) => Promise<InstanceRecord>;

/** @internal */
export class HumanTasks {
  constructor(
    private readonly storage: StorageAdapter,
    private readonly command: CommandFn,
    private readonly payloadLimit: PayloadLimit,
  ) {}

  list(query: TaskQuery): Promise<WorkflowTask[]> {
    return listTasks(this.storage, query);
  }

  /** @throws NotFoundError for an unknown task id. */
  get(taskId: string): Promise<WorkflowTask> {
    return getTask(this.storage, taskId);
  }

  /** Claim an open task for `by`; others can then no longer complete it. */
  async claim(taskId: string, by: Actor): Promise<WorkflowTask> {
    const task = await this.get(taskId);
    const who = audit(by);
    requireUser(who.by, 'claimTask');
    await this.command(task.instanceId, { type: 'task.claim', taskId, ...who, by: who.by! });
    return this.get(taskId);
  }

  /** Complete a task: `data` is merged into the instance data and the instance goes on. */
  async complete(taskId: string, data: JsonObject, by: Actor | undefined): Promise<InstanceRecord> {
    const task = await this.get(taskId);
    const who = audit(by);
    requireUser(who.by, 'completeTask');
    if (typeof data !== 'object' || data === null || Array.isArray(data)) {
      throw new WorkflowError(ErrorCode.InputInvalid, `completeTask(taskId, data, by): data must be a JSON object, e.g. { review: { approved: true } }.`);
    }
    return this.command(task.instanceId, { type: 'task.complete', taskId, data: this.payloadLimit.check(toJsonObject(data, 'data'), `completion data of task ${taskId}`), ...who, by: who.by! });
  }
}

/** Human tasks matching `query` (open and claimed ones unless `state` says otherwise). */
async function listTasks(storage: StorageAdapter, query: TaskQuery): Promise<WorkflowTask[]> {
  const wanted = new Set<TaskState>(query.state === undefined ? ['OPEN', 'CLAIMED'] : Array.isArray(query.state) ? query.state : [query.state]);
  const onlyLive = [...wanted].every((s) => s === 'OPEN' || s === 'CLAIMED');
  const tasks: WorkflowTask[] = [];
  const limit = query.limit ?? 100;
  let cursor: string | undefined;
  do {
    const page = await storage.listInstances({
      ...(onlyLive ? { state: ['RUNNING', 'WAITING', 'PAUSED'] as InstanceState[] } : {}),
      ...(query.definitionName ? { definitionName: query.definitionName } : {}),
      order: 'asc',
      limit: PAGE,
      ...(cursor ? { cursor } : {}),
    });
    for (const inst of page.items) {
      if (query.instanceId && inst.id !== query.instanceId) continue;
      for (const [stepId, rec] of Object.entries(inst.steps)) {
        const task = rec.task;
        if (!task || !wanted.has(task.state)) continue;
        if (query.assignedTo !== undefined && task.assignedTo !== query.assignedTo) continue;
        tasks.push(toWorkflowTask(inst, stepId, task));
      }
    }
    cursor = page.nextCursor;
  } while (cursor && tasks.length < limit);
  return tasks.sort((a, b) => a.openedAt - b.openedAt).slice(0, limit);
}

async function getTask(storage: StorageAdapter, taskId: string): Promise<WorkflowTask> {
  const parts = parseTaskId(taskId);
  const inst = parts ? await storage.getInstance(parts.instanceId) : undefined;
  const task = inst?.steps[parts!.stepId]?.task;
  if (!inst || !task || task.id !== taskId) throw new NotFoundError('task', taskId);
  return toWorkflowTask(inst, parts!.stepId, task);
}

function toWorkflowTask(inst: InstanceRecord, stepId: string, task: TaskRecord): WorkflowTask {
  return { ...task, instanceId: inst.id, stepId, definitionName: inst.definitionName, definitionVersion: inst.definitionVersion, instanceState: inst.state };
}

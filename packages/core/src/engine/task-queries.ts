/** Finding human tasks: they live in the step records of their instances. */
import { NotFoundError } from '../errors.js';
import type { InstanceRecord, InstanceState, TaskRecord, TaskState } from '../model/instance.types.js';
import type { StorageAdapter } from '../storage/storage-adapter.js';
import { parseTaskId } from './decide.js';
import type { TaskQuery, WorkflowTask } from './engine.types.js';

/** Instances read per page while looking for tasks. */
const PAGE = 500;

/** @internal Human tasks matching `query` (open and claimed ones unless `state` says otherwise). */
export async function listTasks(storage: StorageAdapter, query: TaskQuery): Promise<WorkflowTask[]> {
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

/** @internal @throws NotFoundError for an unknown task id. */
export async function getTask(storage: StorageAdapter, taskId: string): Promise<WorkflowTask> {
  const parts = parseTaskId(taskId);
  const inst = parts ? await storage.getInstance(parts.instanceId) : undefined;
  const task = inst?.steps[parts!.stepId]?.task;
  if (!inst || !task || task.id !== taskId) throw new NotFoundError('task', taskId);
  return toWorkflowTask(inst, parts!.stepId, task);
}

function toWorkflowTask(inst: InstanceRecord, stepId: string, task: TaskRecord): WorkflowTask {
  return { ...task, instanceId: inst.id, stepId, definitionName: inst.definitionName, definitionVersion: inst.definitionVersion, instanceState: inst.state };
}

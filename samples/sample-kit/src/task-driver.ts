/**
 * Drives an instance's human tasks to the end: whenever the instance settles, each task it opened
 * is shown to a decider (a person at the terminal, or scripted decisions), then claimed and
 * completed as the user acting for its role. A decider may leave a task open (it then becomes
 * overdue); a task that expires or is cancelled while the decider thinks is reported, not completed.
 */
import { isTerminal, WorkflowError } from '@workflow-mastery/core';
import type { InstanceRecord, JsonObject, WorkflowEngine, WorkflowTask } from '@workflow-mastery/core';

/** A decision on a task. */
export interface TaskDecision {
  approve: boolean;
  comment?: string;
}

/** What a decider is shown. */
export interface TaskView {
  task: WorkflowTask;
  /** The instance as it was when the task was picked up. */
  instance: InstanceRecord;
  /** Who acts for the task's role. */
  user: string;
}

/**
 * Decides one task, or leaves it open (`undefined`). `signal` aborts when the task can no longer
 * be completed (expired, cancelled, instance ended).
 */
export type Decider = (view: TaskView, signal: AbortSignal) => TaskDecision | undefined | Promise<TaskDecision | undefined>;

/** Options of {@link driveTasks}. */
export interface DriveOptions {
  decide: Decider;
  /** The user acting for each role (`assigned_to`). */
  users: Record<string, string>;
  /** The data a decision on a step's task writes into the instance. */
  toData: (stepId: string, decision: TaskDecision, by: string) => JsonObject;
  /** Real milliseconds to wait for the instance to settle or move on. @defaultValue 120000 */
  timeoutMs?: number;
  /** Where to report tasks that could not be completed. */
  write?: (line: string) => void;
}

/** A task the driver handled. */
export interface HandledTask {
  taskId: string;
  stepId: string;
  assignedTo: string;
  by: string;
  /** The decision taken, if any (none: left open). */
  decision?: TaskDecision;
  outcome: 'completed' | 'left open' | 'not completed';
  /** Why it was not completed. */
  reason?: string;
}

/** Result of {@link driveTasks}. */
export interface DriveResult {
  instance: InstanceRecord;
  tasks: HandledTask[];
}

const TERMINAL_EVENTS = new Set(['workflow.completed', 'workflow.failed', 'workflow.cancelled']);

/** Run the instance's human tasks until the instance ends. */
export async function driveTasks(engine: WorkflowEngine, instanceId: string, options: DriveOptions): Promise<DriveResult> {
  const timeoutMs = options.timeoutMs ?? 120_000;
  const handled = new Map<string, HandledTask>();
  const deciding = new Map<string, { stepId: string; controller: AbortController }>();
  // Bumped by every event that may open, close or end something; the loop waits on it when idle.
  let bumps = 0;
  let wake: (() => void) | undefined;
  const stop = engine.on('*', (e) => {
    if (e.instanceId !== instanceId) return;
    if (e.type === 'task.expired' || e.type === 'step.cancelled') {
      for (const [, d] of deciding) if (d.stepId === e.stepId) d.controller.abort(new Error(`task of ${e.stepId} ${e.type === 'task.expired' ? 'expired' : 'was cancelled'}`));
    }
    if (TERMINAL_EVENTS.has(e.type)) for (const [, d] of deciding) d.controller.abort(new Error('the instance ended'));
    if (e.type === 'task.opened' || e.type === 'task.expired' || TERMINAL_EVENTS.has(e.type)) {
      bumps++;
      wake?.();
    }
  });
  const changeAfter = (seen: number) =>
    new Promise<void>((resolve, reject) => {
      if (bumps > seen) return resolve();
      const timer = setTimeout(() => reject(new Error(`instance ${instanceId} did not move on within ${timeoutMs} ms`)), timeoutMs);
      wake = () => {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      };
    });

  try {
    for (;;) {
      const seen = bumps;
      const instance = await engine.waitFor(instanceId, { until: 'settled', timeoutMs });
      if (isTerminal(instance.state)) return { instance, tasks: [...handled.values()] };
      const open = (await engine.listTasks({ instanceId })).filter((t) => !handled.has(t.id));
      if (open.length === 0) {
        // Only tasks left open (or a pause): wait until something happens to the instance.
        await changeAfter(seen);
        continue;
      }
      for (const task of open) {
        const user = options.users[task.assignedTo] ?? task.assignedTo;
        const record: HandledTask = { taskId: task.id, stepId: task.stepId, assignedTo: task.assignedTo, by: user, outcome: 'left open' };
        handled.set(task.id, record);
        const controller = new AbortController();
        deciding.set(task.id, { stepId: task.stepId, controller });
        let decision: TaskDecision | undefined;
        try {
          decision = await options.decide({ task, instance: await engine.getInstance(instanceId), user }, controller.signal);
        } catch (error) {
          if (!controller.signal.aborted) throw error;
        } finally {
          deciding.delete(task.id);
        }
        if (controller.signal.aborted) {
          Object.assign(record, { outcome: 'not completed', reason: (controller.signal.reason as Error).message });
          options.write?.(`${task.stepId}: ${record.reason}; no decision recorded`);
          continue;
        }
        if (!decision) continue;
        record.decision = decision;
        try {
          await engine.claimTask(task.id, user);
          await engine.completeTask(task.id, options.toData(task.stepId, decision, user), user);
          record.outcome = 'completed';
        } catch (error) {
          // The task expired or the instance ended between the decision and its recording.
          if (!(error instanceof WorkflowError)) throw error;
          Object.assign(record, { outcome: 'not completed', reason: error.message });
          options.write?.(`${task.stepId}: decision not recorded: ${error.message}`);
        }
      }
    }
  } finally {
    stop();
  }
}

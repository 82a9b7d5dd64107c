/** `WorkflowService`: the engine's operations, injectable. */
import { Injectable } from '@nestjs/common';
import {
  WorkflowEngine,
  type HistoryEvent,
  type InstancePage,
  type InstanceQuery,
  type InstanceRecord,
  type JsonObject,
  type StartOptions,
  type TaskQuery,
  type WaitForOptions,
  type WorkflowDefinition,
  type WorkflowDefinitionInput,
  type WorkflowEventListener,
  type WorkflowEventName,
  type WorkflowTask,
} from '@workflow-mastery/core';

/**
 * A thin facade over the {@link WorkflowEngine} (also injectable itself, by its class). Every
 * method is the engine's, with the same errors (`NotFoundError`, `IllegalTransitionError`...).
 *
 * ```ts
 * @Injectable()
 * export class OrdersService {
 *   constructor(private readonly workflows: WorkflowService) {}
 *   async place(order: Order) {
 *     const inst = await this.workflows.start('order_processing', { order }, { idempotencyKey: order.id });
 *     return inst.id;
 *   }
 * }
 * ```
 */
@Injectable()
export class WorkflowService {
  constructor(
    /** The engine behind the facade. */
    readonly engine: WorkflowEngine,
  ) {}

  /** Start an instance of a registered definition (by name) or of an inline definition. */
  start(definition: string | WorkflowDefinitionInput | WorkflowDefinition, data?: JsonObject, options?: StartOptions): Promise<InstanceRecord> {
    return this.engine.start(definition, data, options);
  }

  /** Resolves when the instance is terminal or waiting (`until: 'terminal'`: terminal only). */
  waitFor(id: string, options?: WaitForOptions): Promise<InstanceRecord> {
    return this.engine.waitFor(id, options);
  }

  getInstance(id: string): Promise<InstanceRecord> {
    return this.engine.getInstance(id);
  }

  listInstances(query?: InstanceQuery): Promise<InstancePage> {
    return this.engine.listInstances(query);
  }

  /** The instance's append-only history. */
  history(id: string): Promise<HistoryEvent[]> {
    return this.engine.getHistory(id);
  }

  /** Deliver a signal (buffered when no step waits for it yet). */
  signal(id: string, name: string, payload?: JsonObject, by?: string): Promise<InstanceRecord> {
    return this.engine.signal(id, name, payload, by);
  }

  /** Human tasks, open and claimed ones unless `query.state` says otherwise. */
  tasks(query?: TaskQuery): Promise<WorkflowTask[]> {
    return this.engine.listTasks(query);
  }

  getTask(taskId: string): Promise<WorkflowTask> {
    return this.engine.getTask(taskId);
  }

  claimTask(taskId: string, by: string): Promise<WorkflowTask> {
    return this.engine.claimTask(taskId, by);
  }

  /** Complete a human task: `data` is merged into the instance data, `by` is recorded. */
  completeTask(taskId: string, data: JsonObject, by: string): Promise<InstanceRecord> {
    return this.engine.completeTask(taskId, data, by);
  }

  pause(id: string, by?: string): Promise<InstanceRecord> {
    return this.engine.pause(id, by);
  }

  resume(id: string, by?: string): Promise<InstanceRecord> {
    return this.engine.resume(id, by);
  }

  cancel(id: string, reason?: string, by?: string): Promise<InstanceRecord> {
    return this.engine.cancel(id, reason, by);
  }

  /** Re-run a FAILED instance from its failed steps. */
  retry(id: string, by?: string): Promise<InstanceRecord> {
    return this.engine.retry(id, by);
  }

  /** Every registered definition, every version. */
  definitions(): WorkflowDefinition[] {
    return this.engine.listDefinitions();
  }

  /** Listen to an engine event (`*` for all); returns the unsubscribe function. */
  on(event: WorkflowEventName | '*', listener: WorkflowEventListener): () => void {
    return this.engine.on(event, listener);
  }
}

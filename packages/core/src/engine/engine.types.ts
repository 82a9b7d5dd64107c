/** Types of the {@link WorkflowEngine}'s public methods. */
import type { InstanceRecord, InstanceState, TaskRecord, TaskState } from '../model/instance.types.js';
import type { Actor } from './actor.js';

/** Options of {@link WorkflowEngine.start}. */
export interface StartOptions {
  /** A second start with the same key returns the first instance. */
  idempotencyKey?: string;
  /** Who started it (and from which address); kept in the history. */
  startedBy?: Actor;
  /** Version to start when starting by name. @defaultValue the latest registered */
  version?: string;
  /** Use this id instead of a generated one. */
  instanceId?: string;
  /** @internal Set when a step starts this instance as its child workflow. */
  parent?: InstanceRecord['parent'];
  /** @internal The parent instance as the starting step read it (correlation id, trace context). */
  parentRecord?: InstanceRecord;
  /** Ties logs and spans of the run to the caller's request. @defaultValue the parent's, else the instance id */
  correlationId?: string;
  /**
   * The caller's name for what the instance is about (`'A-1003'`, 1 to 255 characters): shown with
   * the instance and searchable with `listInstances({ businessKey })`.
   */
  businessKey?: string;
  /**
   * Refuse the start (`WF_BUSINESS_KEY_TAKEN`, naming the holder) while an unfinished instance of the
   * same definition has this `businessKey`. Checked atomically by the storage at creation.
   * @defaultValue false
   */
  uniqueBusinessKey?: boolean;
}

/** Filters of {@link WorkflowEngine.listTasks}. */
export interface TaskQuery {
  assignedTo?: string;
  /** @defaultValue OPEN and CLAIMED */
  state?: TaskState | TaskState[];
  instanceId?: string;
  definitionName?: string;
  /** @defaultValue 100 */
  limit?: number;
}

/** A human task with the instance and step it belongs to. */
export interface WorkflowTask extends TaskRecord {
  instanceId: string;
  stepId: string;
  definitionName: string;
  definitionVersion: string;
  instanceState: InstanceState;
}

/** Options of {@link WorkflowEngine.waitFor}. */
export interface WaitForOptions {
  /** @defaultValue 30000 */
  timeoutMs?: number;
  /** `settled`: terminal or WAITING; `terminal`: COMPLETED, FAILED or CANCELLED. @defaultValue `settled` */
  until?: 'settled' | 'terminal';
}

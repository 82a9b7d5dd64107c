/**
 * `@WorkflowAction('validate_order', { compensation, retry })`: names a class as an action. Legacy
 * decorators + reflect-metadata, the flavour NestJS and inversify use, so one class serves there too.
 */
import 'reflect-metadata';
import type { ActionOptions } from './action.types.js';

/** Metadata key under which the decorator stores `{ name, options }`. */
export const WORKFLOW_ACTION_METADATA = 'workflow-mastery:action';

/** What `@WorkflowAction` records on a class. */
export interface WorkflowActionMetadata {
  name: string;
  options: ActionOptions;
}

/** Marks a class (with an `execute(ctx)` method) as the action registered under `name`. */
export function WorkflowAction(name: string, options: ActionOptions = {}): ClassDecorator {
  if (typeof name !== 'string' || name.trim() === '') {
    throw new TypeError('@WorkflowAction(name): name must be a non-empty string, e.g. @WorkflowAction("validate_order")');
  }
  return (target) => {
    Reflect.defineMetadata(WORKFLOW_ACTION_METADATA, { name, options } satisfies WorkflowActionMetadata, target);
  };
}

/** The decorator's metadata of a class, if it has any. */
export function getWorkflowActionMetadata(target: unknown): WorkflowActionMetadata | undefined {
  if (typeof target !== 'function') return undefined;
  return Reflect.getOwnMetadata(WORKFLOW_ACTION_METADATA, target) as WorkflowActionMetadata | undefined;
}

/** `@OnWorkflowEvent('step.completed')`: a provider method that listens to engine events. */
import 'reflect-metadata';
import type { WorkflowEventName } from '@workflow-mastery/core';
import { ON_WORKFLOW_EVENT_METADATA } from './workflow.constants.js';

/** Filters of an `@OnWorkflowEvent` listener. */
export interface OnWorkflowEventOptions {
  /** Only events of instances of these definitions (by name). @defaultValue every definition */
  definition?: string | string[];
}

/** What `@OnWorkflowEvent` records on a method. */
export interface OnWorkflowEventMetadata {
  events: Array<WorkflowEventName | '*'>;
  options: OnWorkflowEventOptions;
}

/**
 * Calls the decorated method of a provider (default scope) with every matching engine event
 * (`'*'` for all). Works without `@nestjs/event-emitter`: the module subscribes it to the engine
 * directly. A throw or rejection is logged, never reaches the engine.
 *
 * ```ts
 * @Injectable()
 * export class Audit {
 *   @OnWorkflowEvent(['workflow.completed', 'workflow.failed'], { definition: 'order_processing' })
 *   record(event: WorkflowEvent) { ... }
 * }
 * ```
 */
export function OnWorkflowEvent(event: WorkflowEventName | '*' | Array<WorkflowEventName | '*'>, options: OnWorkflowEventOptions = {}): MethodDecorator {
  const events = Array.isArray(event) ? event : [event];
  if (events.length === 0 || events.some((e: unknown) => typeof e !== 'string' || e === '')) {
    throw new TypeError("@OnWorkflowEvent(event): event must be an engine event name such as 'step.completed', '*', or a non-empty array of them.");
  }
  return (target, key, descriptor) => {
    if (typeof descriptor.value !== 'function') {
      throw new TypeError(`@OnWorkflowEvent on ${target.constructor?.name ?? 'a class'}.${String(key)}: it must decorate a method.`);
    }
    const list = getOnWorkflowEventMetadata(descriptor.value);
    Reflect.defineMetadata(ON_WORKFLOW_EVENT_METADATA, [...list, { events, options }], descriptor.value);
  };
}

/** What `@OnWorkflowEvent` recorded on a method (empty when not decorated). */
export function getOnWorkflowEventMetadata(method: unknown): OnWorkflowEventMetadata[] {
  if (typeof method !== 'function') return [];
  return (Reflect.getOwnMetadata(ON_WORKFLOW_EVENT_METADATA, method) as OnWorkflowEventMetadata[] | undefined) ?? [];
}

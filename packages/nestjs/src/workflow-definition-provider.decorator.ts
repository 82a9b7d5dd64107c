/** `@WorkflowDefinitionProvider()`: a provider whose `definitions()` the module registers at startup. */
import 'reflect-metadata';
import type { WorkflowDefinition, WorkflowDefinitionInput } from '@workflow-mastery/core';
import { WORKFLOW_DEFINITION_PROVIDER_METADATA } from './workflow.constants.js';

/** What a `@WorkflowDefinitionProvider()` class implements. */
export interface WorkflowDefinitionSource {
  /** The definitions to register; called once, in `onModuleInit`, after every action is registered. */
  definitions(): Array<WorkflowDefinitionInput | WorkflowDefinition> | Promise<Array<WorkflowDefinitionInput | WorkflowDefinition>>;
}

/**
 * Marks a provider (default scope) whose `definitions()` are registered on the engine at startup,
 * after the actions: definitions can then be built with injected configuration, and may name
 * actions by class. Add the class to a module's `providers` like any other.
 *
 * ```ts
 * @WorkflowDefinitionProvider()
 * export class OrderWorkflows implements WorkflowDefinitionSource {
 *   constructor(private readonly config: ConfigService) {}
 *   definitions() {
 *     return [orderProcessing(this.config.get('ORDER_TIMEOUT'))];
 *   }
 * }
 * ```
 */
export function WorkflowDefinitionProvider(): ClassDecorator {
  return (target) => {
    Reflect.defineMetadata(WORKFLOW_DEFINITION_PROVIDER_METADATA, true, target);
  };
}

/** True when the class is decorated with `@WorkflowDefinitionProvider()`. */
export function isWorkflowDefinitionProvider(target: unknown): boolean {
  return typeof target === 'function' && Reflect.getOwnMetadata(WORKFLOW_DEFINITION_PROVIDER_METADATA, target) === true;
}

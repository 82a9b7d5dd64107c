/**
 * `@workflow-mastery/core/inversify`: the engine in an inversify 8 container (inversify is an
 * optional peer dependency: install it to use this entry point).
 * @packageDocumentation
 */
export { workflowContainerModule, WORKFLOW_ENGINE, type WorkflowContainerModuleOptions } from './workflow-container-module.js';

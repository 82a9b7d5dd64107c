/** Workflow definitions: the storable format, its parser and the fluent builder. */
export type * from './definition.types.js';
export {
  parseDefinition,
  DEFINITION_KEYS,
  DEFAULT_VERSION,
  ON_FAILURE_MODES,
  type ParseDefinitionOptions,
} from './definition-parser.js';
export { STEP_KEYS, DEFAULT_RETRY_DELAY_MS, DEFAULT_MAX_DELAY_FACTOR } from './parse-step.js';
export { WorkflowBuilder, workflow, type TransitionOptions } from './workflow-builder.js';

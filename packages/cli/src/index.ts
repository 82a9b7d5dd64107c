/**
 * @workflow-mastery/cli: the `workflow-mastery` command line.
 *
 * ```sh
 * workflow-mastery run order.yaml --module ./actions.js --data '{"order":{"id":1}}'
 * workflow-mastery list --state FAILED --since 1h
 * workflow-mastery serve --module ./workflows.js --token "$API_TOKEN"
 * ```
 *
 * Programmatic use: {@link main} runs the command line with given arguments and streams.
 * @packageDocumentation
 */
export { main, processIo } from './main.js';
export { createProgram } from './program.js';
export { CliRuntime, type CommandBody } from './cli-runtime.js';
export type { CliCommand } from './command.types.js';
export { COMMANDS } from './commands/index.js';
export { Session, type CliIo } from './session.js';
export type { GlobalOptions } from './global-options.js';
export { parseDatabaseUrl, describeDatabase, DEFAULT_DATABASE, type DatabaseSpec } from './database-url.js';
export { openStorage, type OpenStorageOptions } from './open-storage.js';
export { createEngine, type EngineMode, type CreateEngineOptions } from './engine-factory.js';
export { HandOffRunner } from './hand-off-runner.js';
export { loadWorkflowModule, type WorkflowModule } from './workflow-module.js';
export { readDefinitionFile, isDefinitionFile } from './definition-file.js';
export { CliError, UsageError, ExitCode } from './cli-error.js';

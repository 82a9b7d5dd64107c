/**
 * @workflow-mastery/core: a durable workflow engine for Node.js.
 *
 * Definitions in the storable snake_case format (or built with {@link workflow}), a safe condition
 * language, retries as durable timers, saga compensation, signals, pause/resume/cancel/retry, and
 * every decision committed atomically with compare-and-swap to a pluggable {@link StorageAdapter}.
 *
 * ```ts
 * const engine = new WorkflowEngine({ storage: new FileStorage({ directory: '.workflow-data' }) });
 * engine.registerAction('validate_order', async (ctx) => ActionResult.success({ order: { valid: true } }));
 * engine.registerDefinition(orderProcessing);
 * const inst = await engine.start('order_processing', { order: { id: 1 } });
 * await engine.waitFor(inst.id);
 * ```
 *
 * This entry is for applications. The other entries say who they are for:
 * `@workflow-mastery/core/http` (the route table, for HTTP adapter authors),
 * `@workflow-mastery/core/storage-kit` (cursor, commit checks and runnable work, for storage
 * authors), `/testing` (conformance suites and fixtures) and `/inversify`. Internals (the pure
 * decision function, task-id parsing, version comparison) are exported by none of them.
 * @packageDocumentation
 */
export * from './errors.js';
export { parseDuration, formatDuration, isDuration, type Duration, type IsDurationString } from './duration.js';
export type { Logger } from './logger.js';
export { consoleLogger, silentLogger } from './logger.js';

export type * from './definition/definition.types.js';
export { parseDefinition } from './definition/definition-parser.js';
export { workflow, WorkflowBuilder } from './definition/workflow-builder.js';
export type { BuilderStepInput, BuilderTransitionOptions, TransitionOptions } from './definition/workflow-builder.types.js';
export { canonicalJson, canonicalDefinition, storedDefinitionOf } from './definition/canonical-definition.js';
export { toMermaid, type MermaidOptions } from './definition/mermaid.js';

export type { CompiledExpression, ExpressionOptions } from './expression/expression.types.js';
export { compileExpression, DEFAULT_ALLOWED_METHODS } from './expression/expression-compiler.js';

export { ActionResult, type FailureOptions, type WaitOptions } from './actions/action-result.js';
export type * from './actions/action.types.js';
export { ActionRegistry, type ActionFactory, type RegisteredAction } from './actions/action-registry.js';
export { WorkflowAction, getWorkflowActionMetadata, WORKFLOW_ACTION_METADATA, type WorkflowActionMetadata } from './actions/workflow-action.decorator.js';

export type * from './model/instance.types.js';
export { isTerminal, TERMINAL_STATES } from './model/instance.types.js';

export type * from './storage/storage-adapter.js';
export { MemoryStorage, type MemoryStorageOptions } from './storage/memory-storage.js';
export { FilePayloadStore, type FilePayloadStoreOptions, type PayloadStore } from './storage/payload-store.js';
export { PayloadStoreStorage, isPayloadRef, type PayloadRef, type PayloadStoreStorageOptions } from './storage/payload-store-storage.js';
export { FileStorage, type FileStorageOptions } from './storage/file-storage.js';
export { EncryptedStorage, type EncryptedStorageOptions } from './storage/encrypted-storage.js';
export type { EncryptionKey } from './storage/encryption-keys.js';
export type { KeyUsage, ReencryptOptions, ReencryptProgress, ReencryptResult } from './storage/encryption-rekey.js';
export { EncryptionErrorCode } from './storage/encryption-errors.js';

export { WorkflowEngine, type Actor, type WorkflowEngineOptions, type StartOptions, type WaitForOptions, type TaskQuery, type WorkflowTask } from './engine/workflow-engine.js';
export type { ArchivedInstance, InstanceArchive, PurgeOptions, PurgeReport, PurgeRunOptions } from './engine/purge-options.js';
export type { PurgeListener } from './engine/purger.js';
export { JsonLinesArchive, type JsonLinesArchiveOptions } from './storage/json-lines-archive.js';
export type { CommitBatcherOptions } from './engine/commit-batcher.js';
export { InProcessRunner, type InProcessRunnerOptions, type InProcessDefinitionLimits } from './engine/in-process-runner.js';
export { MAX_JSON_DEPTH } from './engine/json-value.js';
export type { WorkflowRunner, RunnerHost, WorkItem, WorkResult, DeliveryMode } from './engine/runner.types.js';
export type { EngineInstrumentation, AttemptInfo, StartInfo } from './engine/instrumentation.js';
export { systemClock, scaledClock, ManualClock, type Clock, type TimerHandle } from './engine/clock.js';
export type { WorkflowEvent, WorkflowEventListener, WorkflowEventName } from './engine/workflow-events.js';
export { retryDelay, DEFAULT_COMPENSATION_RETRY } from './engine/retry-policy.js';
export { replayHistory, type RecordedHistory, type ReplayDivergence, type ReplayOptions, type ReplayResult } from './engine/replay/replay-history.js';
export * from './notifications/index.js';

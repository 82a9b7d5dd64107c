/** Injection tokens and metadata keys of the Nest integration. */

/** Token of the engine's {@link StorageAdapter}, built from `WorkflowModuleOptions.storage`. */
export const WORKFLOW_STORAGE = Symbol('WORKFLOW_STORAGE');

/** Token of the runner wrapper that holds work until the application has bootstrapped. */
export const WORKFLOW_RUNNER = Symbol('WORKFLOW_RUNNER');

/**
 * Token of the runner the module created from `runner` (the one {@link WORKFLOW_RUNNER} wraps):
 * `WorkflowBullMQModule`'s worker gets its `BullMQRunner` here, with no unwrapping.
 */
export const WORKFLOW_INNER_RUNNER = Symbol('WORKFLOW_INNER_RUNNER');

/**
 * Token aliased (`useExisting`) to the storage's injected dependency, e.g. the TypeORM DataSource
 * given by token to `forRoot`: injecting it makes Nest build that provider before the storage.
 */
export const WORKFLOW_STORAGE_DEPENDENCY = Symbol('WORKFLOW_STORAGE_DEPENDENCY');

/**
 * Token of the queue and options that `WorkflowBullMQModule` (`@workflow-mastery/nestjs/bullmq`)
 * provides to `runner: 'bullmq'`.
 */
export const WORKFLOW_BULL_QUEUE = Symbol('WORKFLOW_BULL_QUEUE');

/** Package of the BullMQ runner. */
export const BULLMQ_RUNNER_PACKAGE = '@workflow-mastery/bullmq';

/** Token of the HTTP mount (prefix) decided when the module is defined. */
export const WORKFLOW_HTTP_MOUNT = Symbol('WORKFLOW_HTTP_MOUNT');

/** Metadata key of `@OnWorkflowEvent` on a method. */
export const ON_WORKFLOW_EVENT_METADATA = 'workflow-mastery:nestjs:on-event';

/** Metadata key of `@WorkflowDefinitionProvider()` on a class. */
export const WORKFLOW_DEFINITION_PROVIDER_METADATA = 'workflow-mastery:nestjs:definition-provider';

/** Package of the `typeorm` storage type. */
export const TYPEORM_STORAGE_PACKAGE = '@workflow-mastery/storage-typeorm';

/** Package of the `redis` storage type. */
export const REDIS_STORAGE_PACKAGE = '@workflow-mastery/storage-redis';

/** Where `EventEmitter2` comes from when the app uses `EventEmitterModule`. */
export const EVENT_EMITTER_PACKAGE = '@nestjs/event-emitter';

/** Token of the {@link WorkflowApi} (core's route table over the engine) the controller serves. */
export const WORKFLOW_HTTP_API = Symbol('WORKFLOW_HTTP_API');

/** Token of the resolved HTTP options (static mount merged with the options' `http`). */
export const WORKFLOW_HTTP_OPTIONS = Symbol('WORKFLOW_HTTP_OPTIONS');

/** Token of the module's controller class (its middleware is applied to its routes). */
export const WORKFLOW_HTTP_CONTROLLER = Symbol('WORKFLOW_HTTP_CONTROLLER');

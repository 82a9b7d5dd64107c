/**
 * @workflow-mastery/nestjs: the durable workflow engine as a NestJS module.
 *
 * ```ts
 * @WorkflowAction('validate_order')          // core's decorator, re-exported here
 * @Injectable()
 * export class ValidateOrder {
 *   constructor(private readonly orders: OrdersRepository) {}   // constructor injection works
 *   async execute(ctx: ActionContext) {
 *     return ActionResult.success({ order: { valid: await this.orders.isValid(ctx.data.order) } });
 *   }
 * }
 *
 * @Module({
 *   imports: [WorkflowModule.forRoot({ storage: { type: 'file', directory: '.workflow-data' }, definitions: [orderProcessing] })],
 *   providers: [ValidateOrder, OrdersRepository],
 * })
 * export class AppModule {}
 *
 * const app = await NestFactory.create(AppModule);
 * app.enableShutdownHooks();                 // SIGTERM → engine.close(): running steps finish first
 * ```
 *
 * - Actions: providers (default scope) carrying `@WorkflowAction`, found in every module at
 *   `onModuleInit`; request-scoped and transient ones are refused at startup.
 * - Definitions: `definitions` in the options, and `@WorkflowDefinitionProvider()` providers'
 *   `definitions()`, registered after the actions.
 * - Events: `@OnWorkflowEvent('step.completed')` on provider methods; with `EventEmitterModule`,
 *   every event is also emitted on `EventEmitter2` under the same dotted name.
 * - Work runs from `onApplicationBootstrap` on; `app.close()` (or a signal, with
 *   `enableShutdownHooks()`) closes the engine in `onApplicationShutdown`.
 * - HTTP: core's route table under `http.prefix`, opt-in, guarded by `authorize`; the web
 *   dashboard at `dashboard.path`, opt-in, calling that API.
 * @packageDocumentation
 */
export { WorkflowAction, ActionResult, WorkflowEngine, type ActionContext, type WorkflowEvent, type WorkflowEventName } from '@workflow-mastery/core';
export { WorkflowModule } from './workflow.module.js';
export { WORKFLOW_MODULE_OPTIONS, type WorkflowModuleAsyncOptions, type WorkflowModuleRootOptions, type WorkflowModuleExtras } from './workflow-module.definition.js';
export type {
  WorkflowModuleOptions,
  WorkflowStorageOption,
  WorkflowRunnerOption,
  FileStorageOption,
  TypeOrmStorageOption,
  RedisStorageOption,
  WorkflowEventEmitterOptions,
} from './workflow-module-options.interface.js';
export type { WorkflowHttpOptions, WorkflowHttpNestRequest } from './workflow-http-options.interface.js';
export type { WorkflowDashboardOptions } from './workflow-dashboard-options.interface.js';
export { userPrincipal } from './workflow.controller.js';
export { WorkflowService } from './workflow.service.js';
export { OnWorkflowEvent, getOnWorkflowEventMetadata, type OnWorkflowEventOptions, type OnWorkflowEventMetadata } from './on-workflow-event.decorator.js';
export { WorkflowDefinitionProvider, isWorkflowDefinitionProvider, type WorkflowDefinitionSource } from './workflow-definition-provider.decorator.js';
export { InvalidWorkflowProviderError } from './invalid-workflow-provider.error.js';
export { WorkflowModuleConfigError } from './workflow-module-config.error.js';
export { WORKFLOW_STORAGE, WORKFLOW_HTTP_API } from './workflow.constants.js';
export { nestWorkflowLogger } from './nest-logger.adapter.js';

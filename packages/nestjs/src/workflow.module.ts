/** `WorkflowModule`: the engine, its discovery and lifecycle, the facade and (opt-in) the HTTP API. */
import { Inject, Module, Optional, type DynamicModule, type MiddlewareConsumer, type NestModule, type Provider, type Type } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { WorkflowEngine } from '@workflow-mastery/core';
import { WORKFLOW_HTTP_CONTROLLER, WORKFLOW_HTTP_MOUNT, WORKFLOW_STORAGE_DEPENDENCY } from './workflow.constants.js';
import { restoreBodyHeadersMiddleware, WorkflowBodyGate } from './workflow-body-gate.js';
import { createWorkflowController } from './workflow.controller.js';
import { createWorkflowDashboardModule } from './workflow-dashboard.controller.js';
import type { WorkflowDashboardOptions } from './workflow-dashboard-options.interface.js';
import { workflowHttpApiProvider, workflowHttpOptionsProvider } from './workflow-http.providers.js';
import { WorkflowActionExplorer } from './workflow-action.explorer.js';
import { WorkflowDefinitionExplorer } from './workflow-definition.explorer.js';
import { workflowEngineProvider, workflowInnerRunnerProvider, workflowRunnerProvider, workflowStorageProvider } from './workflow-engine.providers.js';
import { WorkflowEventEmitterBridge } from './workflow-event-emitter.bridge.js';
import { WorkflowEventExplorer } from './workflow-event.explorer.js';
import { WorkflowLifecycle } from './workflow.lifecycle.js';
import {
  ConfigurableWorkflowModule,
  WORKFLOW_MODULE_OPTIONS,
  type WorkflowModuleAsyncOptions,
  type WorkflowModuleRootOptions,
} from './workflow-module.definition.js';
import type { WorkflowHttpOptions } from './workflow-http-options.interface.js';
import { WorkflowService } from './workflow.service.js';
import { storageDependencyToken } from './workflow-storage.factory.js';

/**
 * The workflow engine as a Nest module.
 *
 * ```ts
 * @Module({
 *   imports: [
 *     WorkflowModule.forRoot({ storage: { type: 'file', directory: '.workflow-data' }, definitions: [orderProcessing] }),
 *   ],
 *   providers: [ValidateOrderAction, PaymentGateway],
 * })
 * export class AppModule {}
 *
 * const app = await NestFactory.create(AppModule);
 * app.enableShutdownHooks(); // SIGTERM closes the engine gracefully
 * ```
 *
 * Actions are providers decorated with core's `@WorkflowAction(name)`, found anywhere in the app
 * at `onModuleInit`; their instances (with constructor injection) are registered on the engine.
 * Exports {@link WorkflowService} and {@link WorkflowEngine}; `isGlobal: true` makes them
 * injectable everywhere.
 */
@Module({
  imports: [DiscoveryModule],
  providers: [
    workflowStorageProvider,
    workflowInnerRunnerProvider,
    workflowRunnerProvider,
    workflowEngineProvider,
    WorkflowService,
    WorkflowActionExplorer,
    WorkflowDefinitionExplorer,
    WorkflowEventExplorer,
    WorkflowEventEmitterBridge,
    WorkflowLifecycle,
  ],
  exports: [WorkflowService, WorkflowEngine, WORKFLOW_MODULE_OPTIONS],
})
export class WorkflowModule extends ConfigurableWorkflowModule implements NestModule {
  constructor(@Optional() @Inject(WORKFLOW_HTTP_CONTROLLER) private readonly httpController?: Type) {
    super();
  }

  /** Express: the body headers the gate hid from the app's parser are put back once it has run. */
  configure(consumer: MiddlewareConsumer): void {
    if (this.httpController) consumer.apply(restoreBodyHeadersMiddleware).forRoutes(this.httpController);
  }

  /** Configure with options known up front. */
  static forRoot(options: WorkflowModuleRootOptions = {}): DynamicModule {
    return withDefinitionTimeParts(super.forRoot(options), options.http, storageDependencyToken(options.storage), options.dashboard);
  }

  /**
   * Configure from other providers (`useFactory` + `inject`, `useClass`, `useExisting`). Pass
   * `http: { prefix }` here, next to the factory, to mount the HTTP API.
   */
  static forRootAsync(options: WorkflowModuleAsyncOptions): DynamicModule {
    return withDefinitionTimeParts(super.forRootAsync(options), options.http, undefined, options.dashboard);
  }
}

/** Add what must be known when the module is defined: the storage's injected dependency, the HTTP controller. */
function withDefinitionTimeParts(module: DynamicModule, http: WorkflowHttpOptions | false | undefined, storageDependency: unknown, dashboard?: WorkflowDashboardOptions): DynamicModule {
  const providers: Provider[] = [...(module.providers ?? [])];
  if (storageDependency !== undefined) providers.push({ provide: WORKFLOW_STORAGE_DEPENDENCY, useExisting: storageDependency as never });
  if (dashboard) module = { ...module, imports: [...(module.imports ?? []), createWorkflowDashboardModule(dashboard, http)] };
  if (!http) return { ...module, providers };
  const controller = createWorkflowController(http);
  providers.push(
    { provide: WORKFLOW_HTTP_MOUNT, useValue: http },
    { provide: WORKFLOW_HTTP_CONTROLLER, useValue: controller },
    workflowHttpOptionsProvider,
    workflowHttpApiProvider,
    WorkflowBodyGate,
  );
  return { ...module, providers, controllers: [...(module.controllers ?? []), controller] };
}

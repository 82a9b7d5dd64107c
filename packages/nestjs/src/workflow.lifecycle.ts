/** Startup and shutdown of the engine, in the order the Nest lifecycle allows. */
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { WorkflowEngine } from '@workflow-mastery/core';
import { DeferredRunner } from './deferred-runner.js';
import { WORKFLOW_RUNNER } from './workflow.constants.js';
import { WorkflowActionExplorer } from './workflow-action.explorer.js';
import { WorkflowDefinitionExplorer } from './workflow-definition.explorer.js';
import { WorkflowEventEmitterBridge } from './workflow-event-emitter.bridge.js';
import { WorkflowEventExplorer } from './workflow-event.explorer.js';

/**
 * - `onModuleInit`: register actions, subscribe event listeners (and the EventEmitter2 bridge),
 *   register definitions (after the actions), then wait until storage is open and unfinished
 *   instances are recovered, so a storage that cannot open fails the application's startup.
 * - `onApplicationBootstrap`: hand held work to the runner; steps start running.
 * - `onApplicationShutdown`: `engine.close()`: no new work, running attempts get
 *   `shutdownTimeoutMs` to finish, then storage closes. Runs on `app.close()`, and on SIGTERM when
 *   the app called `app.enableShutdownHooks()`.
 */
@Injectable()
export class WorkflowLifecycle implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly disconnect: Array<() => void> = [];

  constructor(
    private readonly engine: WorkflowEngine,
    @Inject(WORKFLOW_RUNNER) private readonly runner: DeferredRunner,
    private readonly actions: WorkflowActionExplorer,
    private readonly definitions: WorkflowDefinitionExplorer,
    private readonly events: WorkflowEventExplorer,
    private readonly bridge: WorkflowEventEmitterBridge,
  ) {}

  async onModuleInit(): Promise<void> {
    this.actions.explore();
    this.disconnect.push(this.events.explore());
    const bridged = await this.bridge.connect();
    if (bridged) this.disconnect.push(bridged);
    await this.definitions.explore();
    await this.engine.ready;
  }

  onApplicationBootstrap(): void {
    this.runner.release();
  }

  async onApplicationShutdown(): Promise<void> {
    try {
      await this.engine.close();
    } finally {
      for (const off of this.disconnect.splice(0)) off();
    }
  }
}

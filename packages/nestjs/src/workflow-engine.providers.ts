/** The providers that build the engine: storage, runner, engine. */
import type { FactoryProvider } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { InProcessRunner, WorkflowEngine, type StorageAdapter, type WorkflowRunner } from '@workflow-mastery/core';
import { DeferredRunner } from './deferred-runner.js';
import { nestWorkflowLogger } from './nest-logger.adapter.js';
import { WORKFLOW_RUNNER, WORKFLOW_STORAGE, WORKFLOW_STORAGE_DEPENDENCY } from './workflow.constants.js';
import { BULLMQ_RUNNER_UNAVAILABLE, UNKNOWN_RUNNER } from './workflow.messages.js';
import { WORKFLOW_MODULE_OPTIONS } from './workflow-module.definition.js';
import { WorkflowModuleConfigError } from './workflow-module-config.error.js';
import type { WorkflowModuleOptions, WorkflowRunnerOption } from './workflow-module-options.interface.js';
import { createWorkflowStorage } from './workflow-storage.factory.js';

/** The storage named by `engineOptions.storage` or `storage`. */
export const workflowStorageProvider: FactoryProvider<Promise<StorageAdapter>> = {
  provide: WORKFLOW_STORAGE,
  useFactory: (options: WorkflowModuleOptions, moduleRef: ModuleRef, dependency?: unknown) =>
    createWorkflowStorage(options.engineOptions?.storage ?? options.storage, {
      dependency,
      resolve: (token) => {
        try {
          return moduleRef.get(token, { strict: false });
        } catch {
          return undefined;
        }
      },
    }),
  inject: [WORKFLOW_MODULE_OPTIONS, ModuleRef, { token: WORKFLOW_STORAGE_DEPENDENCY, optional: true }],
};

/** The runner, wrapped so that no work runs before the application has bootstrapped. */
export const workflowRunnerProvider: FactoryProvider<DeferredRunner> = {
  provide: WORKFLOW_RUNNER,
  useFactory: (options: WorkflowModuleOptions) => new DeferredRunner(createRunner(options.engineOptions?.runner ?? options.runner ?? 'in-process', options)),
  inject: [WORKFLOW_MODULE_OPTIONS],
};

/** The engine, injectable by its class. Definitions are registered later, after the actions. */
export const workflowEngineProvider: FactoryProvider<WorkflowEngine> = {
  provide: WorkflowEngine,
  useFactory: (options: WorkflowModuleOptions, storage: StorageAdapter, runner: DeferredRunner) => {
    const { definitions: _later, ...engineOptions } = options.engineOptions ?? {};
    return new WorkflowEngine({ logger: nestWorkflowLogger(), ...engineOptions, storage, runner });
  },
  inject: [WORKFLOW_MODULE_OPTIONS, WORKFLOW_STORAGE, WORKFLOW_RUNNER],
};

function createRunner(option: WorkflowRunnerOption, options: WorkflowModuleOptions): WorkflowRunner {
  const clock = options.engineOptions?.clock;
  if (option === 'in-process') return new InProcessRunner(clock ? { clock } : {});
  if (option === 'bullmq') throw new WorkflowModuleConfigError(BULLMQ_RUNNER_UNAVAILABLE, { runner: 'bullmq' });
  const runner = option as Partial<WorkflowRunner> | null;
  const isRunner = typeof runner === 'object' && runner !== null && ['start', 'dispatch', 'armTimer', 'disarmTimer', 'idle', 'close'].every((m) => typeof (runner as Record<string, unknown>)[m] === 'function');
  if (!isRunner) throw new WorkflowModuleConfigError(UNKNOWN_RUNNER(typeof option === 'string' ? JSON.stringify(option) : String(option)));
  // The engine hands its clock only to an InProcessRunner it sees; it sees the wrapper here.
  if (clock && option instanceof InProcessRunner) option.useClock(clock);
  return option as WorkflowRunner;
}

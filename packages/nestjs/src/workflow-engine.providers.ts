/** The providers that build the engine: storage, runner, engine. */
import type { FactoryProvider } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { InProcessRunner, WorkflowEngine, type StorageAdapter, type WorkflowRunner } from '@workflow-mastery/core';
import { DeferredRunner } from './deferred-runner.js';
import { nestWorkflowLogger } from './nest-logger.adapter.js';
import { BULLMQ_RUNNER_PACKAGE, WORKFLOW_BULL_QUEUE, WORKFLOW_INNER_RUNNER, WORKFLOW_RUNNER, WORKFLOW_STORAGE, WORKFLOW_STORAGE_DEPENDENCY } from './workflow.constants.js';
import { BULLMQ_PACKAGE_MISSING, BULLMQ_RUNNER_UNAVAILABLE, UNKNOWN_RUNNER } from './workflow.messages.js';
import { importModule, isModuleNotFound } from './optional-import.js';
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

/** The runner named by `runner` (in-process, BullMQ on the queue of `WorkflowBullMQModule`, or the user's own). */
export const workflowInnerRunnerProvider: FactoryProvider<Promise<WorkflowRunner>> = {
  provide: WORKFLOW_INNER_RUNNER,
  useFactory: async (options: WorkflowModuleOptions, bull?: WorkflowBullQueue) => {
    const option = options.engineOptions?.runner ?? options.runner ?? 'in-process';
    return option === 'bullmq' ? createBullRunner(bull) : createRunner(option, options);
  },
  inject: [WORKFLOW_MODULE_OPTIONS, { token: WORKFLOW_BULL_QUEUE, optional: true }],
};

/** The engine's runner: the inner one, wrapped so that no work runs before the application has bootstrapped. */
export const workflowRunnerProvider: FactoryProvider<DeferredRunner> = {
  provide: WORKFLOW_RUNNER,
  useFactory: (inner: WorkflowRunner) => new DeferredRunner(inner),
  inject: [WORKFLOW_INNER_RUNNER],
};

/** What `WorkflowBullMQModule` provides under {@link WORKFLOW_BULL_QUEUE}. */
export interface WorkflowBullQueue {
  /** The BullMQ `Queue` registered with `BullModule.registerQueue`. */
  queue: unknown;
  /** Options of the runner (sweeper, drain, locks). */
  runnerOptions: Record<string, unknown>;
}

/** The BullMQ runner on the queue `WorkflowBullMQModule` registered. */
async function createBullRunner(bull: WorkflowBullQueue | undefined): Promise<WorkflowRunner> {
  if (!bull) throw new WorkflowModuleConfigError(BULLMQ_RUNNER_UNAVAILABLE, { runner: 'bullmq' });
  let mod: Record<string, unknown>;
  try {
    mod = await importModule(BULLMQ_RUNNER_PACKAGE);
  } catch (error) {
    if (isModuleNotFound(error, BULLMQ_RUNNER_PACKAGE)) throw new WorkflowModuleConfigError(BULLMQ_PACKAGE_MISSING, { runner: 'bullmq' });
    throw error;
  }
  const { BullMQRunner } = mod as { BullMQRunner: { fromQueue(queue: unknown, options: Record<string, unknown>): WorkflowRunner } };
  return BullMQRunner.fromQueue(bull.queue, bull.runnerOptions);
}

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
  if (option === 'in-process') return new InProcessRunner();
  const runner = option as Partial<WorkflowRunner> | null;
  const isRunner = typeof runner === 'object' && runner !== null && ['start', 'dispatch', 'armTimer', 'disarmTimer', 'idle', 'close'].every((m) => typeof (runner as Record<string, unknown>)[m] === 'function');
  if (!isRunner) throw new WorkflowModuleConfigError(UNKNOWN_RUNNER(typeof option === 'string' ? JSON.stringify(option) : String(option)));
  return option as WorkflowRunner;
}

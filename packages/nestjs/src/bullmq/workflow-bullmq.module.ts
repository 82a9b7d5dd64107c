/**
 * `WorkflowBullMQModule`: the queue of `runner: 'bullmq'`, registered through `@nestjs/bullmq`
 * (`BullModule.registerQueue`), and a `WorkerHost` that runs its jobs through the engine.
 *
 * ```ts
 * @Module({
 *   imports: [
 *     BullModule.forRoot({ connection: { host: '127.0.0.1', port: 6379 } }),
 *     WorkflowBullMQModule.forRoot({ queue: 'workflows', concurrency: 16 }),   // worker: false in an API-only app
 *     WorkflowModule.forRoot({ runner: 'bullmq', storage: { type: 'typeorm', dataSource: DataSource } }),
 *   ],
 * })
 * export class AppModule {}
 * ```
 */
import { Injectable, Module, type DynamicModule, type OnApplicationBootstrap, type Provider } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { BullModule, getQueueToken, Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job, Queue } from 'bullmq';
import { BullMQRunner, type BullMQRunnerOptions } from '@workflow-mastery/bullmq';
import { WorkflowEngine, type WorkflowRunner } from '@workflow-mastery/core';
import type { DeferredRunner } from '../deferred-runner.js';
import { WORKFLOW_BULL_QUEUE, WORKFLOW_INNER_RUNNER, WORKFLOW_RUNNER } from '../workflow.constants.js';
import { BULLMQ_MODULE_WITHOUT_RUNNER } from '../workflow.messages.js';
import { WorkflowModuleConfigError } from '../workflow-module-config.error.js';
import type { WorkflowBullQueue } from '../workflow-engine.providers.js';

/** Options of {@link WorkflowBullMQModule.forRoot}. */
export interface WorkflowBullMQModuleOptions extends Omit<BullMQRunnerOptions, 'connection' | 'queue' | 'prefix' | 'definitions'> {
  /** Queue name. @defaultValue `workflow-mastery` */
  queue?: string;
  /** BullMQ key prefix. @defaultValue BullModule's (`bull`) */
  prefix?: string;
  /** Run jobs in this app (a `WorkerHost`); false in an API-only app that just enqueues. @defaultValue true */
  worker?: boolean;
  /** Jobs running at once in this app. @defaultValue 16 */
  concurrency?: number;
}

/**
 * The engine and the BullMQRunner WorkflowModule created (its {@link WORKFLOW_INNER_RUNNER}), with the
 * wrapper that holds work until bootstrap; looked up lazily, as the engine lives in WorkflowModule.
 */
function runnerOf(moduleRef: ModuleRef) {
  const engine = moduleRef.get(WorkflowEngine, { strict: false });
  const runner = moduleRef.get<unknown, WorkflowRunner>(WORKFLOW_INNER_RUNNER, { strict: false });
  if (!(runner instanceof BullMQRunner)) throw new WorkflowModuleConfigError(BULLMQ_MODULE_WITHOUT_RUNNER, { runner: 'bullmq' });
  const deferred = moduleRef.get<unknown, DeferredRunner>(WORKFLOW_RUNNER, { strict: false });
  return { engine, runner, deferred };
}

function processorClass(queue: string, concurrency: number): Provider {
  // Processor after Injectable: both set the scope metadata, the queue's must win.
  @Processor(queue, { concurrency })
  @Injectable()
  class WorkflowJobsProcessor extends WorkerHost implements OnApplicationBootstrap {
    private found?: ReturnType<typeof runnerOf>;

    constructor(private readonly moduleRef: ModuleRef) {
      super();
    }

    /** The engine and its runner, looked up once (not on every job). */
    private get workflow(): ReturnType<typeof runnerOf> {
      return (this.found ??= runnerOf(this.moduleRef));
    }

    /** Start the sweeper that re-creates jobs Redis lost. */
    async onApplicationBootstrap(): Promise<void> {
      const { engine, runner } = this.workflow;
      await engine.ready;
      await runner.work({ external: true, concurrency });
    }

    /** Run one job through the engine, once the app's actions are registered. */
    async process(job: Job, token?: string): Promise<void> {
      const { runner, deferred } = this.workflow;
      await deferred.whenReleased();
      await runner.processJob(job, token);
    }
  }
  return WorkflowJobsProcessor;
}

/** The queue (and worker) of `runner: 'bullmq'`. Global: WorkflowModule finds the queue from anywhere. */
@Module({})
export class WorkflowBullMQModule {
  static forRoot(options: WorkflowBullMQModuleOptions = {}): DynamicModule {
    const { queue = 'workflow-mastery', prefix, worker = true, concurrency = 16, ...runnerOptions } = options;
    const providers: Provider[] = [
      {
        provide: WORKFLOW_BULL_QUEUE,
        useFactory: (q: Queue): WorkflowBullQueue => ({ queue: q, runnerOptions: runnerOptions as Record<string, unknown> }),
        inject: [getQueueToken(queue)],
      },
    ];
    if (worker) providers.push(processorClass(queue, concurrency));
    return {
      module: WorkflowBullMQModule,
      global: true,
      imports: [BullModule.registerQueue({ name: queue, ...(prefix !== undefined ? { prefix } : {}) })],
      providers,
      exports: [WORKFLOW_BULL_QUEUE],
    };
  }
}

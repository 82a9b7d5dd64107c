/**
 * `WorkflowBullMQModule`: the queue of `runner: 'bullmq'`, registered through `@nestjs/bullmq`
 * (`BullModule.registerQueue`), and a `WorkerHost` that runs its jobs through the engine.
 *
 * ```ts
 * @Module({
 *   imports: [
 *     BullModule.forRoot({ connection: { host: '127.0.0.1', port: 6379 } }),
 *     WorkflowBullMQModule.forRoot({ queue: 'workflows', concurrency: 16 }),   // worker: false in an API-only app
 *     // or, from configuration: WorkflowBullMQModule.forRootAsync({ queue: 'workflows', imports: [ConfigModule],
 *     //   inject: [ConfigService], useFactory: (config: ConfigService) => ({ concurrency: config.get('WORKERS') }) }),
 *     WorkflowModule.forRoot({ runner: 'bullmq', storage: { type: 'typeorm', dataSource: DataSource } }),
 *   ],
 * })
 * export class AppModule {}
 * ```
 */
import { Inject, Injectable, Module, type DynamicModule, type FactoryProvider, type ModuleMetadata, type OnApplicationBootstrap, type Provider } from '@nestjs/common';
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

/** Options of {@link WorkflowBullMQModule.forRootAsync}: the queue and worker fixed when the module is defined, the rest from a factory. */
export interface WorkflowBullMQModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  /** Queue name (the worker is declared for it when the module is defined). @defaultValue `workflow-mastery` */
  queue?: string;
  /** Run jobs in this app; false in an API-only app. @defaultValue true */
  worker?: boolean;
  /** The other options (`prefix`, `concurrency`, the runner's options), from injected providers. */
  useFactory: (...args: any[]) => Omit<WorkflowBullMQModuleOptions, 'queue' | 'worker'> | Promise<Omit<WorkflowBullMQModuleOptions, 'queue' | 'worker'>>;
  /** Providers the factory gets, in order. */
  inject?: FactoryProvider['inject'];
}

/** The resolved options other than queue and worker. */
const WORKFLOW_BULL_OPTIONS = Symbol('WORKFLOW_BULL_OPTIONS');
type ResolvedOptions = Omit<WorkflowBullMQModuleOptions, 'queue' | 'worker'>;
const DEFAULT_CONCURRENCY = 16;

function processorClass(queue: string): Provider {
  // Processor after Injectable: both set the scope metadata, the queue's must win. The worker's
  // concurrency is set from the (possibly async) options at bootstrap.
  @Processor(queue, { concurrency: DEFAULT_CONCURRENCY })
  @Injectable()
  class WorkflowJobsProcessor extends WorkerHost implements OnApplicationBootstrap {
    private found?: ReturnType<typeof runnerOf>;
    private readonly concurrency: number;

    constructor(
      private readonly moduleRef: ModuleRef,
      @Inject(WORKFLOW_BULL_OPTIONS) options: ResolvedOptions,
    ) {
      super();
      this.concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
    }

    /** The engine and its runner, looked up once (not on every job). */
    private get workflow(): ReturnType<typeof runnerOf> {
      return (this.found ??= runnerOf(this.moduleRef));
    }

    /** Start the sweeper that re-creates jobs Redis lost. */
    async onApplicationBootstrap(): Promise<void> {
      const { engine, runner } = this.workflow;
      this.worker.concurrency = this.concurrency;
      await engine.ready;
      await runner.work({ external: true, concurrency: this.concurrency });
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
  /** Configure with options known up front. */
  static forRoot(options: WorkflowBullMQModuleOptions = {}): DynamicModule {
    const { queue, worker, ...rest } = options;
    return build(queue, worker, { provide: WORKFLOW_BULL_OPTIONS, useValue: rest }, []);
  }

  /**
   * Configure from other providers (`useFactory` + `inject`, `imports`); the queue name and
   * `worker` are given here, as the worker is declared for its queue when the module is defined.
   */
  static forRootAsync(options: WorkflowBullMQModuleAsyncOptions): DynamicModule {
    const { queue, worker, imports = [], useFactory, inject = [] } = options;
    return build(queue, worker, { provide: WORKFLOW_BULL_OPTIONS, useFactory, inject }, imports);
  }
}

function build(queue = 'workflow-mastery', worker = true, optionsProvider: Provider, imports: NonNullable<ModuleMetadata['imports']>): DynamicModule {
  // The options in a module of their own: the queue's registration (BullModule's module) needs them too.
  class WorkflowBullMQOptionsModule {}
  const optionsModule: DynamicModule = { module: WorkflowBullMQOptionsModule, imports, providers: [optionsProvider], exports: [WORKFLOW_BULL_OPTIONS] };
  const providers: Provider[] = [
    {
      provide: WORKFLOW_BULL_QUEUE,
      useFactory: (q: Queue, { prefix: _prefix, concurrency: _concurrency, ...runnerOptions }: ResolvedOptions): WorkflowBullQueue => ({ queue: q, runnerOptions: runnerOptions as Record<string, unknown> }),
      inject: [getQueueToken(queue), WORKFLOW_BULL_OPTIONS],
    },
  ];
  if (worker) providers.push(processorClass(queue));
  return {
    module: WorkflowBullMQModule,
    global: true,
    imports: [
      optionsModule,
      BullModule.registerQueueAsync({
        name: queue,
        imports: [optionsModule],
        useFactory: ({ prefix }: ResolvedOptions) => (prefix !== undefined ? { prefix } : {}),
        inject: [WORKFLOW_BULL_OPTIONS],
      }),
    ],
    providers,
    exports: [WORKFLOW_BULL_QUEUE],
  };
}

/** Options of `WorkflowModule.forRoot` / `forRootAsync`. */
import type { InjectionToken } from '@nestjs/common';
import type { StorageAdapter, WorkflowDefinition, WorkflowDefinitionInput, WorkflowEngineOptions, WorkflowRunner } from '@workflow-mastery/core';
import type { WorkflowHttpOptions } from './workflow-http-options.interface.js';
import type { WorkflowDashboardOptions } from './workflow-dashboard-options.interface.js';

/** Files in a directory, through core's `FileStorage` (one process per directory). */
export interface FileStorageOption {
  type: 'file';
  /** Created when missing. */
  directory: string;
  /** fsync every commit. @defaultValue FileStorage's default */
  fsync?: boolean;
}

/**
 * The app's TypeORM DataSource, through `TypeOrmStorage` of `@workflow-mastery/storage-typeorm`
 * (install it; it is imported only when this type is configured). The DataSource must list
 * `workflowEntities()` (and `workflowMigrations()` unless the tables exist); it is never destroyed
 * by the engine.
 */
export interface TypeOrmStorageOption {
  type: 'typeorm';
  /**
   * The DataSource instance, or its injection token (with `@nestjs/typeorm`: the `DataSource` class,
   * or `getDataSourceToken('name')`). A token is injected with `forRoot`; with `forRootAsync`,
   * prefer listing it in `inject` and returning the instance.
   */
  dataSource: object | InjectionToken;
  /** Table name prefix. @defaultValue `wm_` */
  tablePrefix?: string;
  /** Run pending migrations of the DataSource on startup. @defaultValue false */
  runMigrations?: boolean;
  /** Largest record JSON in bytes. @defaultValue 1 MiB */
  maxPayloadBytes?: number;
}

/**
 * Redis, through `RedisStorage` of `@workflow-mastery/storage-redis` (install it; it is imported
 * only when this type is configured). Give your ioredis client (never closed by the engine) or a URL.
 */
export interface RedisStorageOption {
  type: 'redis';
  /** Your ioredis client instance. */
  redis?: object;
  /** @defaultValue `redis://127.0.0.1:6379` */
  url?: string;
  /** @defaultValue `wm:` */
  keyPrefix?: string;
  /** @defaultValue 5000 */
  connectTimeoutMs?: number;
}

/** Where the engine keeps state: a named kind, or a ready {@link StorageAdapter} (closed with the engine). */
export type WorkflowStorageOption = 'memory' | { type: 'memory' } | FileStorageOption | TypeOrmStorageOption | RedisStorageOption | StorageAdapter;

/**
 * Where steps run. `in-process` (the default) runs them in this process; `bullmq` puts them on the
 * BullMQ queue that `WorkflowBullMQModule.forRoot()` (`@workflow-mastery/nestjs/bullmq`) registers
 * through `@nestjs/bullmq`, run by its `WorkerHost` in every app that has `worker: true`; a
 * {@link WorkflowRunner} instance is used as given.
 */
export type WorkflowRunnerOption = 'in-process' | 'bullmq' | WorkflowRunner;

/** Bridge of engine events to `@nestjs/event-emitter`. */
export interface WorkflowEventEmitterOptions {
  /**
   * Prepended to every event name: with `'workflow-mastery.'`, `step.completed` is emitted as
   * `workflow-mastery.step.completed`. @defaultValue `''` (the engine's own dotted names)
   */
  prefix?: string;
}

/** Options of the workflow module. */
export interface WorkflowModuleOptions {
  /** @defaultValue `'memory'` (state is lost on restart) */
  storage?: WorkflowStorageOption;
  /** @defaultValue `'in-process'` */
  runner?: WorkflowRunnerOption;
  /**
   * Definitions registered at startup, after every `@WorkflowAction` provider is registered (so
   * they may name actions by class). More can come from `@WorkflowDefinitionProvider()` providers.
   */
  definitions?: Array<WorkflowDefinitionInput | WorkflowDefinition>;
  /**
   * Any other engine option (`clock`, `logger`, `leaseMs`, `shutdownTimeoutMs`...). `storage` and
   * `runner` here win over the top-level ones. @defaultValue a logger writing to Nest's `Logger`
   */
  engineOptions?: Partial<WorkflowEngineOptions>;
  /**
   * Re-emit every engine event on the app's `EventEmitter2` when `EventEmitterModule` is imported;
   * `false` turns it off. @defaultValue true (names unchanged: `step.completed`, `workflow.failed`...)
   */
  eventEmitter?: boolean | WorkflowEventEmitterOptions;
  /**
   * The HTTP API (core's route table) under a prefix. Not mounted unless given: it can start and
   * cancel workflows, so it is opt-in and needs `authorize` (or an explicit `auth: 'none'`).
   * With `forRootAsync`, pass `http` next to `useFactory` too (the prefix must be known when the
   * module is defined); the factory's `http` then supplies the rest (authorize, principal).
   * @defaultValue not mounted
   */
  http?: WorkflowHttpOptions | false;
  /**
   * The web dashboard at `dashboard.path` (below any global prefix), calling the HTTP API from the
   * browser, so `authorize` decides what each user sees. Needs `http` (or `dashboard.apiBase`).
   * With `forRootAsync`, pass it next to `useFactory`, like `http`. @defaultValue not served
   */
  dashboard?: WorkflowDashboardOptions;
}

/**
 * An inversify 8 `ContainerModule` binding the {@link WorkflowEngine}, for vanilla, Express and
 * Fastify apps that use a container. Lives in the `@workflow-mastery/core/inversify` subpath so the
 * core never loads inversify (an optional peer dependency).
 */
import { ContainerModule, type ResolutionContext, type ServiceIdentifier } from 'inversify';
import { WorkflowEngine, type WorkflowEngineOptions } from '../engine/workflow-engine.js';
import { ErrorCode, WorkflowError } from '../errors.js';

/** Service identifier of the engine, for `@inject(WORKFLOW_ENGINE)`; the class `WorkflowEngine` is bound too. */
export const WORKFLOW_ENGINE: ServiceIdentifier<WorkflowEngine> = Symbol.for('@workflow-mastery/core:WorkflowEngine');

/** Options of {@link workflowContainerModule}: an engine you own, or options of one the container creates. */
export type WorkflowContainerModuleOptions =
  | {
      /** An engine you own: bound as a constant, never closed by the container. */
      engine: WorkflowEngine;
      engineOptions?: never;
    }
  | {
      engine?: never;
      /**
       * Options of an engine the container creates (a singleton, on the first `getAsync`) and closes when it
       * is unbound (`await container.unbindAllAsync()` or `unloadAsync(module)`). A function gets
       * the resolution context, to take the storage or logger from the container.
       */
      engineOptions: WorkflowEngineOptions | ((context: ResolutionContext) => WorkflowEngineOptions);
      /**
       * Build action classes with the container (`container.get(ActionClass, { autobind: true })`),
       * so `@injectable()` actions get their dependencies. Ignored when `engineOptions` has an
       * `actionFactory`. @defaultValue true
       */
      resolveActions?: boolean;
    };

/**
 * A ContainerModule binding `WorkflowEngine` and {@link WORKFLOW_ENGINE} (the same instance). Its
 * storage is opened before anything uses it, so a storage that cannot open fails at startup, not
 * on the first request: the module loads asynchronously (`loadAsync`), awaiting an engine you pass;
 * an engine the container creates is resolved asynchronously once (`getAsync`), awaiting its
 * `ready` (and closed again if that fails). After that first `getAsync`, `get` returns it.
 *
 * ```ts
 * const container = new Container();
 * await container.loadAsync(workflowContainerModule({ engineOptions: { storage } }));
 * const engine = await container.getAsync(WorkflowEngine); // rejects with the storage's error
 * // on shutdown: await container.unbindAllAsync(); // closes the engine it created
 * ```
 */
export function workflowContainerModule(options: WorkflowContainerModuleOptions): ContainerModule {
  const { engine, engineOptions } = options as { engine?: WorkflowEngine; engineOptions?: WorkflowContainerModuleOptions['engineOptions'] };
  if ((engine === undefined) === (engineOptions === undefined)) {
    throw new WorkflowError(ErrorCode.InputInvalid, 'workflowContainerModule: pass either `engine` (an engine you own) or `engineOptions` (the container creates and closes it), not both.');
  }
  const resolveActions = 'resolveActions' in options ? options.resolveActions !== false : true;
  // Async on purpose in both cases: `container.load` (sync) then says to use `loadAsync`, the one
  // call that can report a storage error.
  return new ContainerModule(async ({ bind }) => {
    if (engine) {
      await engine.ready; // the caller owns it: not closed here even if its storage failed
      bind(WorkflowEngine).toConstantValue(engine);
    } else {
      bind(WorkflowEngine)
        .toDynamicValue(async (context) => {
          const opts = typeof engineOptions === 'function' ? engineOptions(context) : engineOptions!;
          const created = new WorkflowEngine({
            ...(resolveActions ? { actionFactory: (cls) => context.get(cls, { autobind: true }) } : {}),
            ...opts,
          });
          try {
            await created.ready;
          } catch (error) {
            await created.close().catch(() => undefined);
            throw error;
          }
          return created;
        })
        .inSingletonScope()
        .onDeactivation((created) => created.close());
    }
    bind(WORKFLOW_ENGINE).toService(WorkflowEngine);
  });
}

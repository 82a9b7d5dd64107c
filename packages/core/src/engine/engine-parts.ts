/**
 * How the engine's parts are built and wired: each gets the others it calls, and the engine's
 * public methods it needs (starting children, commands) as hooks. The parts call each other through
 * arrows, which run only after everything here is built.
 */
import type { ActionRegistry } from '../actions/action-registry.js';
import type { JsonObject, WorkflowDefinition, WorkflowDefinitionInput } from '../definition/definition.types.js';
import { IllegalTransitionError } from '../errors.js';
import type { InstanceRecord } from '../model/instance.types.js';
import { AttemptExecutor } from './attempt-executor.js';
import { AttemptRegistry } from './attempt-registry.js';
import { ChildWorkflows } from './child-workflows.js';
import { CommitEffects } from './commit-effects.js';
import type { DecisionInput } from './decide/index.js';
import { DefinitionRegistry } from './definition-registry.js';
import type { StartOptions } from './engine.types.js';
import type { EngineSettings } from './engine-options.js';
import { HumanTasks } from './human-tasks.js';
import { InstanceCommitter } from './instance-committer.js';
import { InstanceMigrator } from './instance-migrator.js';
import { InstanceStarter } from './instance-starter.js';
import { InstanceWatchers } from './instance-watchers.js';
import { LeaseKeeper } from './lease-keeper.js';
import { Purger } from './purger.js';
import { Recovery } from './recovery.js';
import type { WorkResult } from './runner.types.js';
import { WorkflowEventEmitter } from './workflow-events.js';

/** @internal What the parts need of the engine's public face. */
export interface EngineHooks {
  start(workflow: string | WorkflowDefinitionInput | WorkflowDefinition, data: JsonObject, options: StartOptions): Promise<InstanceRecord>;
  command(id: string, input: DecisionInput): Promise<InstanceRecord>;
  cancel(id: string, reason: string, by: string): Promise<InstanceRecord>;
  fireTimer(instanceId: string, timerId: string): Promise<WorkResult>;
}

/** @internal The parts of one engine. */
export interface EngineParts {
  definitions: DefinitionRegistry;
  emitter: WorkflowEventEmitter;
  committer: InstanceCommitter;
  effects: CommitEffects;
  watchers: InstanceWatchers;
  starter: InstanceStarter;
  executor: AttemptExecutor;
  attempts: AttemptRegistry;
  children: ChildWorkflows;
  recovery: Recovery;
  tasks: HumanTasks;
  migrator: InstanceMigrator;
  purger: Purger;
  /** Set on a shared storage only. */
  leases?: LeaseKeeper;
}

/** @internal Build and wire the parts of an engine. */
export function buildEngineParts(settings: EngineSettings, actions: ActionRegistry, hooks: EngineHooks): EngineParts {
  const { storage, runner, clock, logger, instrumentation, notifier } = settings;
  const emitter = new WorkflowEventEmitter((error, event) =>
    logger.error({ err: error, event: event.type, workflowId: event.instanceId, stepId: event.stepId, attempt: event.attempt }, 'event listener threw'),
  );
  const attempts = new AttemptRegistry();
  const watchers = new InstanceWatchers(storage);
  // Assigned last: the arrows below read it only once everything is built.
  let parts: EngineParts;
  const definitions = new DefinitionRegistry(actions, clock, logger, settings.expressions, (id) => void parts.recovery.recoverInstance(id), storage, settings.retentionMs);
  const leases = settings.shared
    ? new LeaseKeeper({ storage, runner, clock, logger, fireTimer: (id, timer) => hooks.fireTimer(id, timer) }, settings.owner, settings.leaseMs)
    : undefined;
  const cancelChild = (childId: string, reason: string) =>
    void hooks.cancel(childId, reason, 'workflow:parent').catch((error: unknown) => {
      if (!(error instanceof IllegalTransitionError)) logger.error({ err: error, workflowId: childId }, 'cancelling a child workflow failed');
    });
  const childFinished = (childId: string) => void parts.children.deliverIfFinished(childId);
  const effects = new CommitEffects({ runner, logger, notifier, emitter, attempts, watchers, cancelChild, childFinished });
  const committer = new InstanceCommitter(storage, definitions, logger, effects, settings.groupCommit, leases);
  const children = new ChildWorkflows(storage, committer, (workflow, data, opts) => hooks.start(workflow, data, opts));
  const recovery = new Recovery(storage, effects, children, logger);
  const tasks = new HumanTasks(storage, (id, input) => hooks.command(id, input), settings.payloadLimit);
  const migrator = new InstanceMigrator({ storage, definitions, committer, clock, logger, attempts });
  const starter = new InstanceStarter(storage, definitions, committer, runner.delivery, settings.generateId, logger, instrumentation, settings.payloadLimit);
  const executor = new AttemptExecutor({ storage, logger, clock, actions, definitions, committer, effects, attempts, children, emitter, leases, instrumentation, payloadLimit: settings.payloadLimit });
  const purger = new Purger(storage, clock, logger, settings.owner, settings.purge);
  parts = { definitions, emitter, committer, effects, watchers, starter, executor, attempts, children, recovery, tasks, migrator, purger, ...(leases ? { leases } : {}) };
  return parts;
}

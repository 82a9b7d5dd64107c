/**
 * The durable workflow engine: the public face of the parts in this folder, which it builds and
 * wires; callers and runners are answered by those parts (see the core's README for the tour).
 */
import type { ActionFactory } from '../actions/action-registry.js';
import { ActionRegistry } from '../actions/action-registry.js';
import type { ActionClass, ActionImplementation, ActionOptions } from '../actions/action.types.js';
import type { JsonObject, WorkflowDefinition, WorkflowDefinitionInput } from '../definition/definition.types.js';
import { ErrorCode, NotFoundError, WorkflowError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { HistoryEvent, InstanceRecord } from '../model/instance.types.js';
import type { Notifier } from '../notifications/notifier.js';
import type { InstancePage, InstanceQuery, StorageAdapter } from '../storage/storage-adapter.js';
import { type Actor, audit } from './actor.js';
import type { Clock } from './clock.js';
import type { DecisionInput } from './decide/index.js';
import type { StartOptions, TaskQuery, WaitForOptions, WorkflowTask } from './engine.types.js';
import type { BulkMigrateOptions, BulkMigrationPage, DefinitionVersionInfo, DeployedDefinition, DeployOptions, MigrateOptions, MigrationPlan } from './definition-ops.types.js';
import { startEngineParts, stopEngineParts } from './engine-lifecycle.js';
import { buildEngineParts, type EngineParts } from './engine-parts.js';
import { resolveEngineOptions, type WorkflowEngineOptions } from './engine-options.js';
import { toJsonObject } from './json-value.js';
import type { PayloadLimit } from './payload-limit.js';
import type { PurgeReport, PurgeRunOptions } from './purge-options.js';
import type { PurgeListener } from './purger.js';
import type { WorkflowRunner, WorkItem, WorkResult } from './runner.types.js';
import type { WorkflowEventListener, WorkflowEventName } from './workflow-events.js';

export type { Actor } from './actor.js';
export type { StartOptions, TaskQuery, WaitForOptions, WorkflowTask } from './engine.types.js';
export type * from './definition-ops.types.js';
export type { WorkflowEngineOptions } from './engine-options.js';

/** The durable workflow engine. */
export class WorkflowEngine {
  readonly storage: StorageAdapter;
  readonly runner: WorkflowRunner;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly actions: ActionRegistry;
  /** Notification channels by name: register `email`, `slack`, `pagerduty`, webhooks here. */
  readonly notifier: Notifier;
  /** Resolves once storage is open and unfinished instances are recovered. */
  readonly ready: Promise<void>;
  /** This engine's name in leases. */
  readonly owner: string;
  /** True when the storage is shared by several engines (it leases work). */
  readonly shared: boolean;

  private readonly parts: EngineParts;
  private readonly shutdownTimeoutMs: number;
  private readonly payloadLimit: PayloadLimit;
  private closed = false;

  constructor(options: WorkflowEngineOptions = {}) {
    const settings = resolveEngineOptions(options);
    this.storage = settings.storage;
    this.runner = settings.runner;
    this.clock = settings.clock;
    this.logger = settings.logger;
    this.notifier = settings.notifier;
    this.owner = settings.owner;
    this.shared = settings.shared;
    this.shutdownTimeoutMs = settings.shutdownTimeoutMs;
    this.payloadLimit = settings.payloadLimit;
    this.actions = new ActionRegistry(options.actionFactory);
    this.parts = buildEngineParts(settings, this.actions, {
      start: (workflow, data, opts) => this.start(workflow, data, opts),
      command: (id, input) => this.command(id, input),
      cancel: (id, reason, by) => this.cancel(id, reason, by),
      fireTimer: (id, timer) => this.fireTimer(id, timer),
    });
    for (const [name, impl] of Object.entries(options.actions ?? {})) this.registerAction(name, impl);
    for (const def of options.definitions ?? []) this.registerDefinition(def);
    this.ready = startEngineParts(
      this.parts,
      settings,
      { executeWork: (item) => this.executeWork(item), fireTimer: (id, timer, fireAt) => this.fireTimer(id, timer, fireAt) },
      () => this.closed,
    );
    // Surface init failures on first use, not as an unhandled rejection.
    this.ready.catch(() => undefined);
  }

  /** Register an action: a function, a class with `execute`, or an object with `execute`. */
  registerAction(name: string, action: ActionImplementation, options?: ActionOptions): this {
    this.actions.register(name, action, options);
    return this;
  }

  /** Register `@WorkflowAction`-decorated classes; `factory` builds them (e.g. a container). */
  registerActions(classes: ActionClass[], factory?: ActionFactory): this {
    this.actions.registerClasses(classes, factory);
    return this;
  }

  /**
   * Validate and register a definition under its name and version; returns the compiled form. It is
   * stored the first time an instance uses it. @throws `WF_DEFINITION_CONFLICT` for a known version with other content.
   */
  registerDefinition(definition: WorkflowDefinitionInput | WorkflowDefinition): WorkflowDefinition {
    return this.parts.definitions.register(definition);
  }

  /**
   * Deploy a definition at run time: validated fully (every problem at once), stored, and known to
   * this engine; the same content again is a no-op. Unknown actions are refused unless allowed.
   */
  async deployDefinition(definition: WorkflowDefinitionInput, options: DeployOptions = {}): Promise<DeployedDefinition> {
    await this.ready;
    return this.parts.definitions.deploy(definition, options);
  }

  /** A definition this engine knows (registered, deployed or loaded); the latest version unless one is given. */
  getDefinition(name: string, version?: string): WorkflowDefinition {
    return this.parts.definitions.get(name, version);
  }

  /** A definition known here or stored (loaded on the way); the latest of all unless a version is given. */
  async loadDefinition(name: string, version?: string): Promise<WorkflowDefinition> {
    await this.ready;
    return this.parts.definitions.load(name, version);
  }

  /** Every definition this engine knows, every version (see {@link listDefinitionVersions} for the stored ones). */
  listDefinitions(): WorkflowDefinition[] {
    return this.parts.definitions.list();
  }

  /** Every version stored or known here, of one name or all. */
  async listDefinitionVersions(name?: string): Promise<DefinitionVersionInfo[]> {
    await this.ready;
    return this.parts.definitions.listVersions(name);
  }

  /** Plan, and unless `dryRun` apply in one commit, the move of an instance to another version. */
  async migrateInstance(id: string, options: MigrateOptions): Promise<MigrationPlan> {
    await this.ready;
    this.assertOpen();
    return this.parts.migrator.migrate(id, options);
  }

  /** One page of the migration of every unfinished instance of `name@fromVersion` (resumable with `cursor`). */
  async migrateInstances(name: string, fromVersion: string, options: BulkMigrateOptions): Promise<BulkMigrationPage> {
    await this.ready;
    this.assertOpen();
    return this.parts.migrator.migrateAll(name, fromVersion, options);
  }

  /** Re-run an instance from a completed or failed step; later steps' results are cleared. */
  async retryFrom(id: string, stepId: string, by?: Actor): Promise<InstanceRecord> {
    return this.command(id, { type: 'retry_from', stepId, ...audit(by) });
  }

  /** Complete a stuck step with `data` as its result and route on. */
  async skipStep(id: string, stepId: string, data: JsonObject = {}, by?: Actor): Promise<InstanceRecord> {
    return this.command(id, { type: 'skip_step', stepId, data: this.payloadLimit.check(toJsonObject(data ?? {}, 'data'), `skipStep data of step "${stepId}"`), ...audit(by) });
  }

  /** Shallow-merge `patch` into the instance's data (a key set to null is removed). */
  async updateData(id: string, patch: JsonObject, by?: Actor): Promise<InstanceRecord> {
    return this.command(id, { type: 'update_data', patch: this.payloadLimit.check(toJsonObject(patch ?? {}, 'patch'), 'updateData patch'), ...audit(by) });
  }

  /**
   * Start an instance. Checks actions and input before storing anything; with an idempotency key
   * already used, returns that instance.
   */
  async start(definition: string | WorkflowDefinitionInput | WorkflowDefinition, data: JsonObject = {}, options: StartOptions = {}): Promise<InstanceRecord> {
    await this.ready;
    this.assertOpen();
    const { definitions } = this.parts;
    const def =
      typeof definition !== 'string'
        ? definitions.register(definition)
        : (definitions.cached(definition, options.version) ?? (await definitions.load(definition, options.version)));
    return this.parts.starter.start(def, data, options);
  }

  /** Wait until the instance is terminal or WAITING (or terminal only, with `until: 'terminal'`). */
  async waitFor(id: string, options: WaitForOptions = {}): Promise<InstanceRecord> {
    return this.parts.watchers.waitFor(id, () => this.getInstance(id), options);
  }

  /** @throws NotFoundError */
  async getInstance(id: string): Promise<InstanceRecord> {
    await this.ready;
    const inst = await this.storage.getInstance(id);
    if (!inst) throw new NotFoundError('instance', id);
    return inst;
  }

  async listInstances(query: InstanceQuery = {}): Promise<InstancePage> {
    await this.ready;
    return this.storage.listInstances(query);
  }

  /** @throws NotFoundError */
  async getHistory(id: string): Promise<HistoryEvent[]> {
    await this.getInstance(id);
    return this.storage.getHistory(id);
  }

  /** Deliver a signal: resumes steps waiting on it, or is buffered until one waits. */
  async signal(id: string, name: string, payload: JsonObject = {}, by?: Actor): Promise<InstanceRecord> {
    if (typeof name !== 'string' || name === '') throw new WorkflowError(ErrorCode.InputInvalid, 'signal(id, name, payload): name must be a non-empty string.');
    return this.command(id, { type: 'signal', name, payload: this.payloadLimit.check(toJsonObject(payload ?? {}, 'payload'), `payload of signal "${name}"`), ...audit(by) });
  }

  /** Human tasks matching `query` (open and claimed ones unless `state` says otherwise). */
  async listTasks(query: TaskQuery = {}): Promise<WorkflowTask[]> {
    await this.ready;
    return this.parts.tasks.list(query);
  }

  /** @throws NotFoundError for an unknown task id. */
  async getTask(taskId: string): Promise<WorkflowTask> {
    await this.ready;
    return this.parts.tasks.get(taskId);
  }

  /** Claim an open task for `by`; others can then no longer complete it. */
  async claimTask(taskId: string, by: Actor): Promise<WorkflowTask> {
    await this.ready;
    return this.parts.tasks.claim(taskId, by);
  }

  /** Complete a task: `data` is merged into the instance data and the instance goes on. */
  async completeTask(taskId: string, data: JsonObject = {}, by?: Actor): Promise<InstanceRecord> {
    await this.ready;
    return this.parts.tasks.complete(taskId, data, by);
  }

  /** Stop starting new steps; running attempts finish and are recorded. */
  pause(id: string, by?: Actor): Promise<InstanceRecord> {
    return this.command(id, { type: 'pause', ...audit(by) });
  }

  resume(id: string, by?: Actor): Promise<InstanceRecord> {
    return this.command(id, { type: 'resume', ...audit(by) });
  }

  /** Cancel: running attempts are aborted through their AbortSignal; nothing is compensated. */
  cancel(id: string, reason?: string, by?: Actor): Promise<InstanceRecord> {
    return this.command(id, { type: 'cancel', ...(reason ? { reason } : {}), ...audit(by) });
  }

  /** Re-run a FAILED instance from its failed steps, with fresh retries. */
  retry(id: string, by?: Actor): Promise<InstanceRecord> {
    return this.command(id, { type: 'retry', ...audit(by) });
  }

  /**
   * Delete finished instances past their retention now (archiving them first when `purge.archive`
   * is set), at most `limit`; `dryRun` counts them. The engine also does it every `purge.intervalMs`.
   */
  async purge(options: PurgeRunOptions = {}): Promise<PurgeReport> {
    await this.ready;
    this.assertOpen();
    return this.parts.purger.run(options);
  }

  /** Listen to purges that deleted or archived something (metrics); returns an unsubscribe function. */
  onPurge(listener: PurgeListener): () => void {
    return this.parts.purger.onPurge(listener);
  }

  /** Listen to an event (`*` for all); returns an unsubscribe function. */
  on(name: WorkflowEventName | '*', listener: WorkflowEventListener): () => void {
    return this.parts.emitter.on(name, listener);
  }

  off(name: WorkflowEventName | '*', listener: WorkflowEventListener): void {
    this.parts.emitter.off(name, listener);
  }

  /** Resolves when no work is running or queued in this process (timers aside). */
  async idle(): Promise<void> {
    await this.ready;
    await this.runner.idle();
    await Promise.all(this.parts.committer.pending());
    await Promise.all(this.parts.effects.pending());
  }

  /**
   * Stop: no new work starts; running attempts get `shutdownTimeoutMs` (or `options.timeoutMs`) to
   * finish, then are aborted (unrecorded, they run again: on the next start, or at once on another
   * worker when the runner hands them back); then the runner and storage close.
   */
  async close(options: { timeoutMs?: number } = {}): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await stopEngineParts(this.parts, this, options.timeoutMs ?? this.shutdownTimeoutMs);
  }

  /** @internal Run one attempt of a step or compensation and record its outcome. */
  executeWork(item: WorkItem): Promise<WorkResult> {
    return this.parts.executor.execute(item);
  }

  /** @internal A durable timer came due. */
  async fireTimer(instanceId: string, timerId: string, fireAt?: number): Promise<WorkResult> {
    return (await this.parts.committer.record(instanceId, { type: 'timer.fired', timerId, ...(fireAt !== undefined ? { fireAt } : {}) }, { timerId })) ? 'done' : 'unrecorded';
  }

  private async command(id: string, input: DecisionInput): Promise<InstanceRecord> {
    await this.ready;
    this.assertOpen();
    const result = await this.parts.committer.apply(id, input, true);
    return result ?? this.getInstance(id);
  }

  private assertOpen(): void {
    if (this.closed) throw new WorkflowError(ErrorCode.EngineClosed, 'The engine is closed; create a new WorkflowEngine.');
  }
}

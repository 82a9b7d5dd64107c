/**
 * The imperative shell around {@link decide}: reads state, runs actions, commits decisions with
 * compare-and-swap, emits events and hands effects to the runner.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { ActionFactory } from '../actions/action-registry.js';
import { ActionRegistry } from '../actions/action-registry.js';
import { ActionResult } from '../actions/action-result.js';
import type { ActionClass, ActionContext, ActionHandler, ActionImplementation, ActionOptions } from '../actions/action.types.js';
import { parseDefinition } from '../definition/definition-parser.js';
import type { JsonObject, RetryPolicy, WorkflowDefinition, WorkflowDefinitionInput } from '../definition/definition.types.js';
import { parseDuration } from '../duration.js';
import {
  ConcurrencyError,
  DefinitionError,
  ErrorCode,
  IllegalTransitionError,
  NotFoundError,
  WorkflowError,
} from '../errors.js';
import type { ExpressionOptions } from '../expression/expression.types.js';
import type { Logger } from '../logger.js';
import { consoleLogger } from '../logger.js';
import type { ErrorInfo, HistoryEvent, InstanceRecord, InstanceState, TaskRecord, TaskState } from '../model/instance.types.js';
import { isTerminal } from '../model/instance.types.js';
import { isRunnable } from '../model/runnable-work.js';
import { MemoryStorage } from '../storage/memory-storage.js';
import type { ClaimedWork, Commit, InstancePage, InstanceQuery, Lease, StorageAdapter } from '../storage/storage-adapter.js';
import { AttemptContext } from './action-context.js';
import { AttemptControl } from './attempt-control.js';
import { CommitBatcher, type CommitBatcherOptions } from './commit-batcher.js';
import type { Clock } from './clock.js';
import { LogChannel } from '../notifications/log-channel.js';
import { fromEvent, Notifier } from '../notifications/notifier.js';
import { systemClock } from './clock.js';
import type { Audit, DecideEnv, Decision, DecisionInput, Effect } from './decide/index.js';
import { decide, deepFreeze, parseTaskId, recoveryEffects, startInstance } from './decide/index.js';
import { InProcessRunner } from './in-process-runner.js';
import { compileInputSchema, validateInput } from './input-validator.js';
import { DEFAULT_COMPENSATION_RETRY, policyFromOptions } from './retry-policy.js';
import type { WorkflowRunner, WorkItem, WorkResult } from './runner.types.js';
import type { AttemptInfo, EngineInstrumentation } from './instrumentation.js';
import type { WorkflowEvent, WorkflowEventListener, WorkflowEventName } from './workflow-events.js';
import { WorkflowEventEmitter } from './workflow-events.js';

/** Options of {@link WorkflowEngine}. */
export interface WorkflowEngineOptions {
  /** Where state lives. @defaultValue a new {@link MemoryStorage} */
  storage?: StorageAdapter;
  /** Actions to register up front, by name. */
  actions?: Record<string, ActionImplementation>;
  /** Definitions to register up front. */
  definitions?: Array<WorkflowDefinitionInput | WorkflowDefinition>;
  /** Where work runs. @defaultValue a new {@link InProcessRunner} */
  runner?: WorkflowRunner;
  /** @defaultValue warnings and errors to stderr */
  logger?: Logger;
  /** @defaultValue real time */
  clock?: Clock;
  /** Builds action classes (a DI container's `get`). @defaultValue `new Cls()` */
  actionFactory?: ActionFactory;
  /** Options of the condition language (allowed methods, functions). */
  expressions?: ExpressionOptions;
  /** Re-run interrupted steps and re-arm timers of unfinished instances at startup. @defaultValue true */
  recover?: boolean;
  /** Id generator for new instances. @defaultValue `crypto.randomUUID` */
  generateId?: () => string;
  /**
   * Delivers `error_handling.notification_channels` when an instance with `on_failure: notify` or
   * `compensate_and_notify` fails. @defaultValue a Notifier with a `log` channel on `logger`
   */
  notifier?: Notifier;
  /**
   * On a storage shared by several engines (one with `claimWork`): how long work this engine
   * takes is leased to it; running attempts renew their lease every third of it, and a crashed
   * engine's work is taken over by another once it runs out. @defaultValue 30000
   */
  leaseMs?: number;
  /** On a shared storage: how often to claim runnable work and due timers. @defaultValue 500 */
  pollIntervalMs?: number;
  /** On a shared storage: claim work at all (false for an API process that runs nothing). @defaultValue true */
  poll?: boolean;
  /** Name of this engine in leases. @defaultValue `<host>/<pid>/<random>` */
  owner?: string;
  /**
   * Batch commits of many instances into one storage write; an object tunes it (`writers`: batches
   * written at once, default the storage's `groupCommitWriters`; `maxBatch`: largest batch, 256).
   * @defaultValue the storage's `prefersGroupCommit`
   */
  groupCommit?: boolean | CommitBatcherOptions;
  /**
   * How long `close()` waits for running attempts before aborting them (their results are then not
   * recorded; they run again on the next start). @defaultValue 10000
   */
  shutdownTimeoutMs?: number;
  /** Tracing and profiling hooks (see `@workflow-mastery/observability`). */
  instrumentation?: EngineInstrumentation;
}

/** Options of {@link WorkflowEngine.start}. */
export interface StartOptions {
  /** A second start with the same key returns the first instance. */
  idempotencyKey?: string;
  /** Who started it (and from which address); kept in the history. */
  startedBy?: Actor;
  /** Version to start when starting by name. @defaultValue the latest registered */
  version?: string;
  /** Use this id instead of a generated one. */
  instanceId?: string;
  /** @internal Set when a step starts this instance as its child workflow. */
  parent?: InstanceRecord['parent'];
  /** @internal The parent instance as the starting step read it (correlation id, trace context). */
  parentRecord?: InstanceRecord;
  /** Ties logs and spans of the run to the caller's request. @defaultValue the parent's, else the instance id */
  correlationId?: string;
}

/** Filters of {@link WorkflowEngine.listTasks}. */
export interface TaskQuery {
  assignedTo?: string;
  /** @defaultValue OPEN and CLAIMED */
  state?: TaskState | TaskState[];
  instanceId?: string;
  definitionName?: string;
  /** @defaultValue 100 */
  limit?: number;
}

/** A human task with the instance and step it belongs to. */
export interface WorkflowTask extends TaskRecord {
  instanceId: string;
  stepId: string;
  definitionName: string;
  definitionVersion: string;
  instanceState: InstanceState;
}

/** Options of {@link WorkflowEngine.waitFor}. */
export interface WaitForOptions {
  /** @defaultValue 30000 */
  timeoutMs?: number;
  /** `settled`: terminal or WAITING; `terminal`: COMPLETED, FAILED or CANCELLED. @defaultValue `settled` */
  until?: 'settled' | 'terminal';
}

const MAX_CAS_RETRIES = 20;
/** Records kept for the work they scheduled (oldest dropped first; dropped ones are read again). */
const HANDOFF_LIMIT = 10_000;
/** How fresh a handed-over record must be to be used without a read. */
const HANDOFF_MAX_AGE_MS = 50;

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

  private readonly definitions = new Map<string, Map<string, WorkflowDefinition>>();
  /** Instances whose definition version was not registered when their work came up. */
  private readonly parked = new Map<string, Set<string>>();
  private readonly envs = new WeakMap<WorkflowDefinition, DecideEnv>();
  private readonly emitter: WorkflowEventEmitter;
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly inFlight = new Map<string, Map<string, AttemptControl>>();
  private readonly watchers = new Map<string, Set<(inst: InstanceRecord) => void>>();
  private readonly expressionOptions?: ExpressionOptions;
  private readonly generateId: () => string;
  private closed = false;
  private readonly shutdownTimeoutMs: number;
  /** This engine's name in leases. */
  readonly owner: string;
  /** True when the storage is shared by several engines (it leases work). */
  readonly shared: boolean;
  private readonly leaseMs: number;
  private readonly batcher?: CommitBatcher;
  private readonly leased = new Map<string, ClaimedWork>();
  private readonly intervals: NodeJS.Timeout[] = [];
  private polling = false;
  /** Failure notifications being delivered: `idle()` and `close()` wait for them. */
  private readonly notifying = new Set<Promise<void>>();
  private readonly pollOptions: { poll: boolean; intervalMs: number };
  private readonly instrumentation?: EngineInstrumentation;
  /** Records just committed with work to run, handed to that work (see executeWork). */
  private readonly handoff = new Map<string, { inst: InstanceRecord; at: number }>();

  constructor(options: WorkflowEngineOptions = {}) {
    this.storage = options.storage ?? new MemoryStorage();
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? consoleLogger;
    this.actions = new ActionRegistry(options.actionFactory);
    this.expressionOptions = options.expressions;
    this.generateId = options.generateId ?? randomUUID;
    this.shutdownTimeoutMs = options.shutdownTimeoutMs ?? 10_000;
    this.notifier = options.notifier ?? new Notifier([new LogChannel(this.logger)]);
    this.owner = options.owner ?? `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;
    this.runner = options.runner ?? new InProcessRunner();
    // Only a runner that runs its work here claims work from a shared storage and leases it.
    this.shared = typeof this.storage.claimWork === 'function' && this.runner.delivery === 'local';
    if (options.instrumentation) this.instrumentation = options.instrumentation;
    this.leaseMs = options.leaseMs ?? 30_000;
    const storage = this.storage;
    const groupCommit = options.groupCommit ?? storage.prefersGroupCommit === true;
    if (groupCommit !== false && storage.commitMany) {
      this.batcher = new CommitBatcher(storage as StorageAdapter & Required<Pick<StorageAdapter, 'commitMany'>>, groupCommit === true ? {} : groupCommit);
    }
    this.pollOptions = { poll: options.poll ?? true, intervalMs: options.pollIntervalMs ?? 500 };
    this.emitter = new WorkflowEventEmitter((error, event) =>
      this.logger.error({ err: error, event: event.type, workflowId: event.instanceId, stepId: event.stepId, attempt: event.attempt }, 'event listener threw'),
    );
    for (const [name, impl] of Object.entries(options.actions ?? {})) this.registerAction(name, impl);
    for (const def of options.definitions ?? []) this.registerDefinition(def);
    this.ready = this.init(options.recover ?? true);
    // Surface init failures on first use, not as an unhandled rejection.
    this.ready.catch(() => undefined);
  }

  // -------------------------------------------------------------------------------------------
  // Registration

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

  /** Validate and register a definition under its name and version; returns the compiled form. */
  registerDefinition(definition: WorkflowDefinitionInput | WorkflowDefinition): WorkflowDefinition {
    const def = isCompiled(definition)
      ? definition
      : parseDefinition(definition, {
          ...(this.expressionOptions ? { expressionOptions: this.expressionOptions } : {}),
          resolveActionName: (ref) => this.actions.nameOf(ref),
        });
    compileInputSchema(def);
    let versions = this.definitions.get(def.name);
    if (!versions) this.definitions.set(def.name, (versions = new Map()));
    versions.set(def.version, def);
    const parked = this.parked.get(`${def.name}@${def.version}`);
    if (parked) {
      this.parked.delete(`${def.name}@${def.version}`);
      for (const id of parked) void this.recoverInstance(id);
    }
    return def;
  }

  /** A registered definition; the latest version unless one is given. */
  getDefinition(name: string, version?: string): WorkflowDefinition {
    const versions = this.definitions.get(name);
    if (!versions || versions.size === 0) {
      throw new NotFoundError('definition', name, `register it with engine.registerDefinition(); registered: ${[...this.definitions.keys()].join(', ') || 'none'}`);
    }
    if (version !== undefined) {
      const def = versions.get(version);
      if (!def) throw new NotFoundError('definition', `${name}@${version}`, `registered versions: ${[...versions.keys()].join(', ')}`);
      return def;
    }
    return [...versions.values()].sort((a, b) => compareVersions(b.version, a.version))[0]!;
  }

  /** Every registered definition, every version. */
  listDefinitions(): WorkflowDefinition[] {
    return [...this.definitions.values()].flatMap((v) => [...v.values()]);
  }

  // -------------------------------------------------------------------------------------------
  // Public operations

  /**
   * Start an instance. Checks actions and input before storing anything; with an idempotency key
   * already used, returns that instance.
   */
  async start(definition: string | WorkflowDefinitionInput | WorkflowDefinition, data: JsonObject = {}, options: StartOptions = {}): Promise<InstanceRecord> {
    await this.ready;
    this.assertOpen();
    const def = typeof definition === 'string' ? this.getDefinition(definition, options.version) : this.resolveInlineDefinition(definition);
    if (options.idempotencyKey !== undefined) {
      const existing = await this.storage.findByIdempotencyKey(options.idempotencyKey);
      if (existing) return existing;
    }
    // When work runs elsewhere the actions live in the workers: an API process may have none.
    if (this.runner.delivery === 'local') this.assertActionsRegistered(def);
    if (typeof data !== 'object' || data === null || Array.isArray(data)) {
      throw new WorkflowError(ErrorCode.InputInvalid, `Start data for "${def.name}" must be a JSON object, got ${Array.isArray(data) ? 'an array' : typeof data}.`);
    }
    validateInput(def, data);
    const starter = audit(options.startedBy);
    const id = options.instanceId ?? this.generateId();
    const parentRecord = options.parentRecord;
    const correlationId = options.correlationId ?? parentRecord?.correlationId ?? id;
    const traceContext = this.traced(
      () =>
        this.instrumentation?.onStart?.({
          instanceId: id,
          definitionName: def.name,
          definitionVersion: def.version,
          correlationId,
          ...(parentRecord?.traceContext ? { parentTraceContext: parentRecord.traceContext } : {}),
        }),
      'onStart',
    );
    const decision = startInstance(this.env(def), {
      id,
      correlationId,
      ...(traceContext ? { traceContext } : {}),
      data: toJsonObject(data),
      ...(starter.by !== undefined ? { startedBy: starter.by } : {}),
      ...(starter.from !== undefined ? { startedFrom: starter.from } : {}),
      ...(options.idempotencyKey !== undefined ? { idempotencyKey: options.idempotencyKey } : {}),
      ...(options.parent !== undefined ? { parent: options.parent } : {}),
    });
    const lease = this.lease();
    const { created, instance } = await (this.batcher
      ? this.batcher.create({
          instance: decision.instance,
          events: decision.events,
          ...(options.idempotencyKey !== undefined ? { idempotencyKey: options.idempotencyKey } : {}),
          ...(lease ? { lease } : {}),
        })
      : this.storage.createInstance(decision.instance, decision.events, options.idempotencyKey, lease));
    if (!created) return instance;
    this.afterCommit(instance, decision.events, decision.effects);
    return instance;
  }

  /** Wait until the instance is terminal or WAITING (or terminal only, with `until: 'terminal'`). */
  async waitFor(id: string, options: WaitForOptions = {}): Promise<InstanceRecord> {
    const timeoutMs = options.timeoutMs ?? 30_000;
    const done = (inst: InstanceRecord) =>
      isTerminal(inst.state) || (options.until !== 'terminal' && (inst.state === 'WAITING' || inst.state === 'PAUSED'));
    const current = await this.getInstance(id);
    if (done(current)) return current;
    return new Promise<InstanceRecord>((resolve, reject) => {
      let set = this.watchers.get(id);
      if (!set) this.watchers.set(id, (set = new Set()));
      const finish = (fn: () => void) => {
        clearTimeout(timer);
        clearInterval(poll);
        set!.delete(watcher);
        if (set!.size === 0) this.watchers.delete(id);
        fn();
      };
      const watcher = (inst: InstanceRecord) => {
        if (done(inst)) finish(() => resolve(inst));
      };
      set.add(watcher);
      // Another process may move the instance: look at storage now and then too.
      const poll = setInterval(() => {
        this.storage.getInstance(id).then((inst) => inst && watcher(inst), () => undefined);
      }, 250);
      const timer = setTimeout(
        () =>
          finish(() =>
            reject(new WorkflowError(ErrorCode.Timeout, `Instance ${id} did not settle within ${timeoutMs} ms (it is ${current.state}).`, { instanceId: id })),
          ),
        timeoutMs,
      );
    });
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
    return this.command(id, { type: 'signal', name, payload: toJsonObject(payload ?? {}), ...audit(by) });
  }

  /** Human tasks matching `query` (open and claimed ones unless `state` says otherwise). */
  async listTasks(query: TaskQuery = {}): Promise<WorkflowTask[]> {
    await this.ready;
    const wanted = new Set<TaskState>(query.state === undefined ? ['OPEN', 'CLAIMED'] : Array.isArray(query.state) ? query.state : [query.state]);
    const onlyLive = [...wanted].every((s) => s === 'OPEN' || s === 'CLAIMED');
    const tasks: WorkflowTask[] = [];
    const limit = query.limit ?? 100;
    let cursor: string | undefined;
    do {
      const page = await this.storage.listInstances({
        ...(onlyLive ? { state: ['RUNNING', 'WAITING', 'PAUSED'] as InstanceState[] } : {}),
        ...(query.definitionName ? { definitionName: query.definitionName } : {}),
        order: 'asc',
        limit: 500,
        ...(cursor ? { cursor } : {}),
      });
      for (const inst of page.items) {
        if (query.instanceId && inst.id !== query.instanceId) continue;
        for (const [stepId, rec] of Object.entries(inst.steps)) {
          const task = rec.task;
          if (!task || !wanted.has(task.state)) continue;
          if (query.assignedTo !== undefined && task.assignedTo !== query.assignedTo) continue;
          tasks.push(toWorkflowTask(inst, stepId, task));
        }
      }
      cursor = page.nextCursor;
    } while (cursor && tasks.length < limit);
    return tasks.sort((a, b) => a.openedAt - b.openedAt).slice(0, limit);
  }

  /** @throws NotFoundError for an unknown task id. */
  async getTask(taskId: string): Promise<WorkflowTask> {
    await this.ready;
    const parts = parseTaskId(taskId);
    const inst = parts ? await this.storage.getInstance(parts.instanceId) : undefined;
    const task = inst?.steps[parts!.stepId]?.task;
    if (!inst || !task || task.id !== taskId) throw new NotFoundError('task', taskId);
    return toWorkflowTask(inst, parts!.stepId, task);
  }

  /** Claim an open task for `by`; others can then no longer complete it. */
  async claimTask(taskId: string, by: Actor): Promise<WorkflowTask> {
    const task = await this.getTask(taskId);
    const who = audit(by);
    requireUser(who.by, 'claimTask');
    await this.command(task.instanceId, { type: 'task.claim', taskId, ...who, by: who.by! });
    return this.getTask(taskId);
  }

  /** Complete a task: `data` is merged into the instance data and the instance goes on. */
  async completeTask(taskId: string, data: JsonObject = {}, by?: Actor): Promise<InstanceRecord> {
    const task = await this.getTask(taskId);
    const who = audit(by);
    requireUser(who.by, 'completeTask');
    if (typeof data !== 'object' || data === null || Array.isArray(data)) {
      throw new WorkflowError(ErrorCode.InputInvalid, `completeTask(taskId, data, by): data must be a JSON object, e.g. { review: { approved: true } }.`);
    }
    return this.command(task.instanceId, { type: 'task.complete', taskId, data: toJsonObject(data), ...who, by: who.by! });
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

  /** Listen to an event (`*` for all); returns an unsubscribe function. */
  on(name: WorkflowEventName | '*', listener: WorkflowEventListener): () => void {
    return this.emitter.on(name, listener);
  }

  off(name: WorkflowEventName | '*', listener: WorkflowEventListener): void {
    this.emitter.off(name, listener);
  }

  /** Resolves when no work is running or queued in this process (timers aside). */
  async idle(): Promise<void> {
    await this.ready;
    await this.runner.idle();
    await Promise.all([...this.queues.values()]);
    await Promise.all([...this.notifying]);
  }

  /**
   * Stop: no new work starts; running attempts get `shutdownTimeoutMs` (or `options.timeoutMs`) to
   * finish, then are aborted (unrecorded, they run again: on the next start, or at once on another
   * worker when the runner hands them back); then the runner and storage close.
   */
  async close(options: { timeoutMs?: number } = {}): Promise<void> {
    if (this.closed) return;
    const shutdownTimeoutMs = options.timeoutMs ?? this.shutdownTimeoutMs;
    this.closed = true;
    for (const handle of this.intervals) clearInterval(handle);
    await this.ready.catch(() => undefined);
    const drained = this.runner.close();
    let timer: NodeJS.Timeout | undefined;
    const late = await Promise.race([
      drained.then(() => false),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), shutdownTimeoutMs))),
    ]);
    clearTimeout(timer);
    if (late) {
      const aborted = [...this.inFlight.values()].flatMap((m) => [...m.values()]);
      this.logger.warn({ attempts: aborted.length, shutdownTimeoutMs }, 'aborting attempts still running at shutdown; they run again on the next start');
      for (const control of aborted) control.abort(SHUTDOWN);
      await drained;
    }
    await Promise.all([...this.queues.values()].map((p) => p.catch(() => undefined)));
    await Promise.all([...this.notifying]);
    await this.storage.close();
  }

  // -------------------------------------------------------------------------------------------
  // Runner host

  /** @internal Run one attempt of a step or compensation and record its outcome. */
  async executeWork(item: WorkItem): Promise<WorkResult> {
    // The record as this engine committed it when it scheduled this work, if that was a moment ago
    // (HANDOFF_MAX_AGE_MS): no read needed. Another process may have moved the instance in that
    // moment, exactly as it may just after a read: when the record says "not runnable" the
    // instance is read again before the work is dropped; when it says "runnable" wrongly, recording
    // fails compare-and-swap, is decided again on a fresh read, and the stale result is ignored.
    const entry = this.handoff.get(item.instanceId);
    if (entry) this.handoff.delete(item.instanceId);
    const handed = entry && performance.now() - entry.at <= HANDOFF_MAX_AGE_MS ? entry.inst : undefined;
    const inst = handed && isRunnable(handed, item) ? handed : await this.storage.getInstance(item.instanceId);
    if (!inst) {
      this.logger.warn({ workflowId: item.instanceId, stepId: item.stepId, attempt: item.attempt }, 'work for an unknown instance dropped');
      return 'done';
    }
    const rec = inst.steps[item.stepId];
    if (!isRunnable(inst, item)) return 'done';
    const def = this.findDefinition(inst);
    if (!def) return 'done';
    const step = def.steps[item.stepId]!;
    const actionName = item.kind === 'step' ? step.action : rec!.compensation!.action;
    const control = new AttemptControl();
    const flight = this.track(inst.id, item.stepId, control);
    const leaseKey = `${inst.id}\u0000${item.stepId}\u0000${item.kind}`;
    if (this.shared) this.leased.set(leaseKey, { kind: item.kind, instanceId: inst.id, stepId: item.stepId, attempt: item.attempt });
    const ctx = new AttemptContext(
      inst.id,
      def.name,
      def.version,
      item.stepId,
      deepFreeze(inst.data),
      deepFreeze(step.config),
      item.attempt,
      `${inst.id}/${item.stepId}/${rec!.run}${item.kind === 'compensation' ? '/compensate' : ''}`,
      item.kind === 'compensation',
      control,
      this.logger,
      inst.correlationId ?? inst.id,
    );
    if (this.emitter.has('step.started')) {
      this.emitter.emit({ instanceId: inst.id, seq: inst.seq, type: 'step.started', at: this.clock.now(), stepId: item.stepId, attempt: item.attempt, definitionName: def.name, definitionVersion: def.version, data: { kind: item.kind, action: actionName, correlationId: ctx.correlationId } });
    }
    let input: DecisionInput;
    try {
      // On a human task step, `timeout` is the task's due time, not a bound on the preparing action.
      const timeoutMs = item.kind === 'step' && step.assignedTo === undefined ? step.timeoutMs : undefined;
      const around = this.instrumentation?.aroundAttempt;
      const run = () => this.invoke(actionName, ctx, control, timeoutMs);
      const outcome = around
        ? await around.call<EngineInstrumentation, [AttemptInfo, typeof run], Promise<ActionResult>>(this.instrumentation!, {
            instanceId: inst.id,
            definitionName: def.name,
            definitionVersion: def.version,
            stepId: item.stepId,
            attempt: item.attempt,
            kind: item.kind,
            action: actionName,
            correlationId: ctx.correlationId,
            ...(inst.traceContext ? { traceContext: inst.traceContext } : {}),
          }, run)
        : await run();
      input = outcome.kind === 'child' && item.kind === 'step' ? await this.startChild(inst, item, rec!.run, outcome) : this.toDecisionInput(item, outcome);
    } finally {
      flight();
      if (this.shared) this.leased.delete(leaseKey);
    }
    if (control.reason === SHUTDOWN) return 'aborted';
    if (control.reason === CANCELLED) return 'done';
    // With no sibling attempt of this instance running here, the record read before the attempt
    // is a good first guess (compare-and-swap re-reads if it moved); it saves a read per step.
    const hint = this.inFlight.has(inst.id) ? undefined : inst;
    if (!(await this.record(inst.id, input, { stepId: item.stepId, attempt: item.attempt, correlationId: ctx.correlationId }, hint))) return 'unrecorded';
    if (input.type === 'step.child') await this.deliverIfFinished(input.childId);
    return 'done';
  }

  /** Start (once per step run) the child workflow an action asked for; its failure to start fails the step. */
  private async startChild(parent: InstanceRecord, item: WorkItem, run: number, result: ActionResult): Promise<DecisionInput> {
    const opts = result.child!;
    try {
      const child = await this.start(opts.workflow, opts.data ?? {}, {
        idempotencyKey: `child/${parent.id}/${item.stepId}/${run}`,
        startedBy: `workflow:${parent.id}`,
        parent: { instanceId: parent.id, stepId: item.stepId, run },
        parentRecord: parent,
        ...(opts.version !== undefined ? { version: opts.version } : {}),
      });
      return { type: 'step.child', stepId: item.stepId, attempt: item.attempt, childId: child.id, workflow: opts.workflow };
    } catch (error) {
      const err = error as WorkflowError;
      return { type: 'step.failed', stepId: item.stepId, attempt: item.attempt, error: { message: `Could not start child workflow "${opts.workflow}": ${err.message}`, code: err.code ?? 'WF_CHILD_FAILED', retryable: false } };
    }
  }

  /** Tell the parent of a finished child (idempotent: a parent not waiting ignores it). */
  private async deliverIfFinished(childId: string): Promise<void> {
    const child = await this.storage.getInstance(childId);
    if (!child?.parent || !isTerminal(child.state)) return;
    await this.record(child.parent.instanceId, {
      type: 'child.finished',
      stepId: child.parent.stepId,
      childId: child.id,
      state: child.state,
      data: child.data,
      ...(child.error ? { error: child.error } : {}),
    }, { childId });
  }

  /** @internal A durable timer came due. */
  async fireTimer(instanceId: string, timerId: string, fireAt?: number): Promise<WorkResult> {
    return (await this.record(instanceId, { type: 'timer.fired', timerId, ...(fireAt !== undefined ? { fireAt } : {}) }, { timerId })) ? 'done' : 'unrecorded';
  }

  /**
   * Commit the outcome of work, retrying with backoff while storage fails (a database restarting);
   * if it never succeeds the work stays SCHEDULED (or the timer armed) in storage and runs again
   * on the next start.
   */
  private async record(id: string, input: DecisionInput, about: object, hint?: InstanceRecord): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.apply(id, input, false, attempt === 1 ? hint : undefined);
        return true;
      } catch (error) {
        const storageFault = !(error instanceof WorkflowError);
        if (!storageFault || attempt >= RECORD_RETRIES || this.closed) {
          this.logger.error({ err: error, workflowId: id, ...about }, 'recording an outcome failed; it is retried on the next start');
          return false;
        }
        const delay = 50 * 2 ** (attempt - 1);
        this.logger.warn({ err: error, workflowId: id, ...about, retryInMs: delay }, 'storage failed while recording an outcome; retrying');
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  // -------------------------------------------------------------------------------------------
  // Internals

  private async init(recover: boolean): Promise<void> {
    await this.storage.init?.();
    await this.runner.start({
      executeWork: (item) => this.executeWork(item),
      fireTimer: (id, timer, fireAt) => this.fireTimer(id, timer, fireAt),
      recover: () => this.recover(),
      recoverInstance: (id) => this.recoverInstance(id),
      logger: this.logger,
      clock: this.clock,
    });
    if (this.shared) {
      // Shared storage: no engine recovers everything; each claims what is free or whose lease ran out.
      if (this.pollOptions.poll) {
        this.every(this.pollOptions.intervalMs, () => this.poll());
        void this.poll();
      }
      this.every(Math.max(50, Math.floor(this.leaseMs / 3)), () => this.heartbeat());
    } else if (recover && this.runner.delivery === 'local') {
      await this.recover();
    }
  }

  /** The lease for work this engine takes, on a shared storage. */
  private lease(): Lease | undefined {
    return this.shared ? { owner: this.owner, until: this.clock.now() + this.leaseMs } : undefined;
  }

  private every(ms: number, fn: () => Promise<void>): void {
    const handle = setInterval(() => void fn(), ms);
    handle.unref();
    this.intervals.push(handle);
  }

  /** Claim runnable work and due timers that no live engine holds. */
  private async poll(): Promise<void> {
    if (this.closed || this.polling) return;
    this.polling = true;
    try {
      const now = this.clock.now();
      const items = await this.storage.claimWork!({ owner: this.owner, until: now + this.leaseMs }, now, POLL_BATCH);
      for (const item of items) {
        if (item.kind === 'timer') void this.fireTimer(item.instanceId, item.timerId);
        else this.runner.dispatch({ instanceId: item.instanceId, stepId: item.stepId, attempt: item.attempt, kind: item.kind });
      }
    } catch (error) {
      this.logger.warn({ err: error }, 'claiming work failed; trying again');
    } finally {
      this.polling = false;
    }
  }

  /** Keep the leases of running attempts alive. */
  private async heartbeat(): Promise<void> {
    if (this.leased.size === 0 || !this.storage.renewLeases) return;
    try {
      await this.storage.renewLeases({ owner: this.owner, until: this.clock.now() + this.leaseMs }, [...this.leased.values()]);
    } catch (error) {
      this.logger.warn({ err: error, attempts: this.leased.size }, 'renewing leases failed');
    }
  }

  /**
   * Dispatch the runnable work and arm the timers of one unfinished instance again (an instance
   * parked until its definition was registered; a runner's redelivered job).
   */
  private async recoverInstance(id: string): Promise<void> {
    const inst = await this.storage.getInstance(id).catch(() => undefined);
    if (inst && !isTerminal(inst.state)) this.perform(inst, recoveryEffects(inst));
  }

  /** Re-dispatch runnable work and re-arm timers of every unfinished instance. */
  private async recover(): Promise<number> {
    let cursor: string | undefined;
    let count = 0;
    do {
      const page = await this.storage.listInstances({ state: ['PENDING', 'RUNNING', 'WAITING', 'PAUSED', 'COMPENSATING'], order: 'asc', limit: 500, ...(cursor ? { cursor } : {}) });
      for (const inst of page.items) {
        this.perform(inst, recoveryEffects(inst));
        for (const rec of Object.values(inst.steps)) if (rec.status === 'WAITING' && rec.wait?.child) void this.deliverIfFinished(rec.wait.child);
        count++;
      }
      cursor = page.nextCursor;
    } while (cursor);
    if (count > 0) this.logger.info({ instances: count }, 'recovered unfinished instances');
    return count;
  }

  private async command(id: string, input: DecisionInput): Promise<InstanceRecord> {
    await this.ready;
    this.assertOpen();
    const result = await this.apply(id, input, true);
    return result ?? this.getInstance(id);
  }

  /**
   * Decide and commit with compare-and-swap, serialized per instance in this process and retried
   * from a fresh read on a conflict with another process.
   */
  private apply(id: string, input: DecisionInput, strict = false, hint?: InstanceRecord): Promise<InstanceRecord | undefined> {
    const prev = this.queues.get(id) ?? Promise.resolve();
    const next = prev.then(
      () => this.applyNow(id, input, strict, hint),
      () => this.applyNow(id, input, strict, hint),
    );
    this.queues.set(id, next);
    const cleanup = () => {
      if (this.queues.get(id) === next) this.queues.delete(id);
    };
    next.then(cleanup, cleanup);
    return next;
  }

  /** `hint`: a recent read of the instance, tried first (a stale one fails compare-and-swap and is re-read). */
  private async applyNow(id: string, input: DecisionInput, strict: boolean, hint?: InstanceRecord): Promise<InstanceRecord | undefined> {
    for (let tries = 0; ; tries++) {
      const inst = tries === 0 && hint ? hint : await this.storage.getInstance(id);
      if (!inst) {
        if (strict) throw new NotFoundError('instance', id);
        this.logger.warn({ workflowId: id, input: input.type }, 'input for an unknown instance dropped');
        return undefined;
      }
      const def = this.findDefinition(inst);
      if (!def) {
        if (strict) throw new NotFoundError('definition', `${inst.definitionName}@${inst.definitionVersion}`, `instance ${id} runs on it; register that version`);
        return undefined;
      }
      const decision: Decision = decide(this.env(def), inst, input);
      if (decision.ignored) return strict ? inst : undefined;
      try {
        const commit: Commit = { instance: decision.instance, expectedVersion: inst.version, events: decision.events };
        const lease = this.lease();
        if (lease) commit.lease = lease;
        await (this.batcher ? this.batcher.commit(commit) : this.storage.commit(commit));
      } catch (error) {
        if (error instanceof ConcurrencyError && tries < MAX_CAS_RETRIES) continue;
        throw error;
      }
      this.afterCommit(decision.instance, decision.events, decision.effects);
      return decision.instance;
    }
  }

  private afterCommit(inst: InstanceRecord, events: HistoryEvent[], effects: Effect[]): void {
    this.handoff.delete(inst.id);
    if (effects.some((e) => e.type === 'run')) {
      this.handoff.set(inst.id, { inst, at: performance.now() });
      if (this.handoff.size > HANDOFF_LIMIT) this.handoff.delete(this.handoff.keys().next().value!);
    }
    for (const event of events) {
      if (this.emitter.has(event.type)) {
        const e: WorkflowEvent = {
          instanceId: event.instanceId,
          seq: event.seq,
          type: event.type,
          at: event.at,
          definitionName: inst.definitionName,
          definitionVersion: inst.definitionVersion,
        };
        if (event.stepId !== undefined) e.stepId = event.stepId;
        if (event.attempt !== undefined) e.attempt = event.attempt;
        if (event.data !== undefined) e.data = event.data;
        this.emitter.emit(e);
      }
      if (event.type === 'workflow.failed' && Array.isArray(event.data?.notify) && event.data.notify.length > 0) {
        const sending = this.sendNotifications(inst, event);
        this.notifying.add(sending);
        void sending.finally(() => this.notifying.delete(sending));
      }
    }
    this.perform(inst, effects);
    if (inst.parent && isTerminal(inst.state)) void this.deliverIfFinished(inst.id);
    const watchers = this.watchers.get(inst.id);
    if (watchers) for (const w of [...watchers]) w(inst);
  }

  /** Deliver a failure to its channels; never throws, logs what could not be delivered. */
  private async sendNotifications(inst: InstanceRecord, event: HistoryEvent): Promise<void> {
    const channels = (event.data!.notify as string[]).filter((c) => typeof c === 'string');
    const draft = fromEvent({ ...event, definitionName: inst.definitionName, definitionVersion: inst.definitionVersion }, inst);
    const results = await this.notifier.notify(channels, draft);
    for (const r of results) {
      if (!r.ok) this.logger.error({ workflowId: inst.id, correlationId: inst.correlationId ?? inst.id, channel: r.channel, error: r.error }, 'failure notification not delivered');
    }
  }

  private perform(inst: InstanceRecord, effects: Effect[]): void {
    const instanceId = inst.id;
    for (const effect of effects) {
      switch (effect.type) {
        case 'run':
          this.runner.dispatch({ instanceId, stepId: effect.stepId, attempt: effect.attempt, kind: effect.kind, definitionName: inst.definitionName });
          break;
        case 'arm':
          this.runner.armTimer(instanceId, effect.timer, inst.definitionName);
          break;
        case 'disarm':
          this.runner.disarmTimer(instanceId, effect.timerId);
          break;
        case 'cancelChild':
          void this.cancel(effect.childId, effect.reason, 'workflow:parent').catch((error: unknown) => {
            if (!(error instanceof IllegalTransitionError)) this.logger.error({ err: error, workflowId: effect.childId }, 'cancelling a child workflow failed');
          });
          break;
        case 'abort': {
          const flights = this.inFlight.get(instanceId);
          for (const stepId of effect.stepIds) flights?.get(stepId)?.abort(CANCELLED);
          break;
        }
      }
    }
  }

  private track(instanceId: string, stepId: string, controller: AttemptControl): () => void {
    let flights = this.inFlight.get(instanceId);
    if (!flights) this.inFlight.set(instanceId, (flights = new Map()));
    flights.set(stepId, controller);
    return () => {
      if (flights.get(stepId) === controller) flights.delete(stepId);
      if (flights.size === 0) this.inFlight.delete(instanceId);
    };
  }

  /** Run an action, bounded by its timeout and abortable; thrown errors become retryable failures. */
  private invoke(actionName: string, ctx: ActionContext, control: AttemptControl, timeoutMs: number | undefined): Promise<ActionResult> {
    let handler: ActionHandler;
    try {
      handler = this.actions.resolve(actionName).handler;
    } catch (error) {
      return Promise.resolve(ActionResult.failure((error as Error).message, { retryable: false, code: ErrorCode.ActionNotFound }));
    }
    return new Promise<ActionResult>((resolve) => {
      let timer: unknown;
      let settled = false;
      const finish = (result: ActionResult) => {
        if (settled) return;
        settled = true;
        if (timer !== undefined) this.clock.clearTimeout(timer);
        resolve(result);
      };
      const fail = (error: unknown) => {
        const err = error instanceof Error ? error : new Error(String(error));
        finish(ActionResult.failure(err.message, { code: err.name }));
      };
      control.onAbort((reason) =>
        finish(
          reason === TIMED_OUT
            ? ActionResult.failure(`Step "${ctx.stepId}" timed out after ${timeoutMs} ms (attempt ${ctx.attempt})`, { code: ErrorCode.Timeout })
            : ActionResult.failure('Attempt aborted', { code: 'ABORTED' }),
        ),
      );
      if (timeoutMs !== undefined) timer = this.clock.setTimeout(() => control.abort(TIMED_OUT), timeoutMs);
      let out: unknown;
      try {
        out = handler.execute(ctx);
      } catch (error) {
        fail(error);
        return;
      }
      if (out && typeof (out as PromiseLike<unknown>).then === 'function') {
        (out as PromiseLike<unknown>).then((v) => finish(normalizeReturn(v)), fail);
      } else {
        finish(normalizeReturn(out));
      }
    });
  }

  private toDecisionInput(item: WorkItem, result: ActionResult): DecisionInput {
    const base = { stepId: item.stepId, attempt: item.attempt };
    if (result.kind === 'failure') {
      const e = result.error!;
      const error: ErrorInfo = {
        message: e.message,
        retryable: e.retryable !== false,
        ...(e.code !== undefined ? { code: e.code } : {}),
        ...(e.details !== undefined ? { details: e.details } : {}),
      };
      return item.kind === 'step' ? { type: 'step.failed', ...base, error } : { type: 'compensation.failed', ...base, error };
    }
    if (item.kind === 'compensation') return { type: 'compensation.succeeded', ...base };
    if (result.kind === 'wait') {
      const w = result.wait!;
      return { type: 'step.wait', ...base, signal: w.signal, ...(w.timeout !== undefined ? { timeoutMs: parseDuration(w.timeout) } : {}) };
    }
    return { type: 'step.succeeded', ...base, ...(result.data ? { output: toJsonObject(result.data) } : {}) };
  }

  private env(def: WorkflowDefinition): DecideEnv {
    let env = this.envs.get(def);
    if (!env) {
      const actionRetry = (action: string): RetryPolicy | undefined => {
        const retry = this.actions.optionsOf(action).retry;
        return retry ? policyFromOptions(retry) : undefined;
      };
      env = {
        definition: def,
        now: 0,
        retryOf: (stepId) => def.steps[stepId]!.retry ?? actionRetry(def.steps[stepId]!.action),
        compensationOf: (stepId) => {
          const step = def.steps[stepId]!;
          if (step.compensation) return step.compensation;
          const c = this.actions.optionsOf(step.action).compensation;
          return c === undefined ? undefined : typeof c === 'string' ? c : this.actions.nameOf(c);
        },
        compensationRetryOf: (stepId) => {
          const comp = env!.compensationOf(stepId);
          return (comp ? actionRetry(comp) : undefined) ?? def.steps[stepId]!.retry ?? DEFAULT_COMPENSATION_RETRY;
        },
      };
      this.envs.set(def, env);
    }
    // `now` is read once per decision.
    return { ...env, now: this.clock.now() };
  }

  private findDefinition(inst: InstanceRecord): WorkflowDefinition | undefined {
    const def = this.definitions.get(inst.definitionName)?.get(inst.definitionVersion);
    if (!def) {
      // Parked until that version is registered: registerDefinition picks the instance up again.
      const key = `${inst.definitionName}@${inst.definitionVersion}`;
      let ids = this.parked.get(key);
      if (!ids) this.parked.set(key, (ids = new Set()));
      ids.add(inst.id);
      this.logger.error(
        { workflowId: inst.id, correlationId: inst.correlationId ?? inst.id, definition: inst.definitionName, version: inst.definitionVersion },
        `definition ${inst.definitionName}@${inst.definitionVersion} is not registered; register it so instance ${inst.id} can go on`,
      );
    }
    return def;
  }

  private resolveInlineDefinition(definition: WorkflowDefinitionInput | WorkflowDefinition): WorkflowDefinition {
    const name = (definition as { name?: unknown }).name;
    const version = String((definition as { version?: unknown }).version ?? '1');
    const known = typeof name === 'string' ? this.definitions.get(name)?.get(version) : undefined;
    if (known && (isCompiled(definition) ? known === definition : true)) {
      if (!isCompiled(definition) && JSON.stringify(known.source) !== JSON.stringify(stripRefs(definition, this.actions))) {
        throw new WorkflowError(
          ErrorCode.DefinitionInvalid,
          `A different definition "${name}" version ${version} is already registered; give this one a new version.`,
          { definition: name, version },
        );
      }
      return known;
    }
    return this.registerDefinition(definition);
  }

  private assertActionsRegistered(def: WorkflowDefinition): void {
    const issues: Array<{ path: string; message: string }> = [];
    for (const step of Object.values(def.steps)) {
      if (!this.actions.has(step.action)) issues.push({ path: `steps.${step.id}.action`, message: missingAction(step.action) });
      if (step.compensation && !this.actions.has(step.compensation)) {
        issues.push({ path: `steps.${step.id}.compensation`, message: missingAction(step.compensation) });
      }
    }
    if (issues.length) throw new DefinitionError(issues, def.name);
  }

  /** Run an instrumentation hook; one that throws is logged, never fails the engine's work. */
  private traced<T>(hook: () => T, name: string): T | undefined {
    try {
      return hook();
    } catch (error) {
      this.logger.warn({ err: error, hook: name }, 'instrumentation hook threw; ignored');
      return undefined;
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new WorkflowError(ErrorCode.EngineClosed, 'The engine is closed; create a new WorkflowEngine.');
  }
}

/** Who does something: a user id, or one with the address the request came from. */
export type Actor = string | { id: string; address?: string };

function audit(actor: Actor | undefined): Audit {
  if (actor === undefined) return {};
  if (typeof actor === 'string') return actor ? { by: actor } : {};
  return { ...(actor.id ? { by: actor.id } : {}), ...(actor.address ? { from: actor.address } : {}) };
}

function requireUser(by: string | undefined, op: string): void {
  if (typeof by !== 'string' || by.trim() === '') {
    throw new WorkflowError(ErrorCode.InputInvalid, `${op}(taskId, ..., by): say who does it (a user id), e.g. ${op}(id, { approved: true }, 'alice').`);
  }
}

function toWorkflowTask(inst: InstanceRecord, stepId: string, task: TaskRecord): WorkflowTask {
  return { ...task, instanceId: inst.id, stepId, definitionName: inst.definitionName, definitionVersion: inst.definitionVersion, instanceState: inst.state };
}

/** Items claimed per poll. */
const POLL_BATCH = 64;

const CANCELLED = Symbol('cancelled');
const SHUTDOWN = Symbol('shutdown');
/** Attempts to record an outcome while storage fails: 50 ms doubling, about 3 s in all. */
const RECORD_RETRIES = 7;
const TIMED_OUT = Symbol('timed-out');

function missingAction(name: string): string {
  return `no action registered as "${name}"; register it with engine.registerAction('${name}', ...) or @WorkflowAction('${name}') before starting`;
}

function isCompiled(def: unknown): def is WorkflowDefinition {
  return typeof def === 'object' && def !== null && 'outgoing' in def && 'source' in def;
}

function stripRefs(def: WorkflowDefinitionInput, actions: ActionRegistry): unknown {
  return parseDefinition(def, { resolveActionName: (ref) => actions.nameOf(ref) }).source;
}

function normalizeReturn(value: unknown): ActionResult {
  if (ActionResult.is(value)) return value;
  if (value === undefined || value === null) return ActionResult.success();
  if (typeof value === 'object' && !Array.isArray(value)) return ActionResult.success(value as JsonObject);
  return ActionResult.failure(`Action returned ${Array.isArray(value) ? 'an array' : typeof value}; return ActionResult.success(data), a plain object, or nothing.`, { retryable: false, code: ErrorCode.ActionInvalid });
}

/** Make a value JSON-safe (drops undefined, turns Dates into strings) without paying for it when it already is. */
function toJsonObject(value: object): JsonObject {
  return isPlainJson(value, 0) ? (value as JsonObject) : (JSON.parse(JSON.stringify(value)) as JsonObject);
}

function isPlainJson(value: unknown, depth: number): boolean {
  if (depth > 32) return false;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every((v) => isPlainJson(v, depth + 1));
  if (typeof value === 'object') {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return false;
    for (const v of Object.values(value)) if (!isPlainJson(v, depth + 1)) return false;
    return true;
  }
  return false;
}

/** Compare dotted versions numerically where they are numbers (`2.10` > `2.9`). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.');
  const pb = b.split('.');
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? '0';
    const y = pb[i] ?? '0';
    const nx = Number(x);
    const ny = Number(y);
    const c = Number.isFinite(nx) && Number.isFinite(ny) ? nx - ny : x.localeCompare(y);
    if (c !== 0) return c;
  }
  return 0;
}

/**
 * The test engine: a real {@link WorkflowEngine} on memory storage and a manual clock, with time
 * that jumps from one durable timer to the next, actions that can be mocked and are all recorded,
 * and helpers for people and signals that need no task ids.
 */
import {
  type ActionClass,
  type ActionFactory,
  type ActionImplementation,
  type Actor,
  type Duration,
  ErrorCode,
  type InstanceRecord,
  type JsonObject,
  MemoryStorage,
  type StartOptions,
  type StorageAdapter,
  silentLogger,
  type WorkflowDefinition,
  type WorkflowDefinitionInput,
  WorkflowEngine,
  type WorkflowEngineOptions,
  WorkflowError,
} from '@workflow-mastery/core';
import { type ActionCall, ActionDoubles, type ActionMock } from './action-doubles.js';
import type { TestInstance } from './assertions.js';
import { advanceMs } from './durations.js';
import { TestClock } from './test-clock.js';
import { actionsOf, missingActions } from './used-actions.js';

/** Options of {@link createTestEngine}. */
export interface TestEngineOptions {
  /** The definitions under test (by object, as for the engine). */
  definitions: Array<WorkflowDefinitionInput | WorkflowDefinition>;
  /** Real actions, by name, or `@WorkflowAction`-decorated classes; mocks given later take their place. */
  actions?: Record<string, ActionImplementation> | ActionClass[];
  /** Builds the action classes given in `actions` (e.g. `(cls) => new cls(services)`). @defaultValue `new cls()` */
  actionFactory?: ActionFactory;
  /** @defaultValue a new MemoryStorage */
  storage?: StorageAdapter;
  /** Where the clock starts (epoch ms or a Date). @defaultValue 2026-01-01T00:00:00Z */
  start?: number | Date;
  /** Other engine options (notifier, expressions, generateId...); clock, storage, logger and recovery are the kit's. */
  engine?: Omit<WorkflowEngineOptions, 'clock' | 'storage' | 'definitions' | 'actions' | 'recover' | 'runner'>;
}

/** Work rounds `runUntilIdle` waits before deciding the engine never settles. */
const MAX_ROUNDS = 10_000;
/** Timers `advance` fires in one call before deciding a timer re-arms itself forever. */
const MAX_TIMERS = 100_000;

/** Build a {@link TestEngine}; `await t.close()` when done (the Jest entry's `useTestEngine` does it for you). */
export function createTestEngine(options: TestEngineOptions): TestEngine {
  return new TestEngine(options);
}

/** See {@link createTestEngine}. */
export class TestEngine {
  /** The real engine under test: every WorkflowEngine method works on it. */
  readonly engine: WorkflowEngine;
  /** The engine's clock; moved only by {@link advance}. */
  readonly clock: TestClock;
  private readonly doubles: ActionDoubles;
  private readonly registered = new Set<string>();
  /** Counts events and action calls: `runUntilIdle` stops once a round adds none. */
  private activity = 0;
  private closed = false;

  constructor(options: TestEngineOptions) {
    if (!options || !Array.isArray(options.definitions)) {
      throw new WorkflowError(ErrorCode.InputInvalid, 'createTestEngine(options): options.definitions must be an array of the workflow definitions under test.');
    }
    const start = options.start instanceof Date ? options.start.getTime() : options.start;
    this.clock = new TestClock(start);
    this.doubles = new ActionDoubles(this.clock, options.actionFactory);
    this.engine = new WorkflowEngine({
      logger: silentLogger,
      shutdownTimeoutMs: 0,
      ...options.engine,
      storage: options.storage ?? new MemoryStorage(),
      clock: this.clock,
      recover: false,
    });
    this.engine.on('*', () => this.activity++);
    const actions = options.actions ?? {};
    if (Array.isArray(actions)) this.doubles.real.registerClasses(actions);
    else for (const [name, impl] of Object.entries(actions)) this.doubles.real.register(name, impl);
    for (const name of this.doubles.real.names()) this.register(name);
    for (const def of options.definitions) this.engine.registerDefinition(def);
  }

  /** Engine time, epoch ms. */
  now(): number {
    return this.clock.now();
  }

  /**
   * Move time forward by `duration` (`'30s'`, `'2d'`, `'1h30m'` or ms): every durable timer that
   * comes due on the way (retries, wait timeouts, task due times, deadlines, compensation retries)
   * fires in time order, each followed by all the work it causes (timers that work arms and that
   * fall due before the target fire too); then the clock is set to the target. Returns when idle.
   * @throws WorkflowError `WF_INPUT_INVALID` for a negative or malformed duration.
   */
  async advance(duration: Duration): Promise<void> {
    const target = this.clock.now() + advanceMs(duration);
    this.assertOpen('advance');
    await this.runUntilIdle();
    for (let fired = 0; ; fired++) {
      const at = this.clock.nextDueAt();
      if (at === undefined || at > target) break;
      if (fired >= MAX_TIMERS) throw new WorkflowError(ErrorCode.InputInvalid, `advance(${JSON.stringify(duration)}): more than ${MAX_TIMERS} timers came due; does a timer keep re-arming itself?`);
      await this.clock.advance(Math.max(0, at - this.clock.now()));
      await this.runUntilIdle();
    }
    await this.clock.advance(Math.max(0, target - this.clock.now()));
    await this.runUntilIdle();
  }

  /** Wait until no attempt runs or is queued and no commit is pending (armed timers aside). */
  async runUntilIdle(): Promise<void> {
    await this.engine.ready;
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const before = this.activity;
      await settle();
      await this.engine.idle();
      await settle();
      if (this.activity === before) return;
    }
    throw new WorkflowError(ErrorCode.Timeout, `runUntilIdle(): the engine was still busy after ${MAX_ROUNDS} rounds of work; does a workflow loop without waiting?`);
  }

  /**
   * Replace action `name` for this engine: an implementation (function, class, object with
   * `execute`), or a list of results for successive calls (see {@link MockResult}).
   * @throws WorkflowError `WF_INPUT_INVALID` when no definition uses `name`.
   */
  mockAction(name: string, mock: ActionMock): this {
    const used = actionsOf(this.engine);
    if (!used.includes(name)) {
      throw new WorkflowError(
        ErrorCode.InputInvalid,
        `mockAction('${name}'): no definition of this test engine uses an action "${name}"; the definitions use: ${used.join(', ') || '(none)'}.`,
        { action: name, used },
      );
    }
    if (!Array.isArray(mock) && typeof mock !== 'function' && typeof (mock as { execute?: unknown })?.execute !== 'function') {
      throw new WorkflowError(ErrorCode.InputInvalid, `mockAction('${name}', mock): mock must be a function, a class or object with execute(ctx), or an array of results for successive calls.`, { action: name });
    }
    this.doubles.mock(name, mock);
    this.register(name);
    return this;
  }

  /** Every call of action `name` so far (mocked or real, compensations included), in order. */
  calls(name: string): ActionCall[] {
    return this.doubles.callsOf(name);
  }

  /**
   * Start an instance and run until idle; returns the record with its history.
   * @throws WorkflowError `WF_ACTION_NOT_FOUND` naming the actions neither given nor mocked.
   */
  async start(definition: string, data: JsonObject = {}, options: StartOptions = {}): Promise<TestInstance> {
    this.assertOpen('start');
    const def = this.engine.getDefinition(definition, options.version);
    const missing = missingActions(this.engine, def);
    if (missing.length > 0) {
      throw new WorkflowError(
        ErrorCode.ActionNotFound,
        `start('${def.name}'): its actions ${missing.map((a) => `"${a}"`).join(', ')} are neither given nor mocked; pass them in createTestEngine({ actions }) or call t.mockAction('${missing[0]}', ...) first.`,
        { missing },
      );
    }
    const inst = await this.engine.start(def, data, options);
    await this.runUntilIdle();
    return this.instance(inst.id);
  }

  /** The instance record with its history attached. */
  async instance(id: string): Promise<TestInstance> {
    const record = await this.engine.getInstance(id);
    return { ...record, history: await this.engine.getHistory(id) };
  }

  /**
   * Complete the open task of `stepId` (as the claimer when claimed), then run until idle.
   * @throws WorkflowError `WF_ILLEGAL_TRANSITION` naming the step and its status when it has no open task.
   */
  async completeTask(instanceId: string, stepId: string, data: JsonObject = {}, by: Actor = 'test-user'): Promise<TestInstance> {
    this.assertOpen('completeTask');
    const inst = await this.engine.getInstance(instanceId);
    const rec = inst.steps[stepId];
    const task = rec?.task;
    if (!rec || !task || (task.state !== 'OPEN' && task.state !== 'CLAIMED')) {
      const status = !rec
        ? `it has not been reached (steps so far: ${Object.keys(inst.steps).join(', ') || 'none'})`
        : `its status is ${rec.status}${task ? ` and its task is ${task.state}` : ', with no task'}`;
      throw new WorkflowError(
        ErrorCode.IllegalTransition,
        `completeTask('${instanceId}', '${stepId}'): step "${stepId}" has no open task: ${status}; the instance is ${inst.state}.`,
        { instanceId, stepId, status: rec?.status ?? null, taskState: task?.state ?? null },
      );
    }
    const user = typeof by === 'string' ? by : by.id;
    const actor = task.state === 'CLAIMED' && task.claimedBy !== user ? task.claimedBy! : by;
    await this.engine.completeTask(task.id, data, actor);
    await this.runUntilIdle();
    return this.instance(instanceId);
  }

  /** Deliver a signal, then run until idle. */
  async signal(instanceId: string, name: string, payload: JsonObject = {}, by?: Actor): Promise<TestInstance> {
    this.assertOpen('signal');
    await this.engine.signal(instanceId, name, payload, by);
    await this.runUntilIdle();
    return this.instance(instanceId);
  }

  /** Close the engine: running attempts are aborted, timers disarmed, storage closed. Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.engine.close({ timeoutMs: 0 });
  }

  /** Register the recording dispatcher of `name` with the engine (once). */
  private register(name: string): void {
    if (this.registered.has(name)) return;
    this.registered.add(name);
    const dispatch = this.doubles.dispatcher(name);
    this.engine.registerAction(name, (ctx) => {
      this.activity++;
      return dispatch(ctx);
    }, this.doubles.real.optionsOf(name));
  }

  private assertOpen(method: string): void {
    if (this.closed) throw new WorkflowError(ErrorCode.EngineClosed, `${method}(): this test engine is closed; create another with createTestEngine().`);
  }
}

/** Let promise chains and I/O callbacks run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

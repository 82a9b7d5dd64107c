/**
 * The test engine's actions: every action runs through one recording dispatcher, which calls the
 * mock given for it (a function or a list of successive results) or else the real implementation.
 */
import { type ActionContext, type ActionFactory, type ActionImplementation, ActionRegistry, type ActionReturn, ActionResult, type Clock, type FailureOptions, type JsonObject } from '@workflow-mastery/core';

/** A failure in a mock's result list: `{ fail: 'gateway down' }` (retryable unless `retryable: false`). */
export interface MockFailure extends FailureOptions {
  fail: string;
}

/**
 * One result of a mock's list, used by one attempt:
 * - an {@link ActionResult} (`ActionResult.wait(...)`, `ActionResult.failure(...)`...), as is;
 * - `{ fail: 'message', retryable?, code?, details? }`: a failure;
 * - an `Error`: thrown by the attempt (a retryable failure);
 * - a function: called with the attempt's context, like an action;
 * - any other object (or nothing): success with that data merged into the instance.
 */
export type MockResult = ActionResult | MockFailure | Error | JsonObject | ((ctx: ActionContext) => ActionReturn | Promise<ActionReturn>) | undefined;

/** What `mockAction` accepts: an implementation, or the results of successive attempts. */
export type ActionMock = ActionImplementation | MockResult[];

/** One attempt of an action, as recorded by `t.calls(name)`. */
export interface ActionCall {
  instanceId: string;
  stepId: string;
  /** 1 for the first try. */
  attempt: number;
  /** The instance data as the attempt saw it (frozen). */
  data: Readonly<JsonObject>;
  /** The step's `config`. */
  config: Readonly<JsonObject>;
  /** Engine clock time (epoch ms) of the call. */
  at: number;
  /** True when the action ran as a compensation. */
  compensating: boolean;
}

/** @internal The mocks, real implementations and calls of one test engine. */
export class ActionDoubles {
  /** Real implementations, resolved the way the engine resolves them. */
  readonly real: ActionRegistry;
  private readonly mocks = new Map<string, ActionRegistry | { results: MockResult[]; next: number }>();
  private readonly calls = new Map<string, ActionCall[]>();

  constructor(
    private readonly clock: Clock,
    factory?: ActionFactory,
  ) {
    this.real = new ActionRegistry(factory);
  }

  /** The action the engine registers under `name`: records the call, then runs the mock or the real one. */
  dispatcher(name: string): (ctx: ActionContext) => Promise<ActionReturn> {
    return async (ctx) => {
      const list = this.calls.get(name) ?? [];
      this.calls.set(name, list);
      list.push({ instanceId: ctx.workflowId, stepId: ctx.stepId, attempt: ctx.attempt, data: ctx.data, config: ctx.config, at: this.clock.now(), compensating: ctx.compensating });
      const mock = this.mocks.get(name);
      if (mock instanceof ActionRegistry) return mock.resolve(name).handler.execute(ctx);
      if (mock) return fromList(name, mock, ctx);
      return this.real.resolve(name).handler.execute(ctx);
    };
  }

  mock(name: string, mock: ActionMock): void {
    if (Array.isArray(mock)) {
      this.mocks.set(name, { results: [...mock], next: 0 });
      return;
    }
    const registry = new ActionRegistry();
    registry.register(name, mock);
    this.mocks.set(name, registry);
  }

  callsOf(name: string): ActionCall[] {
    return [...(this.calls.get(name) ?? [])];
  }
}

async function fromList(name: string, mock: { results: MockResult[]; next: number }, ctx: ActionContext): Promise<ActionReturn> {
  const index = mock.next++;
  if (index >= mock.results.length) {
    return ActionResult.failure(
      `mockAction('${name}'): its ${mock.results.length} result(s) are used up (this is call ${index + 1}: attempt ${ctx.attempt} of step "${ctx.stepId}" of instance ${ctx.workflowId}); give more results or an implementation`,
      { retryable: false, code: 'MOCK_RESULTS_USED_UP' },
    );
  }
  const item = mock.results[index];
  if (item === undefined || item === null) return ActionResult.success();
  if (ActionResult.is(item)) return item;
  if (item instanceof Error) throw item;
  if (typeof item === 'function') return item(ctx);
  if (isFailure(item)) {
    const { fail, ...options } = item;
    return ActionResult.failure(fail, options);
  }
  return item as JsonObject;
}

function isFailure(item: object): item is MockFailure {
  const keys = Object.keys(item);
  return typeof (item as { fail?: unknown }).fail === 'string' && keys.every((k) => k === 'fail' || k === 'retryable' || k === 'code' || k === 'details');
}

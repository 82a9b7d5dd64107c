/**
 * A runner wrapper that holds work until the application has bootstrapped.
 *
 * The engine starts (opens storage, recovers unfinished instances) as soon as it is built, but
 * actions are only registered in `onModuleInit`, some perhaps by the app's own hooks. Work that
 * came up before then (recovered steps, due timers, steps of instances started in an
 * `onModuleInit`) is queued here and handed over in `onApplicationBootstrap`, so no step runs
 * before its action is known.
 */
import type { DeliveryMode, RunnerHost, TimerRecord, WorkflowRunner, WorkItem } from '@workflow-mastery/core';

type Held = { kind: 'dispatch'; item: WorkItem } | { kind: 'arm'; instanceId: string; timer: TimerRecord; definitionName?: string | undefined };

/** The optional members of {@link WorkflowRunner} (`queueDepth`, ...). */
type OptionalMember = { [K in keyof WorkflowRunner]-?: object extends Pick<WorkflowRunner, K> ? K : never }[keyof WorkflowRunner];

/**
 * How the wrapper provides each optional member when the inner runner has it. A mapped type: an
 * optional member added to WorkflowRunner does not compile here until it is passed through.
 */
type PassThrough = { [K in OptionalMember]: (inner: WorkflowRunner, wrapper: DeferredRunner) => NonNullable<WorkflowRunner[K]> };

/** Holds dispatches and timers until {@link DeferredRunner.release}, then forwards everything to the runner it wraps. */
export class DeferredRunner implements WorkflowRunner {
  /** The optional members the inner runner has, passed through (see {@link PassThrough}). */
  static readonly #passThrough: PassThrough = {
    // Held dispatches are waiting work too.
    queueDepth: (inner, wrapper) => async () => (await inner.queueDepth!()) + wrapper.#heldDispatches(),
  };

  readonly #inner: WorkflowRunner;
  #held: Held[] | undefined = [];
  readonly #releaseWaiters: Array<() => void> = [];
  /** Present when the inner runner has it: its queue plus the dispatches held here. */
  declare readonly queueDepth?: () => Promise<number>;

  constructor(
    /** The runner that does the work (kept private: nothing reaches past the wrapper). */
    inner: WorkflowRunner,
  ) {
    this.#inner = inner;
    const self = this as unknown as Record<OptionalMember, unknown>;
    for (const name of Object.keys(DeferredRunner.#passThrough) as OptionalMember[]) {
      if (typeof inner[name] === 'function') self[name] = DeferredRunner.#passThrough[name](inner, this);
    }
  }

  /** The inner runner's: work delivered by BullMQ stays so when wrapped. */
  get delivery(): DeliveryMode {
    return this.#inner.delivery;
  }

  /** True once work is handed over. */
  get released(): boolean {
    return this.#held === undefined;
  }

  start(host: RunnerHost): Promise<void> | void {
    return this.#inner.start(host);
  }

  dispatch(item: WorkItem): void {
    if (this.#held) this.#held.push({ kind: 'dispatch', item });
    else this.#inner.dispatch(item);
  }

  armTimer(instanceId: string, timer: TimerRecord, definitionName?: string): void {
    if (!this.#held) return this.#inner.armTimer(instanceId, timer, definitionName);
    this.#held = this.#held.filter((h) => !(h.kind === 'arm' && h.instanceId === instanceId && h.timer.id === timer.id));
    this.#held.push({ kind: 'arm', instanceId, timer, definitionName });
  }

  disarmTimer(instanceId: string, timerId: string): void {
    if (!this.#held) return this.#inner.disarmTimer(instanceId, timerId);
    this.#held = this.#held.filter((h) => !(h.kind === 'arm' && h.instanceId === instanceId && h.timer.id === timerId));
  }

  /** Hand held work to the inner runner; from now on everything goes straight through. */
  release(): void {
    const held = this.#held;
    if (!held) return;
    this.#held = undefined;
    for (const h of held) {
      if (h.kind === 'dispatch') this.#inner.dispatch(h.item);
      else this.#inner.armTimer(h.instanceId, h.timer, h.definitionName);
    }
    for (const wake of this.#releaseWaiters.splice(0)) wake();
  }

  /** Resolves once work is handed over (at once when it already is). */
  whenReleased(): Promise<void> {
    if (!this.#held) return Promise.resolve();
    return new Promise<void>((resolve) => this.#releaseWaiters.push(resolve));
  }

  /** Resolves when nothing runs or is queued; held work counts as queued. */
  async idle(): Promise<void> {
    if (this.#heldDispatches() > 0) await this.whenReleased();
    await this.#inner.idle();
  }

  /** Held work is dropped: it stays in storage and runs on the next start. */
  close(): Promise<void> {
    if (this.#held) this.#held = [];
    for (const wake of this.#releaseWaiters.splice(0)) wake();
    return this.#inner.close();
  }

  #heldDispatches(): number {
    return this.#held?.filter((h) => h.kind === 'dispatch').length ?? 0;
  }
}

/** A {@link RunnerHost} for runner conformance tests: records what the runner delivers, and can hold attempts running. */
import type { Clock } from '../engine/clock.js';
import type { RunnerHost, WorkItem, WorkResult } from '../engine/runner.types.js';
import { silentLogger } from '../logger.js';

/** One `fireTimer` call. */
export interface TimerFire {
  instanceId: string;
  timerId: string;
  fireAt?: number | undefined;
  /** The host clock's time of the call. */
  at: number;
}

/** A recording host. */
export interface RecordingHost extends RunnerHost {
  /** Every `executeWork` call, in order. */
  readonly executed: WorkItem[];
  /** The host clock's time of each `executeWork` call, in the order of {@link executed}. */
  readonly startedAt: number[];
  /** Attempts inside `executeWork` now. */
  readonly running: number;
  /** Every `fireTimer` call, in order. */
  readonly fires: TimerFire[];
  /** Makes attempts of `stepId` wait in `executeWork` until the returned function is called. */
  hold(stepId: string): () => void;
  /** How many times `item` (any attempt of its step, when `attempt` is left out) reached `executeWork`. */
  count(instanceId: string, stepId: string): number;
}

/** A host on `clock` whose `executeWork` returns `done` (after any hold on the step is lifted). */
export function recordingHost(clock: Clock): RecordingHost {
  const holds = new Map<string, { released: Promise<void>; release: () => void }>();
  let running = 0;
  const host: RecordingHost = {
    executed: [],
    startedAt: [],
    fires: [],
    get running() {
      return running;
    },
    logger: silentLogger,
    clock,
    async executeWork(item: WorkItem): Promise<WorkResult> {
      host.executed.push({ ...item });
      host.startedAt.push(clock.now());
      running++;
      try {
        await holds.get(item.stepId)?.released;
      } finally {
        running--;
      }
      return 'done';
    },
    async fireTimer(instanceId: string, timerId: string, fireAt?: number): Promise<WorkResult> {
      host.fires.push({ instanceId, timerId, fireAt, at: clock.now() });
      return 'done';
    },
    recover: async () => 0,
    recoverInstance: async () => undefined,
    hold(stepId: string) {
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      holds.set(stepId, { released, release });
      return () => {
        holds.delete(stepId);
        release();
      };
    },
    count: (instanceId, stepId) => host.executed.filter((i) => i.instanceId === instanceId && i.stepId === stepId).length,
  };
  return host;
}

/** Polls `check` (in real time) until true; fails naming `what` after `timeoutMs`. */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Resolves after `ms` of real time. */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Whether `promise` has settled after the current turns of the event loop (it is left running). */
export async function settled(promise: Promise<unknown>, waitMs = 20): Promise<boolean> {
  let done = false;
  void promise.then(
    () => (done = true),
    () => (done = true),
  );
  await sleep(waitMs);
  return done;
}

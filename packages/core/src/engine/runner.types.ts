/** The seam between the engine and where work runs (in-process here; BullMQ workers elsewhere). */
import type { TimerRecord } from '../model/instance.types.js';
import type { Logger } from '../logger.js';

/** One unit of runnable work: attempt N of a step (or of its compensation). */
export interface WorkItem {
  instanceId: string;
  stepId: string;
  attempt: number;
  kind: 'step' | 'compensation';
  /** The instance's definition (runners route, limit and prioritise by it). */
  definitionName?: string;
}

/**
 * How a piece of work ended: `done` (recorded, or nothing to do: stale, cancelled, unknown
 * instance), `aborted` (stopped by shutdown, nothing recorded: hand it back to be run again),
 * `unrecorded` (ran, but storage refused the result after retries: deliver it again later).
 */
export type WorkResult = 'done' | 'aborted' | 'unrecorded';

/** What a runner calls back into: the engine. */
export interface RunnerHost {
  /** Run one attempt and record its result (at-least-once delivery is fine: results are recorded once). */
  executeWork(item: WorkItem): Promise<WorkResult | void>;
  /** A durable timer came due (with `fireAt`, one re-armed since for another time is ignored). */
  fireTimer(instanceId: string, timerId: string, fireAt?: number): Promise<WorkResult | void>;
  /**
   * Dispatch the runnable work and arm the timers of every unfinished instance again; returns how
   * many instances it looked at. A distributed runner calls it at startup and from its sweeper.
   */
  recover(): Promise<number>;
  /**
   * Dispatch the runnable work and arm the timers of one unfinished instance again (a distributed
   * runner calls it when a redelivered job finds its own attempt already recorded: work that
   * attempt made runnable may have been lost with the process that ran it).
   */
  recoverInstance(instanceId: string): Promise<void>;
  logger: Logger;
}

/** Delivers work and timers to a {@link RunnerHost}. */
export interface WorkflowRunner {
  /**
   * True when the runner itself delivers work across processes (BullMQ): the engine then neither
   * claims work from a shared storage nor leases it, nor recovers at startup (the runner calls
   * {@link RunnerHost.recover} when it sees fit).
   */
  readonly distributed?: boolean;
  /** Called once by the engine before any dispatch. */
  start(host: RunnerHost): Promise<void> | void;
  dispatch(item: WorkItem): void;
  armTimer(instanceId: string, timer: TimerRecord, definitionName?: string): void;
  disarmTimer(instanceId: string, timerId: string): void;
  /** Resolves when nothing is running or queued (timers aside). */
  idle(): Promise<void>;
  /** Stop taking work; wait for running attempts (bounded by the runner's own policy). */
  close(): Promise<void>;
}

/** The seam between the engine and where work runs (in-process here; BullMQ workers elsewhere). */
import type { TimerRecord } from '../model/instance.types.js';
import type { Logger } from '../logger.js';
import type { Clock } from './clock.js';

/** One unit of runnable work: attempt N of a step (or of its compensation). */
export interface WorkItem {
  instanceId: string;
  stepId: string;
  attempt: number;
  kind: 'step' | 'compensation';
  /**
   * Which entry of the step this is (a loop enters a step again: run 2, 3...; a compensation has
   * its step's run). Part of the work's identity: attempt 1 of run 2 is other work than attempt 1
   * of run 1. Absent on work claimed from a storage, which knows only the current run.
   */
  run?: number;
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
  /** The engine's clock: a runner that keeps timers in this process fires them on it. */
  clock: Clock;
}

/**
 * How work reaches the engine that dispatches it:
 * - `local`: this process runs what it dispatches. On a storage shared by several engines (one with
 *   `claimWork`) the engine also claims free work from the storage and leases what it runs;
 *   otherwise it recovers unfinished instances at startup.
 * - `external`: the runner delivers work across processes itself (BullMQ): the engine neither claims
 *   nor leases work, does not recover at startup (the runner calls {@link RunnerHost.recover}), and
 *   may start instances whose actions live in other processes.
 * - `none`: nothing runs here (a process that only reads or commands state): no claims, leases or
 *   recovery; work a command makes runnable stays in storage for the processes that run workflows.
 */
export type DeliveryMode = 'local' | 'external' | 'none';

/** Delivers work and timers to a {@link RunnerHost}. */
export interface WorkflowRunner {
  /** How work reaches the engine (see {@link DeliveryMode}). */
  readonly delivery: DeliveryMode;
  /** Called once by the engine before any dispatch. */
  start(host: RunnerHost): Promise<void> | void;
  dispatch(item: WorkItem): void;
  armTimer(instanceId: string, timer: TimerRecord, definitionName?: string): void;
  disarmTimer(instanceId: string, timerId: string): void;
  /** Resolves when nothing is running or queued (timers aside). */
  idle(): Promise<void>;
  /** Stop taking work; wait for running attempts (bounded by the runner's own policy). */
  close(): Promise<void>;
  /**
   * Attempts dispatched and not yet started (waiting for a free slot, or jobs waiting in a queue);
   * the `workflow_queue_depth` metric reads it. Optional: a runner without a queue leaves it out.
   */
  queueDepth?(): Promise<number>;
}

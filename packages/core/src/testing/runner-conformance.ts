/**
 * What the engine relies on from a {@link WorkflowRunner}, as a Jest suite every runner package runs
 * against its own factory: `runRunnerConformance('in-process', ({ concurrency }) => ({ runner: new
 * InProcessRunner({ concurrency }) }), { delivery: 'local', timers: 'host-clock', capabilities: { ... } })`.
 * The runner is driven through a recording {@link RunnerHost}. A capability a runner lacks is
 * declared `false` and its tests are registered as skipped; a test that always runs checks the
 * declaration against the runner.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from '@jest/globals';
import { ManualClock, systemClock } from '../engine/clock.js';
import type { DeliveryMode, WorkflowRunner, WorkItem } from '../engine/runner.types.js';
import { eventually, recordingHost, settled, sleep, type RecordingHost } from './runner-conformance-host.js';
import { describeRunnerLimits } from './runner-conformance-limits.js';
import { describeRunnerTimers } from './runner-conformance-timers.js';
import { capability, describeIf } from './storage-conformance-context.js';

export type { RecordingHost, TimerFire } from './runner-conformance-host.js';

/** The runner under test, as its factory makes it. */
export interface RunnerSubject {
  runner: WorkflowRunner;
  /** Called after `runner.start(host)`: what makes it take work (BullMQ's `work()`, a DeferredRunner's `release()`). */
  begin?(): Promise<void> | void;
  /** Called after the runner is closed: remove what the test left behind (queues in Redis). */
  dispose?(): Promise<void>;
}

/** The optional behaviour a runner declares. */
export interface RunnerCapabilities {
  /**
   * A second dispatch of an item that is queued or running does not run it again (the in-process
   * runner's in-flight set). Without it delivery is at-least-once, which the engine tolerates.
   */
  dedupe: boolean;
  /** The runner has {@link WorkflowRunner.queueDepth}. */
  queueDepth: boolean;
  /**
   * The runner applies {@link RunnerSetup.definitions}: per-definition `concurrency` and
   * `rateLimit` (by {@link WorkItem.definitionName}). @defaultValue false
   */
  limits?: boolean;
}

/** Options of {@link runRunnerConformance}. */
export interface RunnerConformanceOptions {
  /** The delivery the runner must declare. */
  delivery: DeliveryMode;
  capabilities: RunnerCapabilities;
  /**
   * `host-clock`: the runner keeps timers in this process on the host's clock (the suite gives a
   * ManualClock and moves it). `real-time`: timers fire in real time (e.g. delayed jobs); the
   * suite's timer delays are then a few hundred milliseconds.
   */
  timers: 'host-clock' | 'real-time';
  /** Longest wait for something the runner does in real time. @defaultValue 5000 */
  timeoutMs?: number;
}

/** What the factory is asked for: attempts running at once (the suite saturates it to see queued work). */
export interface RunnerSetup {
  concurrency: number;
  /** Per-definition limits, by definition name (given only to the limits tests; the option shape of both runners). */
  definitions?: Record<string, RunnerDefinitionLimits>;
}

/** Limits of one definition's work, as the in-process and BullMQ runners take them. */
export interface RunnerDefinitionLimits {
  concurrency?: number;
  rateLimit?: { max: number; durationMs: number };
}

/** One test's runner, started on its recording host. */
export interface OpenRunner {
  runner: WorkflowRunner;
  host: RecordingHost;
  /** The host's clock: a ManualClock with `timers: 'host-clock'`, else the system clock. */
  clock: ManualClock | typeof systemClock;
  /** A work item of an instance unique to this test. */
  item(stepId: string, instance?: string): WorkItem;
  /** An instance id unique to this test. */
  instanceId(name?: string): string;
  /** Closes the runner (once). */
  close(): Promise<void>;
}

/** Registers `describe("runner conformance: <name>")`. `factory` makes a fresh runner for each test. */
export function runRunnerConformance(
  name: string,
  factory: (setup: RunnerSetup) => Promise<RunnerSubject> | RunnerSubject,
  options: RunnerConformanceOptions,
): void {
  const timeoutMs = options.timeoutMs ?? 5000;
  const caps = options.capabilities;

  describe(`runner conformance: ${name}`, () => {
    const cleanups: Array<() => Promise<void>> = [];
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    });

    /** A started runner on a recording host; closed and disposed after the test. */
    async function open(concurrency = 4, definitions?: Record<string, RunnerDefinitionLimits>): Promise<OpenRunner> {
      const clock = options.timers === 'host-clock' ? new ManualClock() : systemClock;
      const host = recordingHost(clock);
      const subject = await factory(definitions ? { concurrency, definitions } : { concurrency });
      const releases: Array<() => void> = [];
      const hold = host.hold.bind(host);
      host.hold = (stepId) => {
        const release = hold(stepId);
        releases.push(release);
        return release;
      };
      let closing: Promise<void> | undefined;
      const close = () => (closing ??= Promise.resolve(subject.runner.close()));
      cleanups.push(async () => {
        for (const release of releases) release();
        await close();
        await subject.dispose?.();
      });
      await subject.runner.start(host);
      await subject.begin?.();
      const test = randomUUID().slice(0, 8);
      const instanceId = (n = 'i') => `conf-${test}-${n}`;
      const item = (stepId: string, instance = 'i'): WorkItem => ({ instanceId: instanceId(instance), stepId, attempt: 1, kind: 'step', definitionName: 'conformance' });
      return { runner: subject.runner, host, clock, item, instanceId, close };
    }

    it('declares the delivery it is expected to, and exactly the optional members it declares', async () => {
      const { runner } = await open();
      expect(['local', 'external', 'none']).toContain(runner.delivery);
      expect(runner.delivery).toBe(options.delivery);
      expect({ queueDepth: typeof runner.queueDepth === 'function' }).toEqual({ queueDepth: caps.queueDepth });
    });

    it('delivers every dispatched item to executeWork, intact, once', async () => {
      const { runner, host, item } = await open();
      const items = [0, 1, 2].flatMap((i) => ['a', 'b', 'c', 'd'].map((step) => item(step, `n${i}`)));
      items.push({ ...item('comp', 'n0'), kind: 'compensation', attempt: 3 });
      for (const it of items) runner.dispatch(it);
      await eventually(() => items.every((it) => host.count(it.instanceId, it.stepId) > 0), timeoutMs, `all ${items.length} items ran`);
      await sleep(50);
      expect(host.executed).toHaveLength(items.length);
      const sort = (list: WorkItem[]) => [...list].sort((x, y) => `${x.instanceId}/${x.stepId}`.localeCompare(`${y.instanceId}/${y.stepId}`));
      expect(sort(host.executed)).toEqual(sort(items));
    });

    it('idle() resolves at once with nothing to do, and not while an attempt runs', async () => {
      const { runner, host, item } = await open();
      await expect(settled(runner.idle())).resolves.toBe(true);
      const release = host.hold('slow');
      runner.dispatch(item('slow'));
      await eventually(() => host.running === 1, timeoutMs, 'the held attempt runs');
      const idle = runner.idle();
      expect(await settled(idle, 50)).toBe(false);
      release();
      await idle;
      expect(host.running).toBe(0);
    });

    describeIf(options.delivery === 'local')('idle() with local delivery', () => {
      it('waits for queued work too, not only the running attempt', async () => {
        const { runner, host, item } = await open(1);
        const release = host.hold('slow');
        runner.dispatch(item('slow'));
        runner.dispatch(item('queued'));
        await eventually(() => host.running === 1, timeoutMs, 'the held attempt runs');
        const idle = runner.idle();
        expect(await settled(idle, 50)).toBe(false);
        release();
        await idle;
        expect(host.count(item('queued').instanceId, 'queued')).toBe(1);
      });
    });

    describeIf(caps.dedupe)(capability('dedupe', caps.dedupe), () => {
      it('runs an item dispatched again while it runs or waits only once', async () => {
        const { runner, host, item } = await open(1);
        const release = host.hold('x');
        runner.dispatch(item('x'));
        await eventually(() => host.running === 1, timeoutMs, 'the held attempt runs');
        runner.dispatch(item('x'));
        runner.dispatch(item('y', 'other'));
        runner.dispatch(item('y', 'other'));
        release();
        await eventually(() => host.count(item('y', 'other').instanceId, 'y') > 0, timeoutMs, 'the queued item ran');
        await runner.idle();
        await sleep(100);
        expect([host.count(item('x').instanceId, 'x'), host.count(item('y', 'other').instanceId, 'y')]).toEqual([1, 1]);
      });
    });

    it('close() stops taking work and waits for the running attempt', async () => {
      const { runner, host, item, close } = await open();
      const release = host.hold('running');
      runner.dispatch(item('running'));
      await eventually(() => host.running === 1, timeoutMs, 'the held attempt runs');
      const closing = close();
      runner.dispatch(item('late'));
      expect(await settled(closing, 100)).toBe(false);
      release();
      await closing;
      expect(host.running).toBe(0);
      await sleep(100);
      expect(host.executed.map((i) => i.stepId)).toEqual(['running']);
    });

    describeIf(caps.queueDepth)(capability('queueDepth', caps.queueDepth), () => {
      it('counts the work waiting to run, and nothing once it ran', async () => {
        const { runner, host, item } = await open(1);
        expect(await runner.queueDepth!()).toBe(0);
        const release = host.hold('x');
        runner.dispatch(item('x'));
        await eventually(() => host.running === 1, timeoutMs, 'the held attempt runs');
        // Other instances: work an attempt's own instance makes runnable may run next in its slot.
        for (const n of ['a', 'b', 'c']) runner.dispatch(item('s', n));
        let depth = -1;
        await eventually(async () => (depth = await runner.queueDepth!()) === 3, timeoutMs, 'queueDepth() is 3');
        expect(depth).toBe(3);
        release();
        await eventually(() => host.executed.length === 4, timeoutMs, 'the waiting work ran');
        await eventually(async () => (depth = await runner.queueDepth!()) === 0, timeoutMs, 'queueDepth() is 0');
        expect(depth).toBe(0);
      });
    });

    describeRunnerTimers(open, options.timers, timeoutMs);
    describeRunnerLimits(open, caps.limits ?? false, options.timers, timeoutMs);
  });
}

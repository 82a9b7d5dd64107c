/** Runner conformance: durable timers fire at their time, not before; disarming and re-arming replace them. */
import { describe, expect, it } from '@jest/globals';
import { ManualClock } from '../engine/clock.js';
import type { TimerRecord } from '../model/instance.types.js';
import type { OpenRunner } from './runner-conformance.js';
import { eventually, sleep, type TimerFire } from './runner-conformance-host.js';

/** Timers fire in real time within this much before their `fireAt` (clock rounding). */
const EARLY_TOLERANCE_MS = 5;

/**
 * Registers the timer tests. A fire that carries the `fireAt` of a timer since re-armed for another
 * time is stale: the engine ignores it, so a runner may deliver it; every other fire counts.
 */
export function describeRunnerTimers(open: (concurrency?: number) => Promise<OpenRunner>, mode: 'host-clock' | 'real-time', timeoutMs: number): void {
  /** Delay of the timers armed by the tests. */
  const D = mode === 'host-clock' ? 1_000 : 300;
  const timer = (id: string, fireAt: number): TimerRecord => ({ id, kind: 'retry', fireAt, stepId: 's' });

  /** Time passes up to `at` (the ManualClock moves; real time is waited for). */
  async function passTo(o: OpenRunner, at: number): Promise<void> {
    if (o.clock instanceof ManualClock) await o.clock.advance(Math.max(0, at - o.clock.now()));
    else await sleep(Math.max(0, at - Date.now()));
  }

  /** The fires of `timerId` the engine would act on, given the time it is armed for now. */
  const counted = (fires: TimerFire[], timerId: string, armedFor: number): TimerFire[] =>
    fires.filter((f) => f.timerId === timerId && (f.fireAt === undefined || f.fireAt === armedFor));

  /** Waits until `timerId` fired (counted) once; real time gets `timeoutMs`. */
  async function firedOnce(o: OpenRunner, timerId: string, armedFor: number): Promise<TimerFire> {
    await eventually(() => counted(o.host.fires, timerId, armedFor).length > 0, o.clock instanceof ManualClock ? 0 : timeoutMs, `timer ${timerId} fired`);
    await sleep(20);
    const fires = counted(o.host.fires, timerId, armedFor);
    expect(fires).toHaveLength(1);
    return fires[0]!;
  }

  describe(`timers (${mode})`, () => {
    it('fires fireTimer(instanceId, timerId) at the timer\'s time, not before', async () => {
      const o = await open();
      const t0 = o.clock.now();
      const fireAt = t0 + D;
      o.runner.armTimer(o.instanceId(), timer('t1', fireAt), 'conformance');
      await passTo(o, t0 + D / 2);
      expect(o.host.fires).toEqual([]);
      await passTo(o, fireAt);
      const fire = await firedOnce(o, 't1', fireAt);
      expect(fire).toMatchObject({ instanceId: o.instanceId(), timerId: 't1' });
      expect(fire.at).toBeGreaterThanOrEqual(fireAt - (mode === 'real-time' ? EARLY_TOLERANCE_MS : 0));
    });

    it('does not fire a disarmed timer', async () => {
      const o = await open();
      const t0 = o.clock.now();
      o.runner.armTimer(o.instanceId(), timer('gone', t0 + D), 'conformance');
      o.runner.armTimer(o.instanceId(), timer('kept', t0 + D), 'conformance');
      await sleep(20); // a runner that arms asynchronously (a job add) has armed by now
      o.runner.disarmTimer(o.instanceId(), 'gone');
      await passTo(o, t0 + D);
      await firedOnce(o, 'kept', t0 + D);
      await passTo(o, t0 + 2 * D);
      await sleep(mode === 'real-time' ? 100 : 0);
      expect(o.host.fires.filter((f) => f.timerId === 'gone')).toEqual([]);
    });

    it('re-arming for a later time replaces the earlier time', async () => {
      const o = await open();
      const t0 = o.clock.now();
      o.runner.armTimer(o.instanceId(), timer('t', t0 + D), 'conformance');
      o.runner.armTimer(o.instanceId(), timer('t', t0 + 2 * D), 'conformance');
      await passTo(o, t0 + D + D / 2);
      expect(counted(o.host.fires, 't', t0 + 2 * D)).toEqual([]);
      await passTo(o, t0 + 2 * D);
      const fire = await firedOnce(o, 't', t0 + 2 * D);
      expect(fire.at).toBeGreaterThanOrEqual(t0 + 2 * D - (mode === 'real-time' ? EARLY_TOLERANCE_MS : 0));
    });

    it('re-arming for an earlier time fires then, once', async () => {
      const o = await open();
      const t0 = o.clock.now();
      o.runner.armTimer(o.instanceId(), timer('t', t0 + 2 * D), 'conformance');
      o.runner.armTimer(o.instanceId(), timer('t', t0 + D), 'conformance');
      await passTo(o, t0 + D);
      await firedOnce(o, 't', t0 + D);
      await passTo(o, t0 + 2 * D);
      await sleep(mode === 'real-time' ? 100 : 0);
      expect(counted(o.host.fires, 't', t0 + D)).toHaveLength(1);
    });
  });
}

/** Runner conformance: per-definition `concurrency` and `rateLimit` (the `limits` capability). */
import { expect, it } from '@jest/globals';
import { ManualClock } from '../engine/clock.js';
import type { WorkItem } from '../engine/runner.types.js';
import type { OpenRunner, RunnerDefinitionLimits } from './runner-conformance.js';
import { eventually, sleep } from './runner-conformance-host.js';
import { capability, describeIf } from './storage-conformance-context.js';

/** Registers the limits tests, skipped unless the runner declares `limits`. */
export function describeRunnerLimits(
  open: (concurrency?: number, definitions?: Record<string, RunnerDefinitionLimits>) => Promise<OpenRunner>,
  declared: boolean,
  mode: 'host-clock' | 'real-time',
  timeoutMs: number,
): void {
  /** The rate limit's window: on a ManualClock any; in real time long enough to tell a wait from none. */
  const WINDOW = mode === 'host-clock' ? 1_000 : 800;
  const of = (o: OpenRunner, definitionName: string, stepId: string, instance: string): WorkItem => ({ ...o.item(stepId, instance), definitionName });

  describeIf(declared)(capability('limits', declared), () => {
    it("runs at most a definition's `concurrency` of its attempts at once, in dispatch order, beside other definitions' work", async () => {
      const o = await open(4, { 'conformance-limited': { concurrency: 1 } });
      const release = o.host.hold('limited');
      for (const n of ['l1', 'l2']) o.runner.dispatch(of(o, 'conformance-limited', 'limited', n));
      for (const n of ['f1', 'f2']) o.runner.dispatch(o.item('free', n));
      await eventually(() => o.host.count(o.instanceId('f1'), 'free') + o.host.count(o.instanceId('f2'), 'free') === 2, timeoutMs, "the other definition's work ran");
      await eventually(() => o.host.count(o.instanceId('l1'), 'limited') === 1, timeoutMs, 'the first limited attempt runs');
      await sleep(100);
      expect(o.host.count(o.instanceId('l2'), 'limited')).toBe(0);
      release();
      await eventually(() => o.host.count(o.instanceId('l2'), 'limited') === 1, timeoutMs, 'the second limited attempt ran');
      expect(o.host.executed.filter((i) => i.stepId === 'limited').map((i) => i.instanceId)).toEqual([o.instanceId('l1'), o.instanceId('l2')]);
    });

    it('starts at most `rateLimit.max` attempts of a definition per `durationMs`', async () => {
      const o = await open(4, { 'conformance-rated': { rateLimit: { max: 2, durationMs: WINDOW } } });
      const t0 = o.clock.now();
      for (const n of ['r1', 'r2', 'r3']) o.runner.dispatch(of(o, 'conformance-rated', 'rated', n));
      o.runner.dispatch(o.item('free', 'f1'));
      await eventually(() => o.host.executed.filter((i) => i.stepId === 'rated').length >= 2, timeoutMs, 'two rated attempts ran');
      await eventually(() => o.host.count(o.instanceId('f1'), 'free') === 1, timeoutMs, "the other definition's work ran");
      if (o.clock instanceof ManualClock) {
        await o.clock.advance(WINDOW - 1);
        expect(o.host.executed.filter((i) => i.stepId === 'rated')).toHaveLength(2);
        await o.clock.advance(1);
      }
      await eventually(() => o.host.executed.filter((i) => i.stepId === 'rated').length === 3, timeoutMs, 'the third rated attempt ran');
      const starts = o.host.executed.flatMap((item, i) => (item.stepId === 'rated' ? [o.host.startedAt[i]!] : []));
      // The third starts a window after the first (a real-time queue may round its window by a few ms).
      expect(starts[2]! - Math.max(t0, starts[0]!)).toBeGreaterThanOrEqual(mode === 'host-clock' ? WINDOW : WINDOW - 50);
    });
  });
}

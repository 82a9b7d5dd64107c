import { describe, expect, it } from '@jest/globals';
import type { TimerRecord } from '../model/instance.types.js';
import { ManualClock, systemClock } from './clock.js';
import { consoleLogger } from '../logger.js';
import { InProcessRunner } from './in-process-runner.js';
import type { RunnerHost, WorkItem } from './runner.types.js';

/** A host whose work items finish when the test says so. */
class TestHost implements RunnerHost {
  readonly logger = consoleLogger;
  readonly clock = systemClock;
  readonly started: string[] = [];
  readonly timers: Array<[string, string]> = [];
  running = 0;
  maxRunning = 0;
  private readonly pending = new Map<string, { resolve: () => void; reject: (e: Error) => void }>();

  executeWork(item: WorkItem): Promise<void> {
    const id = label(item);
    this.started.push(id);
    this.running++;
    this.maxRunning = Math.max(this.maxRunning, this.running);
    return new Promise<void>((resolve, reject) => {
      const settle = () => {
        this.running--;
        this.pending.delete(id);
      };
      this.pending.set(id, {
        resolve: () => (settle(), resolve()),
        reject: (e) => (settle(), reject(e)),
      });
    });
  }

  async recover(): Promise<number> {
    return 0;
  }

  async recoverInstance(): Promise<void> {}

  async fireTimer(instanceId: string, timerId: string): Promise<void> {
    this.timers.push([instanceId, timerId]);
  }

  /** Finish `id` and let the runner react. */
  async finish(id: string, error?: Error): Promise<void> {
    const p = this.pending.get(id);
    if (!p) throw new Error(`${id} is not running (running: ${[...this.pending.keys()].join(', ') || 'none'})`);
    if (error) p.reject(error);
    else p.resolve();
    await flush();
  }

  get runningIds(): string[] {
    return [...this.pending.keys()];
  }
}

const flush = async () => {
  for (let i = 0; i < 3; i++) await Promise.resolve();
};

const item = (instanceId: string, stepId = 's', attempt = 1, kind: WorkItem['kind'] = 'step'): WorkItem => ({ instanceId, stepId, attempt, kind });
const label = (w: WorkItem) => `${w.instanceId}/${w.stepId}/${w.kind}/${w.attempt}`;
const timer = (id: string, fireAt: number): TimerRecord => ({ id, kind: 'retry', fireAt });

function setup(options: { concurrency?: number } = {}) {
  const clock = new ManualClock(0);
  const runner = new InProcessRunner({ ...options, clock });
  const host = new TestHost();
  runner.start(host);
  return { clock, runner, host };
}

/** Resolves to true if `p` settles within a few microtask turns. */
async function settled(p: Promise<unknown>): Promise<boolean> {
  let done = false;
  void p.then(() => (done = true));
  await flush();
  return done;
}

describe('InProcessRunner', () => {
  describe('constructor', () => {
    it.each([0, -1, 1.5, Number.NaN])('rejects concurrency %p', (concurrency) => {
      expect(() => new InProcessRunner({ concurrency })).toThrow(expect.objectContaining({ code: 'WF_INPUT_INVALID' }));
      expect(() => new InProcessRunner({ concurrency })).toThrow(/InProcessRunner: concurrency must be a positive integer/);
    });

    it('defaults to 64', () => {
      expect(new InProcessRunner().concurrency).toBe(64);
      expect(new InProcessRunner({ concurrency: 3 }).concurrency).toBe(3);
    });
  });

  describe('work', () => {
    it('runs at most `concurrency` items at once, starting queued ones as slots free up', async () => {
      const { runner, host } = setup({ concurrency: 2 });
      for (const id of ['a', 'b', 'c', 'd', 'e']) runner.dispatch(item(id));
      expect(host.runningIds).toEqual(['a/s/step/1', 'b/s/step/1']);

      await host.finish('a/s/step/1');
      expect(host.runningIds).toEqual(['b/s/step/1', 'c/s/step/1']);

      await host.finish('c/s/step/1');
      await host.finish('b/s/step/1');
      expect(host.runningIds).toEqual(['d/s/step/1', 'e/s/step/1']);
      await host.finish('d/s/step/1');
      await host.finish('e/s/step/1');
      expect(host.maxRunning).toBe(2);
      expect(host.running).toBe(0);
    });

    it('starts items in dispatch (FIFO) order', async () => {
      const { runner, host } = setup({ concurrency: 1 });
      const items = [item('i3'), item('i1', 'x'), item('i2', 's', 2), item('i1', 'x', 1, 'compensation')];
      for (const w of items) runner.dispatch(w);
      while (host.runningIds.length) await host.finish(host.runningIds[0]!);
      expect(host.started).toEqual(items.map(label));
    });

    it('ignores a duplicate of an item that is queued or running, but runs it again once done', async () => {
      const { runner, host } = setup({ concurrency: 1 });
      runner.dispatch(item('a'));
      runner.dispatch(item('b'));
      runner.dispatch(item('a')); // running
      runner.dispatch(item('b')); // queued
      runner.dispatch({ ...item('b') }); // equal, different object
      await host.finish('a/s/step/1');
      await host.finish('b/s/step/1');
      expect(host.started).toEqual(['a/s/step/1', 'b/s/step/1']);

      runner.dispatch(item('a'));
      expect(host.runningIds).toEqual(['a/s/step/1']);
      await host.finish('a/s/step/1');
      expect(host.started).toEqual(['a/s/step/1', 'b/s/step/1', 'a/s/step/1']);
    });

    it('treats items differing in step, kind or attempt as distinct', () => {
      const { runner, host } = setup({ concurrency: 10 });
      runner.dispatch(item('a', 's', 1, 'step'));
      runner.dispatch(item('a', 's', 2, 'step'));
      runner.dispatch(item('a', 's', 1, 'compensation'));
      runner.dispatch(item('a', 't', 1, 'step'));
      expect(host.runningIds).toHaveLength(4);
    });

    it('frees the slot when the host rejects', async () => {
      const { runner, host } = setup({ concurrency: 1 });
      runner.dispatch(item('a'));
      runner.dispatch(item('b'));
      await host.finish('a/s/step/1', new Error('boom'));
      expect(host.runningIds).toEqual(['b/s/step/1']);
      await host.finish('b/s/step/1');
      await expect(runner.idle()).resolves.toBeUndefined();
    });
  });

  describe('idle', () => {
    it('resolves at once when nothing was dispatched', async () => {
      const { runner } = setup();
      expect(await settled(runner.idle())).toBe(true);
    });

    it('resolves only when running and queued work has drained', async () => {
      const { runner, host } = setup({ concurrency: 1 });
      runner.dispatch(item('a'));
      runner.dispatch(item('b'));
      const idle1 = runner.idle();
      const idle2 = runner.idle();
      expect(await settled(idle1)).toBe(false);
      await host.finish('a/s/step/1');
      expect(await settled(idle1)).toBe(false); // b is running now
      await host.finish('b/s/step/1');
      expect(await settled(idle1)).toBe(true);
      expect(await settled(idle2)).toBe(true);
    });

    it('also waits for work dispatched after idle() was called', async () => {
      const { runner, host } = setup({ concurrency: 1 });
      runner.dispatch(item('a'));
      const idle = runner.idle();
      runner.dispatch(item('a', 'next'));
      await host.finish('a/s/step/1');
      expect(await settled(idle)).toBe(false);
      await host.finish('a/next/step/1');
      expect(await settled(idle)).toBe(true);
    });
  });

  describe('timers', () => {
    it('fires through host.fireTimer when the clock reaches fireAt', async () => {
      const { runner, host, clock } = setup();
      runner.armTimer('i1', timer('retry/s/2', 1000));
      runner.armTimer('i2', timer('deadline', 500));
      await clock.advance(499);
      expect(host.timers).toEqual([]);
      await clock.advance(1);
      expect(host.timers).toEqual([['i2', 'deadline']]);
      await clock.advance(500);
      expect(host.timers).toEqual([
        ['i2', 'deadline'],
        ['i1', 'retry/s/2'],
      ]);
      expect(clock.pending).toBe(0);
    });

    it('fires an overdue timer on the next tick of the clock', async () => {
      const { runner, host, clock } = setup();
      await clock.advance(1000);
      runner.armTimer('i1', timer('t', 10));
      await clock.advance(0);
      expect(host.timers).toEqual([['i1', 't']]);
    });

    it('disarmTimer prevents firing; unknown timers are ignored', async () => {
      const { runner, host, clock } = setup();
      runner.armTimer('i1', timer('t', 100));
      runner.armTimer('i2', timer('t', 100));
      runner.disarmTimer('i1', 't');
      runner.disarmTimer('i1', 'nope');
      runner.disarmTimer('zzz', 't');
      expect(clock.pending).toBe(1);
      await clock.advance(200);
      expect(host.timers).toEqual([['i2', 't']]);
    });

    it('re-arming the same timer replaces the old one', async () => {
      const { runner, host, clock } = setup();
      runner.armTimer('i1', timer('t', 100));
      runner.armTimer('i1', timer('t', 300));
      expect(clock.pending).toBe(1);
      await clock.advance(200);
      expect(host.timers).toEqual([]);
      await clock.advance(100);
      expect(host.timers).toEqual([['i1', 't']]);
      await clock.advance(1000);
      expect(host.timers).toHaveLength(1);
    });

    it('a timer can be re-armed after it fired', async () => {
      const { runner, host, clock } = setup();
      runner.armTimer('i1', timer('t', 100));
      await clock.advance(100);
      runner.armTimer('i1', timer('t', 150));
      await clock.advance(50);
      expect(host.timers).toEqual([
        ['i1', 't'],
        ['i1', 't'],
      ]);
    });

    it('uses the clock given in the options', async () => {
      const clock = new ManualClock(0);
      const runner = new InProcessRunner({ clock });
      const host = new TestHost();
      runner.start(host);
      runner.armTimer('i1', timer('t', 10));
      expect(clock.pending).toBe(1);
      await clock.advance(10);
      expect(host.timers).toEqual([['i1', 't']]);
    });
  });

  describe('close', () => {
    it('stops taking work, drops queued items, waits for running ones', async () => {
      const { runner, host } = setup({ concurrency: 1 });
      runner.dispatch(item('a'));
      runner.dispatch(item('b'));
      const closed = runner.close();
      expect(await settled(closed)).toBe(false);
      runner.dispatch(item('c'));
      await host.finish('a/s/step/1');
      expect(await settled(closed)).toBe(true);
      expect(host.started).toEqual(['a/s/step/1']);
      runner.dispatch(item('d'));
      await flush();
      expect(host.started).toEqual(['a/s/step/1']);
    });

    it('clears armed timers and arms no new ones', async () => {
      const { runner, host, clock } = setup();
      runner.armTimer('i1', timer('t1', 100));
      runner.armTimer('i2', timer('t2', 200));
      await runner.close();
      expect(clock.pending).toBe(0);
      runner.armTimer('i3', timer('t3', 50));
      expect(clock.pending).toBe(0);
      await clock.advance(1000);
      expect(host.timers).toEqual([]);
    });

    it('resolves at once when idle', async () => {
      const { runner } = setup();
      expect(await settled(runner.close())).toBe(true);
    });
  });
});

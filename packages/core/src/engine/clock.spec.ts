import { afterEach, describe, expect, it } from '@jest/globals';
import { ManualClock, scaledClock, systemClock, type TimerHandle } from './clock.js';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe('ManualClock', () => {
  it('starts at 2026-01-01T00:00:00Z unless told otherwise', () => {
    expect(new ManualClock().now()).toBe(Date.UTC(2026, 0, 1));
    expect(new ManualClock(1234).now()).toBe(1234);
  });

  it('does not move or fire by itself', async () => {
    const clock = new ManualClock(0);
    let fired = false;
    clock.setTimeout(() => (fired = true), 0);
    await sleep(5);
    expect(fired).toBe(false);
    expect(clock.now()).toBe(0);
  });

  it('advance fires due timers in time order, with now() at each timer time, and leaves future ones', async () => {
    const clock = new ManualClock(0);
    const fired: Array<[string, number]> = [];
    clock.setTimeout(() => fired.push(['c', clock.now()]), 300);
    clock.setTimeout(() => fired.push(['a', clock.now()]), 100);
    clock.setTimeout(() => fired.push(['b', clock.now()]), 200);
    expect(clock.pending).toBe(3);

    await clock.advance(250);
    expect(fired).toEqual([
      ['a', 100],
      ['b', 200],
    ]);
    expect(clock.now()).toBe(250);
    expect(clock.pending).toBe(1);

    await clock.advance(50);
    expect(fired.map(([n]) => n)).toEqual(['a', 'b', 'c']);
    expect(clock.pending).toBe(0);
  });

  it('fires a timer exactly at its due time, and timers due at the same time in arming order', async () => {
    const clock = new ManualClock(0);
    const fired: string[] = [];
    clock.setTimeout(() => fired.push('first'), 100);
    clock.setTimeout(() => fired.push('second'), 100);
    await clock.advance(99);
    expect(fired).toEqual([]);
    await clock.advance(1);
    expect(fired).toEqual(['first', 'second']);
  });

  it('treats a negative delay as 0', async () => {
    const clock = new ManualClock(0);
    let fired = false;
    clock.setTimeout(() => (fired = true), -50);
    await clock.advance(0);
    expect(fired).toBe(true);
  });

  it('clearTimeout stops a timer; unknown handles are ignored', async () => {
    const clock = new ManualClock(0);
    const fired: string[] = [];
    const a = clock.setTimeout(() => fired.push('a'), 10);
    clock.setTimeout(() => fired.push('b'), 20);
    clock.clearTimeout(a);
    clock.clearTimeout(a);
    clock.clearTimeout(999 as TimerHandle);
    expect(clock.pending).toBe(1);
    await clock.advance(100);
    expect(fired).toEqual(['b']);
  });

  it('timers armed by a callback fire when they fall within the advance window', async () => {
    const clock = new ManualClock(0);
    const fired: Array<[string, number]> = [];
    clock.setTimeout(() => {
      fired.push(['outer', clock.now()]);
      clock.setTimeout(() => fired.push(['inner', clock.now()]), 50);
      clock.setTimeout(() => fired.push(['late', clock.now()]), 500);
    }, 100);
    await clock.advance(200);
    expect(fired).toEqual([
      ['outer', 100],
      ['inner', 150],
    ]);
    expect(clock.pending).toBe(1);
    expect(clock.now()).toBe(200);
    await clock.advance(400);
    expect(fired.at(-1)).toEqual(['late', 600]);
  });

  it('lets promise chains started by a timer run before the next one (and arm timers in the window)', async () => {
    const clock = new ManualClock(0);
    const fired: Array<[string, number]> = [];
    clock.setTimeout(() => {
      void Promise.resolve()
        .then(() => Promise.resolve())
        .then(() => {
          fired.push(['chain', clock.now()]);
          clock.setTimeout(() => fired.push(['after-chain', clock.now()]), 5);
        });
    }, 10);
    clock.setTimeout(() => fired.push(['other', clock.now()]), 12);
    await clock.advance(20);
    expect(fired).toEqual([
      ['chain', 10],
      ['other', 12],
      ['after-chain', 15],
    ]);
  });

  it('a timer can clear another one that is also due', async () => {
    const clock = new ManualClock(0);
    const fired: string[] = [];
    let second: TimerHandle;
    clock.setTimeout(() => {
      fired.push('first');
      clock.clearTimeout(second);
    }, 10);
    second = clock.setTimeout(() => fired.push('second'), 20);
    await clock.advance(30);
    expect(fired).toEqual(['first']);
  });
});

describe('scaledClock', () => {
  it.each([0, -1, Number.NaN])('rejects speed %p', (speed) => {
    expect(() => scaledClock(speed)).toThrow(RangeError);
    expect(() => scaledClock(speed)).toThrow(/speed must be > 0/);
  });

  it('now() starts at real time and runs speed× faster than it', async () => {
    const speed = 1000;
    const r0 = Date.now();
    const clock = scaledClock(speed);
    const s0 = clock.now();
    const r1 = Date.now();
    expect(s0).toBeGreaterThanOrEqual(r0);
    expect(s0).toBeLessThanOrEqual(r1 + (r1 - r0) * speed + 1);

    await sleep(30);
    const r2 = Date.now();
    const s1 = clock.now();
    const r3 = Date.now();
    // s = origin + round((Date.now() - origin) × speed), with Date.now() read between the brackets
    expect(s1 - s0).toBeGreaterThanOrEqual((r2 - r1) * speed - 1);
    expect(s1 - s0).toBeLessThanOrEqual((r3 - r0) * speed + 1);
    expect(s1 - s0).toBeGreaterThanOrEqual(25 * speed);
  });

  it('setTimeout fires after ms/speed real milliseconds', async () => {
    const clock = scaledClock(100);
    const start = Date.now();
    const firedAt = await new Promise<number>((resolve) => clock.setTimeout(() => resolve(Date.now()), 4000)); // 40 real ms
    expect(firedAt - start).toBeGreaterThanOrEqual(38);
    expect(firedAt - start).toBeLessThan(400);
  });

  it('clearTimeout cancels', async () => {
    const clock = scaledClock(100);
    let fired = false;
    const handle = clock.setTimeout(() => (fired = true), 500); // 5 real ms
    clock.clearTimeout(handle);
    await sleep(20);
    expect(fired).toBe(false);
  });
});

describe('systemClock', () => {
  let handle: TimerHandle | undefined;
  afterEach(() => {
    systemClock.clearTimeout(handle);
    handle = undefined;
  });

  it('now() is Date.now()', () => {
    const before = Date.now();
    const now = systemClock.now();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });

  it('fires a short timer and honours clearTimeout', async () => {
    const fired: string[] = [];
    systemClock.setTimeout(() => fired.push('kept'), 1);
    const cleared = systemClock.setTimeout(() => fired.push('cleared'), 1);
    systemClock.clearTimeout(cleared);
    await sleep(20);
    expect(fired).toEqual(['kept']);
  });

  it('a delay longer than 2^31-1 ms does not fire immediately (no setTimeout overflow)', async () => {
    let fired = false;
    handle = systemClock.setTimeout(() => (fired = true), 2 ** 31 + 5);
    await sleep(15);
    expect(fired).toBe(false);
  });

  it('clearTimeout tolerates undefined and foreign handles', () => {
    expect(() => systemClock.clearTimeout(undefined)).not.toThrow();
    expect(() => systemClock.clearTimeout({})).not.toThrow();
  });
});

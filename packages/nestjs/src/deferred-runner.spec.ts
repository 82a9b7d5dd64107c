import { describe, expect, it } from '@jest/globals';
import type { RunnerHost, TimerRecord, WorkflowRunner, WorkItem } from '@workflow-mastery/core';
import { consoleLogger, systemClock } from '@workflow-mastery/core';
import { DeferredRunner } from './deferred-runner.js';

/** A runner that records what it is handed. */
function recordingRunner() {
  const log: string[] = [];
  const runner: WorkflowRunner = {
    delivery: 'local',
    start: (_host: RunnerHost) => void log.push('start'),
    dispatch: (item: WorkItem) => void log.push(`dispatch ${item.stepId}#${item.attempt}`),
    armTimer: (_id: string, timer: TimerRecord) => void log.push(`arm ${timer.id}@${timer.fireAt}`),
    disarmTimer: (_id: string, timerId: string) => void log.push(`disarm ${timerId}`),
    idle: async () => void log.push('idle'),
    close: async () => void log.push('close'),
  };
  return { runner, log };
}

const item = (stepId: string, attempt = 1): WorkItem => ({ instanceId: 'i1', stepId, attempt, kind: 'step' });
const timer = (id: string, fireAt: number) => ({ id, fireAt }) as TimerRecord;
const host: RunnerHost = { executeWork: async () => undefined, fireTimer: async () => undefined, recover: async () => 0, recoverInstance: async () => undefined, logger: consoleLogger, clock: systemClock };

describe('DeferredRunner', () => {
  it('starts the inner runner at once but holds work and timers until released, in order', () => {
    const { runner, log } = recordingRunner();
    const deferred = new DeferredRunner(runner);
    deferred.start(host);
    deferred.dispatch(item('a'));
    deferred.armTimer('i1', timer('t1', 10));
    deferred.armTimer('i1', timer('t1', 20)); // re-armed: only the last one counts
    deferred.armTimer('i1', timer('t2', 30));
    deferred.disarmTimer('i1', 't2');
    deferred.dispatch(item('b'));
    expect(log).toEqual(['start']);
    expect(deferred.released).toBe(false);
    deferred.release();
    expect(log).toEqual(['start', 'dispatch a#1', 'arm t1@20', 'dispatch b#1']);
    deferred.dispatch(item('c'));
    deferred.disarmTimer('i1', 't1');
    deferred.release();
    expect(log.slice(4)).toEqual(['dispatch c#1', 'disarm t1']);
  });

  it('counts held work as not idle until released', async () => {
    const { runner } = recordingRunner();
    const deferred = new DeferredRunner(runner);
    deferred.dispatch(item('a'));
    let idle = false;
    const waiting = deferred.idle().then(() => (idle = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(idle).toBe(false);
    deferred.release();
    await waiting;
    expect(idle).toBe(true);
  });

  it('drops held work on close (it stays in storage) and wakes idle waiters', async () => {
    const { runner, log } = recordingRunner();
    const deferred = new DeferredRunner(runner);
    deferred.dispatch(item('a'));
    const waiting = deferred.idle();
    await deferred.close();
    await waiting;
    deferred.release();
    expect(log).toEqual(['close', 'idle']);
  });

  it('passes queueDepth through (counting held dispatches) only when the inner runner has it, and hides the inner runner', async () => {
    const { runner } = recordingRunner();
    const plain = new DeferredRunner(runner);
    expect('queueDepth' in plain).toBe(false);
    expect(plain.queueDepth).toBeUndefined();

    const queued = new DeferredRunner({ ...runner, queueDepth: async () => 5 });
    expect(await queued.queueDepth!()).toBe(5);
    queued.dispatch(item('a'));
    queued.armTimer('i1', timer('t1', 10));
    expect(await queued.queueDepth!()).toBe(6);
    queued.release();
    expect(await queued.queueDepth!()).toBe(5);

    expect(Object.keys(queued)).not.toContain('inner');
    expect((queued as unknown as { inner?: unknown }).inner).toBeUndefined();
  });
});

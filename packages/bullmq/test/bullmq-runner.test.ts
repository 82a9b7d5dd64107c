/**
 * The BullMQ runner with real Redis, engines in this process sharing one MemoryStorage: an API
 * engine that only enqueues, worker engines that run; deduplicated job ids, timers as delayed
 * jobs, the sweeper after a flush, per-definition queues, drain on close, faults.
 */
import { afterEach, beforeAll, expect, it, jest } from '@jest/globals';
import { Queue, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { ActionResult, MemoryStorage, WorkflowEngine, type ActionFunction, type WorkflowDefinitionInput } from '@workflow-mastery/core';
import { BullMQRunner, createWorker, definitionQueueName, stepJobId, type BullMQRunnerOptions, type WorkflowWorker } from '../src/index.js';
import { describeWithRedis, eventually, recordingLogger, redisOptions, redisReachable, redisUrl, uniqueQueue } from './support.js';

const DB = 5;
const reachable = await redisReachable();

const threeSteps: WorkflowDefinitionInput = {
  name: 'three_steps',
  version: '1',
  steps: { a: { action: 'a' }, b: { action: 'b' }, c: { action: 'c' } },
  transitions: [
    { from: 'a', to: 'b' },
    { from: 'b', to: 'c' },
  ],
};

const opened: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((x) => x.close().catch(() => undefined)));
});

function engine(storage: MemoryStorage, actions: Record<string, ActionFunction>, runner: Partial<BullMQRunnerOptions> & { queue: string }, defs: WorkflowDefinitionInput[] = [threeSteps]) {
  const logger = recordingLogger();
  const e = new WorkflowEngine({
    storage,
    logger,
    runner: new BullMQRunner({ connection: redisUrl(DB), sweepIntervalMs: 0, ...runner }),
    actions,
    definitions: defs,
    shutdownTimeoutMs: 2000,
  });
  opened.push(e);
  return { engine: e, logger, runner: e.runner as BullMQRunner };
}

async function worker(storage: MemoryStorage, actions: Record<string, ActionFunction>, runner: Partial<BullMQRunnerOptions> & { queue: string }, defs?: WorkflowDefinitionInput[], drainTimeoutMs = 2000): Promise<WorkflowWorker & { logger: ReturnType<typeof recordingLogger> }> {
  const { engine: e, logger } = engine(storage, actions, runner, defs);
  const w = await createWorker({ engine: e, concurrency: 8, drainTimeoutMs });
  opened.push(w);
  return Object.assign(w, { logger });
}

const noop: Record<string, ActionFunction> = { a: () => ({ a: 1 }), b: () => ({ b: 2 }), c: () => ({ c: 3 }) };

describeWithRedis('BullMQRunner', reachable, () => {
  beforeAll(async () => {
    const r = new Redis(redisUrl(DB));
    await r.flushdb();
    r.disconnect();
  });

  it('an API engine only enqueues; a worker engine on the same storage runs the instance to the end', async () => {
    const storage = new MemoryStorage();
    const queue = uniqueQueue('api');
    const api = engine(storage, {}, { queue });
    const inst = await api.engine.start('three_steps', { order: 1 });
    await api.engine.idle();
    const q = new Queue(queue, { connection: redisOptions(DB), prefix: 'wm' });
    opened.push(q);
    const job = await q.getJob(stepJobId({ instanceId: inst.id, stepId: 'a', attempt: 1, kind: 'step' }));
    expect(job?.name).toBe('step');
    expect(job?.data).toEqual({ instanceId: inst.id, stepId: 'a', attempt: 1, kind: 'step', run: 1, definitionName: 'three_steps' });
    expect(await api.runner.queueDepth()).toBe(1);
    expect((await api.engine.getInstance(inst.id)).state).toBe('RUNNING');

    await worker(storage, noop, { queue });
    const done = await api.engine.waitFor(inst.id, { until: 'terminal', timeoutMs: 15_000 });
    expect(done.state).toBe('COMPLETED');
    expect(done.data).toMatchObject({ order: 1, a: 1, b: 2, c: 3 });
    expect(await api.runner.queueDepth()).toBe(0);
  });

  it('a job sent twice is added once (deterministic job ids without ":")', async () => {
    const storage = new MemoryStorage();
    const queue = uniqueQueue('dedupe');
    const api = engine(storage, {}, { queue });
    const inst = await api.engine.start('three_steps', {});
    const item = { instanceId: inst.id, stepId: 'a', attempt: 1, kind: 'step' as const, definitionName: 'three_steps' };
    api.runner.dispatch(item);
    api.runner.dispatch(item);
    await api.engine.idle();
    const counts = await api.runner.jobCounts();
    expect(counts.waiting).toBe(1);
    expect(stepJobId(item)).not.toContain(':');
    expect(stepJobId({ ...item, instanceId: 'a:b', stepId: 'x.y' })).toBe('step.a_3Ab.x_2Ey.s.1');
  });

  it('runs retries on delayed jobs (a durable timer) and records each result once', async () => {
    const storage = new MemoryStorage();
    const queue = uniqueQueue('retry');
    let calls = 0;
    const flaky: WorkflowDefinitionInput = {
      name: 'flaky',
      version: '1',
      steps: { charge: { action: 'charge', retry_attempts: 2, retry_delay: '300ms' } },
      transitions: [],
    };
    const actions: Record<string, ActionFunction> = {
      charge: () => {
        calls++;
        return calls === 1 ? ActionResult.failure('gateway busy', { retryable: true }) : { charged: true };
      },
    };
    await worker(storage, actions, { queue }, [flaky]);
    const api = engine(storage, {}, { queue }, [flaky]);
    const inst = await api.engine.start('flaky', {});
    const done = await api.engine.waitFor(inst.id, { until: 'terminal', timeoutMs: 15_000 });
    expect(done.state).toBe('COMPLETED');
    expect(calls).toBe(2);
    const history = await api.engine.getHistory(inst.id);
    expect(history.filter((e) => e.type === 'step.completed')).toHaveLength(1);
    expect(history.map((e) => e.type)).toContain('step.retrying');
  });

  it('after Redis lost every job (FLUSHDB), the sweeper re-creates them from storage and the instances finish', async () => {
    const storage = new MemoryStorage();
    const queue = uniqueQueue('flush');
    const api = engine(storage, {}, { queue });
    const ids = [];
    for (let i = 0; i < 20; i++) ids.push((await api.engine.start('three_steps', { i })).id);
    await api.engine.idle();
    expect(await api.runner.queueDepth()).toBe(20);
    const r = new Redis(redisUrl(DB));
    await r.flushdb();
    r.disconnect();
    expect(await api.runner.queueDepth()).toBe(0);
    // The worker sweeps at start (and every sweepIntervalMs): nothing is lost.
    const w = await worker(storage, noop, { queue, sweepIntervalMs: 500 });
    for (const id of ids) expect((await api.engine.waitFor(id, { until: 'terminal', timeoutMs: 15_000 })).state).toBe('COMPLETED');
    expect(w.logger.lines.filter((l) => l.level === 'error')).toEqual([]);
  });

  it('drops a job whose instance no longer exists, with a warning, and goes on', async () => {
    const storage = new MemoryStorage();
    const queue = uniqueQueue('ghost');
    const w = await worker(storage, noop, { queue });
    w.runner.dispatch({ instanceId: 'no-such-instance', stepId: 'a', attempt: 1, kind: 'step' });
    await eventually(() => w.logger.lines.some((l) => l.msg === 'work for an unknown instance dropped'), 10_000, 'the warning');
    const api = engine(storage, {}, { queue });
    const inst = await api.engine.start('three_steps', {});
    expect((await api.engine.waitFor(inst.id, { until: 'terminal', timeoutMs: 15_000 })).state).toBe('COMPLETED');
  });

  it('fails with WF_QUEUE_UNAVAILABLE naming the address when Redis cannot be reached at start', async () => {
    const e = new WorkflowEngine({
      storage: new MemoryStorage(),
      logger: recordingLogger(),
      runner: new BullMQRunner({ connection: 'redis://127.0.0.1:6399', connectTimeoutMs: 1200 }),
      definitions: [threeSteps],
      actions: noop,
    });
    await expect(e.ready).rejects.toMatchObject({ code: 'WF_QUEUE_UNAVAILABLE', message: expect.stringContaining('127.0.0.1:6399') });
    await expect(e.start('three_steps', {})).rejects.toMatchObject({ code: 'WF_QUEUE_UNAVAILABLE' });
  });

  it('puts a definition with limits on its own queue, with its concurrency and priority', async () => {
    const storage = new MemoryStorage();
    const queue = uniqueQueue('limits');
    const slow: WorkflowDefinitionInput = { name: 'slow_one', version: '1', steps: { s: { action: 's' } }, transitions: [] };
    let running = 0;
    let max = 0;
    const actions: Record<string, ActionFunction> = {
      ...noop,
      s: async () => {
        running++;
        max = Math.max(max, running);
        await new Promise((r) => setTimeout(r, 30));
        running--;
        return {};
      },
    };
    const limits = { definitions: { slow_one: { concurrency: 1, rateLimit: { max: 100, durationMs: 1000 }, priority: 3 } } };
    const api = engine(storage, {}, { queue, ...limits }, [threeSteps, slow]);
    const ids = [];
    for (let i = 0; i < 6; i++) ids.push((await api.engine.start('slow_one', {})).id);
    await api.engine.idle();
    const own = new Queue(definitionQueueName(queue, 'slow_one'), { connection: redisOptions(DB), prefix: 'wm' });
    opened.push(own);
    const job = await own.getJob(stepJobId({ instanceId: ids[0]!, stepId: 's', attempt: 1, kind: 'step' }));
    expect(job?.opts.priority).toBe(3);
    await worker(storage, actions, { queue, ...limits }, [threeSteps, slow]);
    for (const id of ids) expect((await api.engine.waitFor(id, { until: 'terminal', timeoutMs: 15_000 })).state).toBe('COMPLETED');
    expect(max).toBe(1);
  });

  it('on close, hands a running attempt back after the drain time; another worker runs it and it is recorded once', async () => {
    const storage = new MemoryStorage();
    const queue = uniqueQueue('drain');
    const one: WorkflowDefinitionInput = { name: 'long_one', version: '1', steps: { work: { action: 'work' } }, transitions: [] };
    const started: number[] = [];
    const first = await worker(
      storage,
      {
        work: (ctx) =>
          new Promise((resolve, reject) => {
            started.push(1);
            ctx.signal.addEventListener('abort', () => reject(new Error('aborted')));
          }),
      },
      { queue },
      [one],
      300,
    );
    const api = engine(storage, {}, { queue }, [one]);
    const inst = await api.engine.start('long_one', {});
    await eventually(() => started.length === 1, 10_000, 'the first worker to start the attempt');
    await first.close();
    expect(first.logger.lines.some((l) => l.msg.includes('aborting attempts still running at shutdown'))).toBe(true);
    await worker(storage, { work: () => ({ finished: true }) }, { queue }, [one]);
    const done = await api.engine.waitFor(inst.id, { until: 'terminal', timeoutMs: 15_000 });
    expect(done.state).toBe('COMPLETED');
    expect((await api.engine.getHistory(inst.id)).filter((e) => e.type === 'step.completed')).toHaveLength(1);
  });

  it('runs the steps an attempt makes runnable in the same job, each recorded before the next; chainSteps: 1 sends each through Redis', async () => {
    const add = jest.spyOn(Queue.prototype, 'add');
    try {
      const storage = new MemoryStorage();
      const order: string[] = [];
      const tracking: Record<string, ActionFunction> = {
        a: async (ctx) => {
          order.push(`a ran; recorded steps: ${Object.values((await storage.getInstance(ctx.workflowId))!.steps).filter((s) => s.status === 'COMPLETED').length}`);
          return { a: 1 };
        },
        b: async (ctx) => {
          order.push(`b ran; recorded steps: ${Object.values((await storage.getInstance(ctx.workflowId))!.steps).filter((s) => s.status === 'COMPLETED').length}`);
          return { b: 2 };
        },
        c: () => ({ c: 3 }),
      };
      const chained = uniqueQueue('chain');
      await worker(storage, tracking, { queue: chained });
      const api = engine(storage, {}, { queue: chained });
      const inst = await api.engine.start('three_steps', {});
      expect((await api.engine.waitFor(inst.id, { until: 'terminal', timeoutMs: 15_000 })).state).toBe('COMPLETED');
      expect(order).toEqual(['a ran; recorded steps: 0', 'b ran; recorded steps: 1']);
      const stepJobs = (queue: string) => add.mock.contexts.filter((q, i) => (q as Queue).name === queue && add.mock.calls[i]![0] === 'step').length;
      expect(stepJobs(chained)).toBe(1);
      expect((await api.engine.getHistory(inst.id)).filter((e) => e.type === 'step.completed')).toHaveLength(3);

      const single = uniqueQueue('nochain');
      await worker(storage, noop, { queue: single, chainSteps: 1 });
      const api2 = engine(storage, {}, { queue: single });
      const inst2 = await api2.engine.start('three_steps', {});
      expect((await api2.engine.waitFor(inst2.id, { until: 'terminal', timeoutMs: 15_000 })).state).toBe('COMPLETED');
      expect(stepJobs(single)).toBe(3);
      expect(() => new BullMQRunner({ connection: redisUrl(DB), chainSteps: 0 })).toThrow('BullMQRunner: chainSteps must be a positive integer, got 0.');
    } finally {
      add.mockRestore();
    }
  });

  it('runs the first parallel branch in the job and sends the others through Redis; the join runs once', async () => {
    const storage = new MemoryStorage();
    const queue = uniqueQueue('fanout');
    const fan: WorkflowDefinitionInput = {
      name: 'fan',
      version: '1',
      steps: { start: { action: 'a' }, left: { action: 'b' }, right: { action: 'c' }, end: { action: 'a' } },
      parallel_groups: { both: ['left', 'right'] },
      transitions: [
        { from: 'start', to: 'both' },
        { from: 'both', to: 'end', join: 'all' },
      ],
    };
    await worker(storage, noop, { queue }, [fan]);
    const api = engine(storage, {}, { queue }, [fan]);
    const ids = await Promise.all(Array.from({ length: 10 }, async () => (await api.engine.start('fan', {})).id));
    for (const id of ids) {
      expect((await api.engine.waitFor(id, { until: 'terminal', timeoutMs: 15_000 })).state).toBe('COMPLETED');
      const completed = (await api.engine.getHistory(id)).filter((e) => e.type === 'step.completed').map((e) => e.stepId);
      expect(completed.sort()).toEqual(['end', 'left', 'right', 'start']);
    }
  });

  it('a redelivered job whose attempt is already recorded dispatches the work it made runnable (lost with the worker that ran it)', async () => {
    const storage = new MemoryStorage();
    const queue = uniqueQueue('redeliver');
    let release!: () => void;
    const hung = new Promise<void>((resolve) => (release = resolve));
    const bRuns: string[] = [];
    // The first worker runs a, then b in the same job, and b hangs: as if that worker died there.
    const dying = engine(storage, { ...noop, b: async () => (bRuns.push('first'), await hung, { b: 'first' }) }, { queue });
    await dying.engine.ready;
    await dying.runner.work({ external: true });
    const api = engine(storage, {}, { queue });
    const inst = await api.engine.start('three_steps', {});
    const itemA = { instanceId: inst.id, stepId: 'a', attempt: 1, kind: 'step' as const, definitionName: 'three_steps' };
    const firstDelivery = dying.runner.processJob({ name: 'step', data: itemA, attemptsStarted: 1, stalledCounter: 0 } as unknown as Job);
    await eventually(() => bRuns.length === 1, 10_000, 'b to start on the first worker');
    // No job exists for b. BullMQ re-delivers a's job (stalled) to another worker.
    const other = engine(storage, { ...noop, b: () => (bRuns.push('second'), { b: 'second' }) }, { queue });
    await other.engine.ready;
    await other.runner.work({ external: true });
    await other.runner.processJob({ name: 'step', data: itemA, attemptsStarted: 2, stalledCounter: 1 } as unknown as Job);
    const done = await api.engine.waitFor(inst.id, { until: 'terminal', timeoutMs: 15_000 });
    expect(done.state).toBe('COMPLETED');
    expect(done.data).toMatchObject({ b: 'second', c: 3 });
    // The first worker's late result for b is not recorded a second time.
    release();
    await firstDelivery;
    const history = await api.engine.getHistory(inst.id);
    expect(history.filter((e) => e.type === 'step.completed').map((e) => e.stepId)).toEqual(['a', 'b', 'c']);
    expect(bRuns).toEqual(['first', 'second']);
  });

  it('a chained step aborted at shutdown goes back to the queue as a job of its own; another worker finishes it', async () => {
    const storage = new MemoryStorage();
    const queue = uniqueQueue('chaindrain');
    const started: string[] = [];
    const first = await worker(
      storage,
      {
        ...noop,
        b: (ctx) =>
          new Promise((_resolve, reject) => {
            started.push('b');
            ctx.signal.addEventListener('abort', () => reject(new Error('aborted')));
          }),
      },
      { queue },
      undefined,
      300,
    );
    const api = engine(storage, {}, { queue });
    const inst = await api.engine.start('three_steps', {});
    await eventually(() => started.length === 1, 10_000, 'b to start, chained after a');
    await first.close();
    expect(await api.runner.jobCounts()).toMatchObject({ waiting: 1 });
    await worker(storage, noop, { queue });
    const done = await api.engine.waitFor(inst.id, { until: 'terminal', timeoutMs: 15_000 });
    expect(done.state).toBe('COMPLETED');
    expect((await api.engine.getHistory(inst.id)).filter((e) => e.type === 'step.completed').map((e) => e.stepId)).toEqual(['a', 'b', 'c']);
  });
});

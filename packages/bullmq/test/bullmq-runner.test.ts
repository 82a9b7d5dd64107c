/**
 * The BullMQ runner with real Redis, engines in this process sharing one MemoryStorage: an API
 * engine that only enqueues, worker engines that run; deduplicated job ids, timers as delayed
 * jobs, the sweeper after a flush, per-definition queues, drain on close, faults.
 */
import { afterEach, beforeAll, expect, it } from '@jest/globals';
import { Queue } from 'bullmq';
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
    expect(job?.data).toEqual({ instanceId: inst.id, stepId: 'a', attempt: 1, kind: 'step', definitionName: 'three_steps' });
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
});

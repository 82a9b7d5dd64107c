/** What BullMQRunner and createWorker raise for mistakes a caller can fix: WorkflowErrors with stable codes (no Redis needed). */
import { describe, expect, it } from '@jest/globals';
import type { Job } from 'bullmq';
import { MemoryStorage, WorkflowEngine, WorkflowError } from '@workflow-mastery/core';
import { BullMQRunner, createWorker } from '../src/index.js';

const connection = 'redis://127.0.0.1:1';

describe('BullMQRunner errors', () => {
  it('refuses options that cannot work with WF_INPUT_INVALID', () => {
    const make = (options: object) => () => new BullMQRunner({ connection, ...options });
    expect(() => new BullMQRunner(undefined as never)).toThrow(expect.objectContaining({ code: 'WF_INPUT_INVALID', message: expect.stringContaining('"connection" option is required') }));
    for (const bad of [{ queue: 'a:b' }, { chainSteps: 0 }, { definitions: { d: { concurrency: 0 } } }, { definitions: { d: { rateLimit: { max: 0, durationMs: 1 } } } }]) {
      expect(make(bad)).toThrow(WorkflowError);
      expect(make(bad)).toThrow(expect.objectContaining({ code: 'WF_INPUT_INVALID' }));
    }
  });

  it('refuses work() and jobs before the engine started it with WF_ILLEGAL_TRANSITION', async () => {
    const runner = new BullMQRunner({ connection });
    await expect(runner.work()).rejects.toMatchObject({ code: 'WF_ILLEGAL_TRANSITION', message: expect.stringContaining('await engine.ready') });
    await expect(runner.processJob({} as Job)).rejects.toMatchObject({ code: 'WF_ILLEGAL_TRANSITION' });
    await expect(runner.ping()).rejects.toMatchObject({ code: 'WF_QUEUE_UNAVAILABLE' });
  });

  it('createWorker refuses an engine whose runner is not a BullMQRunner with WF_INPUT_INVALID', async () => {
    const engine = new WorkflowEngine({ storage: new MemoryStorage() });
    try {
      await expect(createWorker({ engine })).rejects.toMatchObject({ code: 'WF_INPUT_INVALID', message: expect.stringContaining('new BullMQRunner') });
    } finally {
      await engine.close();
    }
  });
});

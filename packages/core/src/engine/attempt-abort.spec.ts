/** What an action sees when its attempt is stopped: an Error as `signal.reason`, telling timeout from abort. */
import { describe, expect, it } from '@jest/globals';
import type { ActionContext } from '../actions/action.types.js';
import { WorkflowError } from '../errors.js';
import { silentLogger } from '../logger.js';
import { MemoryStorage } from '../storage/memory-storage.js';
import { ManualClock } from './clock.js';
import { WorkflowEngine } from './workflow-engine.js';

/** An action that, like `fetch`, rejects with its signal's reason; it records what it rejected with. */
function rejectOnAbort(seen: unknown[]) {
  return (ctx: ActionContext) =>
    new Promise<undefined>((_, rej) =>
      ctx.signal.addEventListener('abort', () => {
        seen.push(ctx.signal.reason);
        rej(ctx.signal.reason);
      }),
    );
}

const tick = async () => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
};

describe('WorkflowEngine: the reason of an aborted attempt', () => {
  it('is a WF_TIMEOUT WorkflowError when the step times out, and the attempt fails with that code', async () => {
    const clock = new ManualClock();
    const engine = new WorkflowEngine({ clock, storage: new MemoryStorage(), logger: silentLogger });
    const seen: unknown[] = [];
    engine.registerAction('slow', rejectOnAbort(seen));
    engine.registerDefinition({ name: 'slow', steps: { s: { action: 'slow', timeout: '10s' } } });
    const { id } = await engine.start('slow');
    await tick();
    await clock.advance(10_000);
    const inst = await engine.waitFor(id, { until: 'terminal' });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toBeInstanceOf(Error);
    expect(seen[0]).toBeInstanceOf(WorkflowError);
    expect(seen[0]).toMatchObject({ code: 'WF_TIMEOUT', message: expect.stringContaining('timed out after 10000 ms') });
    expect(inst.state).toBe('FAILED');
    expect(inst.steps.s!.error).toMatchObject({ code: 'WF_TIMEOUT' });
    await engine.close();
  });

  it('is a WF_ABORTED WorkflowError saying why when the instance is cancelled', async () => {
    const engine = new WorkflowEngine({ storage: new MemoryStorage(), logger: silentLogger });
    const seen: unknown[] = [];
    engine.registerAction('slow', rejectOnAbort(seen));
    engine.registerDefinition({ name: 'slow', steps: { s: { action: 'slow' } } });
    const { id } = await engine.start('slow');
    await tick();
    await engine.cancel(id, 'customer changed mind');
    await engine.idle();
    expect(seen).toHaveLength(1);
    expect(seen[0]).toBeInstanceOf(WorkflowError);
    expect(seen[0]).toMatchObject({ code: 'WF_ABORTED', message: 'Attempt aborted: instance cancelled' });
    expect((await engine.getInstance(id)).state).toBe('CANCELLED');
    await engine.close();
  });

  it('is a WF_ABORTED WorkflowError at shutdown, and the attempt is left to run again', async () => {
    const storage = new MemoryStorage();
    const engine = new WorkflowEngine({ storage, logger: silentLogger, shutdownTimeoutMs: 10 });
    const seen: unknown[] = [];
    engine.registerAction('slow', rejectOnAbort(seen));
    engine.registerDefinition({ name: 'slow', steps: { s: { action: 'slow' } } });
    const { id } = await engine.start('slow');
    await tick();
    await engine.close();
    expect(seen[0]).toMatchObject({ code: 'WF_ABORTED', message: expect.stringContaining('shutting down') });
    expect((await storage.getInstance(id))!.steps.s).toMatchObject({ status: 'SCHEDULED', attempt: 1 });
  });
});

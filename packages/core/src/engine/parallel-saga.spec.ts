import { describe, expect, it } from '@jest/globals';
import { ActionResult } from '../actions/action-result.js';
import { silentLogger } from '../logger.js';
import { MemoryStorage } from '../storage/memory-storage.js';
import { WorkflowEngine } from './workflow-engine.js';

describe('sagas across parallel branches', () => {
  it('aborts running branches, then compensates completed steps of every branch in reverse completion order', async () => {
    const engine = new WorkflowEngine({ storage: new MemoryStorage(), logger: silentLogger });
    const log: string[] = [];
    let slowSignal!: AbortSignal;
    let failNow!: () => void;
    const gate = new Promise<void>((r) => (failNow = r));
    engine.registerAction('book', (ctx) => void log.push(`book:${ctx.stepId}`));
    engine.registerAction('undo', (ctx) => void log.push(`undo:${ctx.stepId}`));
    engine.registerAction('flight', async (ctx) => {
      log.push('book:flight');
      failNow();
      return undefined;
    });
    engine.registerAction('car', async () => {
      await gate;
      return ActionResult.failure('no cars left', { retryable: false });
    });
    engine.registerAction('slow', (ctx) => {
      slowSignal = ctx.signal;
      return new Promise(() => undefined);
    });
    engine.registerDefinition({
      name: 'trip',
      steps: {
        start: { action: 'book', compensation: 'undo' },
        hotel: { action: 'book', compensation: 'undo' },
        flight: { action: 'flight', compensation: 'undo' },
        car: { action: 'car', compensation: 'undo' },
        insurance: { action: 'slow', compensation: 'undo' },
        done: { action: 'book' },
      },
      parallel_groups: [{ name: 'bookings', steps: ['hotel', 'flight', 'car', 'insurance'] }],
      transitions: [
        { from: 'start', to: 'bookings' },
        { from: 'bookings', to: 'done' },
      ],
      error_handling: { on_failure: 'compensate' },
    });
    const inst = await engine.waitFor((await engine.start('trip')).id, { until: 'terminal' });
    expect(inst.state).toBe('FAILED');
    expect(slowSignal.aborted).toBe(true);
    expect(inst.steps.insurance!.status).toBe('CANCELLED');
    expect(inst.steps.car!.status).toBe('FAILED');
    const booked = log.filter((l) => l.startsWith('book:'));
    const undone = log.filter((l) => l.startsWith('undo:'));
    // Reverse of the completion order, branches included; the cancelled and failed branches are not undone.
    expect(undone).toEqual(booked.slice().reverse().map((l) => l.replace('book:', 'undo:')));
    expect(undone).toContain('undo:hotel');
    expect(undone.at(-1)).toBe('undo:start');
    const history = (await engine.getHistory(inst.id)).map((e) => e.type);
    expect(history.indexOf('step.cancelled')).toBeLessThan(history.indexOf('compensation.started'));
    expect(inst.compensation).toEqual({ status: 'COMPLETED', failed: [] });
    await engine.close();
  });
});

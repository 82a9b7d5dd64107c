/** WorkflowEngine: Saga compensation of completed steps when an instance fails. */
import 'reflect-metadata';
import { describe, expect, it } from '@jest/globals';
import { ActionResult } from '../actions/action-result.js';
import { WorkflowAction } from '../actions/workflow-action.decorator.js';
import type { WorkflowDefinitionInput } from '../definition/definition.types.js';
import { WorkflowEngine } from './workflow-engine.js';
import { setup, ok, types } from '../../test/support/engine-setup.js';

describe('WorkflowEngine: saga compensation', () => {
  const saga: WorkflowDefinitionInput = {
    name: 'saga',
    steps: {
      reserve: { action: 'reserve', compensation: 'release' },
      charge: { action: 'charge', compensation: 'refund' },
      note: { action: 'note' },
      ship: { action: 'ship', retry_attempts: 1, retry_delay: 0 },
    },
    transitions: [
      { from: 'reserve', to: 'charge' },
      { from: 'charge', to: 'note' },
      { from: 'note', to: 'ship' },
    ],
    error_handling: { on_failure: 'compensate' },
  };

  it('compensates completed steps in reverse completion order, then FAILS recording it', async () => {
    const { engine } = setup();
    const log: string[] = [];
    const states: string[] = [];
    for (const n of ['reserve', 'charge', 'note', 'release', 'refund']) {
      engine.registerAction(n, async (ctx) => {
        log.push(ctx.compensating ? `undo:${n}` : n);
        if (ctx.compensating) states.push((await engine.getInstance(ctx.workflowId)).state);
      });
    }
    engine.registerAction('ship', () => ActionResult.failure('no carrier'));
    engine.registerDefinition(saga);
    const inst = await engine.waitFor((await engine.start('saga')).id, { until: 'terminal' });
    expect(log).toEqual(['reserve', 'charge', 'note', 'undo:refund', 'undo:release']);
    expect(states).toEqual(['COMPENSATING', 'COMPENSATING']);
    expect(inst.state).toBe('FAILED');
    expect(inst.compensation).toEqual({ status: 'COMPLETED', failed: [] });
    expect(inst.error).toMatchObject({ message: 'no carrier', stepId: 'ship' });
    const h = types(await engine.getHistory(inst.id));
    expect(h.slice(-5)).toEqual([
      'compensation.started',
      'compensation.step_completed:charge',
      'compensation.step_completed:reserve',
      'compensation.completed',
      'workflow.failed:ship',
    ]);
    await engine.close();
  });

  it('retries a compensation, records one that keeps failing, and still runs the rest', async () => {
    const { engine, clock } = setup();
    const log: string[] = [];
    for (const n of ['reserve', 'charge', 'note']) engine.registerAction(n, ok);
    engine.registerAction('ship', () => ActionResult.failure('no carrier', { retryable: false }));
    engine.registerAction('refund', () => {
      log.push('refund');
      throw new Error('bank offline');
    });
    engine.registerAction('release', () => void log.push('release'));
    engine.registerDefinition(saga);
    const { id } = await engine.start('saga');
    await clock.advance(10 * 60_000);
    const inst = await engine.waitFor(id, { until: 'terminal' });
    expect(log).toEqual(['refund', 'refund', 'refund', 'refund', 'release']);
    expect(inst.state).toBe('FAILED');
    expect(inst.compensation).toEqual({ status: 'FAILED', failed: ['charge'] });
    expect(inst.steps.charge!.compensation).toMatchObject({ status: 'FAILED', attempt: 4, error: { message: 'bank offline' } });
    await engine.close();
  });

  it('uses the compensation and retry defaults of a decorated action', async () => {
    @WorkflowAction('book_hotel', { compensation: 'cancel_hotel', retry: { attempts: 2, delay: 0 } })
    class BookHotel {
      calls = 0;
      execute() {
        return ++this.calls < 2 ? ActionResult.failure('busy') : ActionResult.success({ hotel: 'H1' });
      }
    }
    @WorkflowAction('cancel_hotel')
    class CancelHotel {
      static cancelled = 0;
      execute() {
        CancelHotel.cancelled++;
      }
    }
    const built: string[] = [];
    const { engine } = setup();
    engine.registerActions([BookHotel, CancelHotel], (cls) => {
      built.push(cls.name);
      return new cls();
    });
    engine.registerAction('fail', () => ActionResult.failure('nope', { retryable: false }));
    engine.registerDefinition({
      name: 'trip',
      steps: { hotel: { action: BookHotel }, pay: { action: 'fail' } },
      transitions: [{ from: 'hotel', to: 'pay' }],
      error_handling: { on_failure: 'compensate' },
    });
    const inst = await engine.waitFor((await engine.start('trip')).id, { until: 'terminal' });
    expect(inst.steps.hotel).toMatchObject({ status: 'COMPLETED', attempt: 2 });
    expect(CancelHotel.cancelled).toBe(1);
    expect(built.sort()).toEqual(['BookHotel', 'CancelHotel']);
    expect(engine.getDefinition('trip').source.steps.hotel!.action).toBe('book_hotel');
    await engine.close();
  });
});

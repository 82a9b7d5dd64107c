/** replayHistory refuses what is not a history with WF_INPUT_INVALID, and takes what a definition lacks as options. */
import { describe, expect, it } from '@jest/globals';
import { ActionResult } from '../../actions/action-result.js';
import type { WorkflowDefinitionInput } from '../../definition/definition.types.js';
import type { HistoryEvent } from '../../model/instance.types.js';
import { setup } from '../../../test/support/engine-setup.js';
import { replayHistory, type RecordedHistory } from './replay-history.js';

const def: WorkflowDefinitionInput = { name: 'one', steps: { a: { action: 'a' } } };
const started = (seq = 1): HistoryEvent => ({ instanceId: 'i1', seq, type: 'workflow.started', at: 0, data: { definition: 'one', version: '1', input: {} } });
const scheduled = (seq: number): HistoryEvent => ({ instanceId: 'i1', seq, type: 'step.scheduled', at: 0, stepId: 'a', attempt: 1, data: { action: 'a', run: 1 } });

function refusal(history: unknown): { code?: string; message: string } {
  try {
    replayHistory(history as RecordedHistory, def);
  } catch (error) {
    return error as { code?: string; message: string };
  }
  throw new Error('accepted');
}

describe('replayHistory: what it is given', () => {
  it('refuses what is not a history, saying which shapes it takes', () => {
    for (const garbage of [42, null, { foo: [] }, 'not json', '{"rows": []}']) {
      const error = refusal(garbage);
      expect(error.code).toBe('WF_INPUT_INVALID');
      expect(error.message).toMatch(/^replayHistory\(history, definition\): /);
      expect(error.message).toContain('{ events } (the CLI\'s `history ID --json`) or { items } (the HTTP API\'s GET /instances/:id/history)');
    }
    expect(refusal('not json').message).toContain('the history text is not JSON');
    expect(refusal([]).message).toContain('the history is empty');
  });

  it('refuses events out of seq order, foreign or malformed events, and a history not from the start', () => {
    expect(refusal([started(), scheduled(3), scheduled(2)])).toMatchObject({
      code: 'WF_INPUT_INVALID',
      message: expect.stringContaining('event #2 has seq 3, expected 2: events must be given in seq order, from 1, without gaps'),
    });
    expect(refusal([started(), 'step.scheduled']).message).toContain('event #2 is string, not a history event');
    expect(refusal([started(), { ...scheduled(2), type: 'step.exploded' }]).message).toContain('event #2 (seq 2) has type "step.exploded", which no engine records');
    expect(refusal([started(), { ...scheduled(2), at: 'yesterday' }]).message).toContain('"at" must be epoch milliseconds');
    expect(refusal([started(), { ...scheduled(2), instanceId: 'i2' }]).message).toContain('belongs to instance "i2", the events before it to "i1"');
    expect(refusal([{ ...scheduled(1) }]).message).toContain('it begins with step.scheduled, not workflow.started');
    expect(refusal({ events: [started(), { ...scheduled(2), data: [] }] }).message).toContain('has "data" that is an array');
  });

  it('refuses a definition that is not one', () => {
    expect(() => replayHistory([started()], null as never)).toThrow(expect.objectContaining({ code: 'WF_INPUT_INVALID', message: expect.stringContaining('the definition must be a definition object') }));
    expect(() => replayHistory([started()], { name: 'one', steps: {} })).toThrow(expect.objectContaining({ code: 'WF_DEFINITION_INVALID' }));
  });

  it('a history without its start data (recorded by an older engine) needs options.startData', () => {
    const old = [{ ...started(), data: { definition: 'one', version: '1' } }, scheduled(2)];
    expect(refusal(old)).toMatchObject({ code: 'WF_INPUT_INVALID', message: expect.stringContaining('pass it as options.startData') });
    expect(replayHistory(old, def, { startData: {} })).toMatchObject({ valid: true, events: 2 });
  });

  it("actions' registered retry defaults come from options.actions (or the engine's registry)", async () => {
    const { engine, clock } = setup();
    let calls = 0;
    engine.registerAction('a', () => (++calls < 2 ? ActionResult.failure('down') : ActionResult.success()), { retry: { attempts: 2, delay: '10s' } });
    engine.registerDefinition(def);
    const { id } = await engine.start('one');
    await clock.advance(10_000);
    await engine.waitFor(id, { until: 'terminal' });
    const history = await engine.getHistory(id);

    const bare = replayHistory(history, def);
    expect(!bare.valid && bare.divergence.reason).toMatch(/^retry policy changed: .* \(retry defaults of registered actions count only when given in options.actions\)$/);
    expect(replayHistory(history, def, { actions: { a: { retry: { attempts: 2, delay: '10s' } } } }).valid).toBe(true);
    expect(replayHistory(history, engine.getDefinition('one'), { actions: engine.actions }).valid).toBe(true);
    await engine.close();
  });
});

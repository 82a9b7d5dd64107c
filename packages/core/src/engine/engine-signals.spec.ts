/** WorkflowEngine: Signals, waits on them and their timeouts. */
import { describe, expect, it } from '@jest/globals';
import { ActionResult } from '../actions/action-result.js';
import type { WorkflowDefinitionInput } from '../definition/definition.types.js';
import { WorkflowEngine } from './workflow-engine.js';
import { setup, ok } from '../../test/support/engine-setup.js';

describe('WorkflowEngine: signals and waiting', () => {
  const approval: WorkflowDefinitionInput = {
    name: 'approval',
    steps: { ask: { action: 'ask' }, done: { action: 'done' } },
    transitions: [{ from: 'ask', to: 'done', condition: 'approved === true' }, { from: 'ask', to: 'done' }],
  };

  it('a step waits for a signal whose payload becomes its result', async () => {
    const { engine } = setup();
    engine.registerAction('ask', () => ActionResult.wait({ signal: 'decision' }));
    engine.registerAction('done', ok);
    engine.registerDefinition(approval);
    const { id } = await engine.start('approval');
    const waiting = await engine.waitFor(id);
    expect(waiting.state).toBe('WAITING');
    expect(waiting.steps.ask).toMatchObject({ status: 'WAITING', wait: { signal: 'decision' } });
    await engine.signal(id, 'decision', { approved: true }, 'bob');
    const inst = await engine.waitFor(id);
    expect(inst.state).toBe('COMPLETED');
    expect(inst.data.approved).toBe(true);
    expect(inst.steps.ask!.output).toEqual({ approved: true });
    await engine.close();
  });

  it('buffers a signal that arrives before the wait', async () => {
    const { engine } = setup();
    let release!: () => void;
    engine.registerAction('ask', async () => {
      await new Promise<void>((r) => (release = r));
      return ActionResult.wait({ signal: 'decision' });
    });
    engine.registerAction('done', ok);
    engine.registerDefinition(approval);
    const { id } = await engine.start('approval');
    await new Promise((r) => setImmediate(r));
    const after = await engine.signal(id, 'decision', { approved: false });
    expect(after.signals).toHaveLength(1);
    release();
    const inst = await engine.waitFor(id);
    expect(inst.state).toBe('COMPLETED');
    expect(inst.signals).toEqual([]);
    expect(inst.data.approved).toBe(false);
    const received = (await engine.getHistory(id)).find((e) => e.type === 'signal.received');
    expect(received?.data).toMatchObject({ name: 'decision', delivered: false });
    await engine.close();
  });

  it('a wait that times out is a failed attempt', async () => {
    const { engine, clock } = setup();
    engine.registerAction('ask', () => ActionResult.wait({ signal: 'decision', timeout: '1h' }));
    engine.registerAction('done', ok);
    engine.registerDefinition(approval);
    const { id } = await engine.start('approval');
    await clock.advance(3_600_000);
    const inst = await engine.waitFor(id);
    expect(inst.state).toBe('FAILED');
    expect(inst.error).toMatchObject({ code: 'WF_TIMEOUT', message: expect.stringContaining('No signal "decision"') });
    await engine.close();
  });
});

/** The engine's maxPayloadBytes: its default, its check of task completion data and skipStep data, and a bad value. */
import { describe, expect, it } from '@jest/globals';
import { ActionResult } from '../actions/action-result.js';
import { silentLogger } from '../logger.js';
import { MemoryStorage } from '../storage/memory-storage.js';
import { ManualClock } from './clock.js';
import { WorkflowEngine } from './workflow-engine.js';

const LIMIT = 2048;
const blob = 'x'.repeat(LIMIT);

function setup(options: { storageLimit?: number; engineLimit?: number } = {}) {
  const storage = new MemoryStorage(options.storageLimit !== undefined ? { maxPayloadBytes: options.storageLimit } : {});
  const engine = new WorkflowEngine({ clock: new ManualClock(), storage, logger: silentLogger, ...(options.engineLimit !== undefined ? { maxPayloadBytes: options.engineLimit } : {}) });
  engine.registerAction('ok', () => ActionResult.success());
  engine.registerDefinition({
    name: 'review',
    steps: { approve: { action: 'ok', assigned_to: 'manager' }, done: { action: 'ok' } },
    transitions: [{ from: 'approve', to: 'done' }],
  });
  return engine;
}

describe('maxPayloadBytes', () => {
  it("refuses task completion data over the storage's limit, naming the task and the limit; the task stays open", async () => {
    const engine = setup({ storageLimit: LIMIT });
    const { id } = await engine.start('review');
    await engine.waitFor(id);
    const [task] = await engine.listTasks({ instanceId: id });
    await expect(engine.completeTask(task!.id, { blob }, 'mia')).rejects.toMatchObject({
      code: 'WF_PAYLOAD_TOO_LARGE',
      message: expect.stringMatching(new RegExp(`completion data of task .*limit of ${LIMIT} bytes`)),
    });
    expect((await engine.getInstance(id)).state).toBe('WAITING');
    expect((await engine.completeTask(task!.id, { approved: true }, 'mia')).state).not.toBe('WAITING');
    await engine.close();
  });

  it('takes its own limit over the storage default, and checks skipStep data', async () => {
    const engine = setup({ engineLimit: LIMIT });
    const { id } = await engine.start('review');
    await engine.waitFor(id);
    await expect(engine.skipStep(id, 'approve', { blob })).rejects.toMatchObject({ code: 'WF_PAYLOAD_TOO_LARGE', details: { field: 'skipStep data of step "approve"', limit: LIMIT } });
    await engine.close();
  });

  it('has no limit on an unlimited memory storage, and refuses a limit under 1024 bytes', async () => {
    const engine = setup();
    expect((await engine.start('review', { blob: 'x'.repeat(100_000) })).state).not.toBe('FAILED');
    await engine.close();
    expect(() => new WorkflowEngine({ maxPayloadBytes: 10, logger: silentLogger })).toThrow(/maxPayloadBytes must be an integer of at least 1024/);
    expect(() => new MemoryStorage({ maxPayloadBytes: 1.5 })).toThrow(/maxPayloadBytes/);
  });
});

/** What the samples' replay tests share: every history a run recorded replays against the sample's definition. */
import { expect } from '@jest/globals';
import { replayHistory } from '@workflow-mastery/core';
import type { HistoryEvent, InstanceRecord, ReplayOptions, StorageAdapter, WorkflowDefinitionInput } from '@workflow-mastery/core';

/** The instances a storage holds, each with its history. */
export async function recordedRuns(storage: StorageAdapter): Promise<Array<{ instance: InstanceRecord; history: HistoryEvent[] }>> {
  const { items } = await storage.listInstances({ limit: 1000, order: 'asc' });
  return Promise.all(items.map(async (instance) => ({ instance, history: await storage.getHistory(instance.id) })));
}

/**
 * Replay every history in `storage` against `definition`: as the engine returns it, as the CLI's
 * `history --json` prints it and as JSON text of the HTTP API's body. Each must be valid and rebuild
 * the stored instance's state and data. Returns the states seen, to check the runs covered what they should.
 */
export async function expectEveryHistoryReplays(storage: StorageAdapter, definition: WorkflowDefinitionInput, options?: ReplayOptions): Promise<string[]> {
  const runs = await recordedRuns(storage);
  expect(runs.length).toBeGreaterThan(0);
  for (const { instance, history } of runs) {
    const exported = [history, JSON.parse(JSON.stringify({ instanceId: instance.id, events: history })) as { events: HistoryEvent[] }, JSON.stringify({ items: history })];
    for (const shape of exported) {
      const result = replayHistory(shape, definition, options);
      if (!result.valid) throw new Error(`${instance.id} (${instance.state}) diverged at seq ${result.divergence.seq}: ${result.divergence.reason}`);
      expect(result.events).toBe(history.length);
      expect(result.instance).toMatchObject({ state: instance.state, data: instance.data, seq: instance.seq });
    }
  }
  return runs.map((r) => r.instance.state);
}

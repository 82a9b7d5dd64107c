/** What the engine specs (`src/engine/engine-*.spec.ts`) share: an engine on a manual clock and a few helpers. */
import { ActionResult } from '../../src/actions/action-result.js';
import type { WorkflowDefinitionInput } from '../../src/definition/definition.types.js';
import { silentLogger } from '../../src/logger.js';
import type { HistoryEvent } from '../../src/model/instance.types.js';
import { MemoryStorage } from '../../src/storage/memory-storage.js';
import { ManualClock } from '../../src/engine/clock.js';
import { WorkflowEngine, type WorkflowEngineOptions } from '../../src/engine/workflow-engine.js';

/** An engine on memory storage (unless given) and a manual clock, logging nothing. */
export function setup(options: WorkflowEngineOptions = {}) {
  const clock = new ManualClock();
  const storage = options.storage ?? new MemoryStorage();
  const engine = new WorkflowEngine({ clock, storage, logger: silentLogger, ...options });
  return { engine, clock, storage };
}

/** An action that succeeds with no data. */
export const ok = () => ActionResult.success();

/** Let promise chains settle without waiting for actions that never finish. */
export const tick = async () => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
};

/** History as `type:step` strings. */
export const types = (h: HistoryEvent[]) => h.map((e) => (e.stepId ? `${e.type}:${e.stepId}` : e.type));

/** a → b → c. */
export const linear: WorkflowDefinitionInput = {
  name: 'linear',
  version: '1',
  steps: { a: { action: 'a' }, b: { action: 'b' }, c: { action: 'c' } },
  transitions: [
    { from: 'a', to: 'b' },
    { from: 'b', to: 'c' },
  ],
};

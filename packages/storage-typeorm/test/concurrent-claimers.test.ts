/**
 * Claimers in separate DataSources (as separate processes would be) over the same tables: 200 work
 * rows and 20 due timers, four claimers looping in parallel. Every item is claimed, and exactly once.
 */
import { afterAll, afterEach, describe, expect, it } from '@jest/globals';
import type { ClaimedWork } from '@workflow-mastery/core';
import { makeCreate, makeStep } from '@workflow-mastery/core/testing';
import { uniquePrefix } from './support/databases.js';
import { availableTargets, closeStorages, openStorage } from './support/targets.js';

const targets = await availableTargets();
afterEach(closeStorages);
afterAll(async () => {
  for (const target of targets) await target.cleanup();
});

const NOW = 1_800_000_000_000;
const key = (item: ClaimedWork): string =>
  item.kind === 'timer' ? `timer ${item.instanceId}/${item.timerId}` : `${item.kind} ${item.instanceId}/${item.stepId}#${item.attempt}`;

describe.each(targets.map((t) => [t.name, t] as const))('concurrent claimers on %s', (_name, target) => {
  it('never give one item to two claimers across two DataSources', async () => {
    const prefix = uniquePrefix('claim');
    const first = openStorage(target, prefix);
    await first.init(); // migrate once, before the second DataSource opens
    const second = openStorage(target, prefix);
    await second.init();

    const expected = new Set<string>();
    const creates = Array.from({ length: 100 }, (_, i) => {
      const { instance, events } = makeCreate({
        state: 'RUNNING',
        steps: { a: makeStep(), b: makeStep({ attempt: 2 }) },
        timers: i % 5 === 0 ? [{ id: `t${i}`, kind: 'retry', fireAt: NOW - i, stepId: 'a' }] : [],
      });
      expected.add(`step ${instance.id}/a#1`).add(`step ${instance.id}/b#2`);
      if (i % 5 === 0) expected.add(`timer ${instance.id}/t${i}`);
      return { instance, events };
    });
    for (let i = 0; i < creates.length; i += 20) {
      await Promise.all(creates.slice(i, i + 20).map(({ instance, events }, j) => (j % 2 ? first : second).createInstance(instance, events)));
    }
    expect(expected.size).toBe(220);

    const claimed: string[] = [];
    const claimers = [first, first, second, second].map(async (storage, n) => {
      for (let round = 0; round < 500 && claimed.length < expected.size; round++) {
        const items = await storage.claimWork({ owner: `claimer-${n}`, until: NOW + 60_000 }, NOW, 7);
        claimed.push(...items.map(key));
        if (items.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      }
    });
    await Promise.all(claimers);

    expect(claimed).toHaveLength(new Set(claimed).size); // intersection empty
    expect(new Set(claimed)).toEqual(expected); // union is everything
    expect(await first.claimWork({ owner: 'late', until: NOW + 60_000 }, NOW, 10)).toEqual([]);
  });
});

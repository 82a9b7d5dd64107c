/**
 * Issue #16's "done when": a workflow with five 30-second retries and a 2-day task timeout runs to
 * its end with the kit in far less than a second of wall time; without the kit it would wait the
 * 2 days 2.5 minutes for real. The wall-time bound is loose on purpose (speed targets belong in
 * the benchmarks); the real figure is printed.
 */
import { describe, expect, it } from '@jest/globals';
import { createTestEngine } from '@workflow-mastery/testing/jest';
import { checkout } from './fixtures.js';

describe('weeks of durable time in milliseconds', () => {
  it('runs five 30 s retries and a 2-day task timeout to the end', async () => {
    const began = performance.now();
    const t = createTestEngine({
      definitions: [checkout],
      actions: { refund_card: () => undefined, prepare_approval: () => undefined, ship: () => undefined, notify_director: () => ({ escalated: true }) },
    });
    const t0 = t.now();
    t.mockAction('charge_card', [...Array.from({ length: 5 }, () => ({ fail: 'gateway timeout' })), { charged: true }]);
    const inst = await t.start('checkout', { order: 'A-1' });
    await t.advance('2d');
    await t.advance('5m');
    const done = await t.instance(inst.id);
    const wallMs = performance.now() - began;

    expect(done).toHaveState('COMPLETED');
    expect(done).toHaveTakenPath(['charge', 'approve(timed out)', 'escalate']);
    expect(t.calls('charge_card')).toHaveLength(6);
    expect(done.history.filter((e) => e.type === 'step.retrying')).toHaveLength(5);
    expect(done).toHaveHistoryEvent('task.expired', { stepId: 'approve' });
    expect(t.now() - t0).toBeGreaterThanOrEqual(2 * 86_400_000);
    expect(done.completedAt! - t0).toBe(150_000 + 2 * 86_400_000);
    expect(wallMs).toBeLessThan(5000);
    process.stdout.write(`done-when: ${((t.now() - t0) / 3_600_000).toFixed(2)} h of engine time in ${wallMs.toFixed(1)} ms of wall time\n`);
  });
});

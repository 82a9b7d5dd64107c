/** Time: `advance` fires durable timers in order with the work they cause; `runUntilIdle`, `now`, `close`. */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { ActionResult, FileStorage } from '@workflow-mastery/core';
import { createTestEngine } from '@workflow-mastery/testing';
import { checkout, invoice } from './fixtures.js';

const S = 1000;
const H = 3_600_000;
const D = 86_400_000;

function checkoutEngine() {
  return createTestEngine({
    definitions: [checkout],
    actions: { charge_card: () => ({ charged: true }), refund_card: () => undefined, prepare_approval: () => undefined, ship: () => undefined, notify_director: () => undefined },
  });
}

describe('time', () => {
  it('advance fires every retry in order, each followed by its attempt, and timers armed on the way', async () => {
    const t = checkoutEngine();
    try {
      const t0 = t.now();
      t.mockAction('charge_card', [{ fail: 'gateway down' }, { fail: 'gateway down' }, { fail: 'gateway down' }, { fail: 'gateway down' }, { fail: 'gateway down' }, { charged: true }]);
      const started = await t.start('checkout', { order: 1 });
      expect(started.state).toBe('RUNNING');
      expect(t.calls('charge_card')).toHaveLength(1);

      await t.advance('3d');
      expect(t.calls('charge_card').map((c) => [c.attempt, c.at - t0])).toEqual([
        [1, 0],
        [2, 30 * S],
        [3, 60 * S],
        [4, 90 * S],
        [5, 120 * S],
        [6, 150 * S],
      ]);
      // The task opened at 150 s during this advance; its 2-day due time fell before the target and fired too.
      const done = await t.instance(started.id);
      expect(done.state).toBe('COMPLETED');
      expect(done.steps.approve).toMatchObject({ status: 'TIMED_OUT', task: { state: 'EXPIRED' } });
      expect(t.calls('notify_director')[0]!.at - t0).toBe(150 * S + 2 * D);
      expect(t.now() - t0).toBe(3 * D);
    } finally {
      await t.close();
    }
  });

  it('interleaves the timers of several instances by due time', async () => {
    const t = createTestEngine({ definitions: [checkout, invoice], actions: { prepare_approval: () => undefined, ship: () => undefined, notify_director: () => undefined, refund_card: () => undefined, send_invoice: () => undefined, book_payment: () => undefined } });
    try {
      const t0 = t.now();
      t.mockAction('charge_card', [{ fail: 'down' }, { fail: 'down' }, {}]);
      t.mockAction('await_payment', [ActionResult.wait({ signal: 'paid', timeout: '45s' }), ActionResult.wait({ signal: 'paid' })]);
      await t.start('checkout');
      await t.start('invoice');
      await t.advance('2m');
      const all = [...t.calls('charge_card'), ...t.calls('await_payment')].sort((a, b) => a.at - b.at);
      expect(all.map((c) => `${c.stepId}#${c.attempt}@${(c.at - t0) / S}s`)).toEqual(['charge#1@0s', 'wait_for_payment#1@0s', 'charge#2@30s', 'charge#3@60s']);
      // The wait timed out at 45 s; its retry is due a day later and has not run yet.
      await t.advance('1d');
      expect(t.calls('await_payment').map((c) => [c.attempt, (c.at - t0) / S])).toEqual([
        [1, 0],
        [2, 45 + D / S],
      ]);
    } finally {
      await t.close();
    }
  });

  it('takes milliseconds as numbers, and stops at the target when no timer is due', async () => {
    const t = checkoutEngine();
    try {
      const t0 = t.now();
      await t.advance(1500);
      await t.advance('1h30m');
      await t.advance(0);
      expect(t.now() - t0).toBe(1500 + 1.5 * H);
      await t.runUntilIdle();
      expect(t.clock.pending).toBe(0);
    } finally {
      await t.close();
    }
  });

  it('runs on the storage it is given', async () => {
    const directory = await mkdtemp(path.join(os.tmpdir(), 'wm-testkit-'));
    try {
      const storage = new FileStorage({ directory, fsync: false });
      const t = createTestEngine({ definitions: [checkout], storage, actions: { charge_card: () => undefined, refund_card: () => undefined, prepare_approval: () => undefined, ship: () => undefined, notify_director: () => undefined } });
      expect(t.engine.storage).toBe(storage);
      const inst = await t.start('checkout');
      await t.advance('2d');
      expect((await t.instance(inst.id)).state).toBe('COMPLETED');
      await t.close();
      const reopened = new FileStorage({ directory, fsync: false });
      await reopened.init?.();
      expect((await reopened.getInstance(inst.id))?.state).toBe('COMPLETED');
      await reopened.close();
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('starts the clock where told', async () => {
    const t = createTestEngine({ definitions: [checkout], start: new Date('2030-06-01T00:00:00Z') });
    expect(new Date(t.now()).toISOString()).toBe('2030-06-01T00:00:00.000Z');
    await t.close();
  });

  it.each([['-1d'], [-5], ['30x'], [''], [Number.NaN], ['7 days']])('refuses advance(%p) naming the value and the accepted forms', async (bad) => {
    const t = checkoutEngine();
    try {
      const error = await t.advance(bad as string).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'WF_INPUT_INVALID' });
      const message = (error as Error).message;
      expect(message).toContain(`advance(${typeof bad === 'string' ? JSON.stringify(bad) : String(bad)})`);
      expect(message).toContain('"30s", "2m", "1h", "2d"');
      expect(message).toContain('number of milliseconds');
      if (bad === '-1d' || bad === -5) expect(message).toContain('time only moves forward');
    } finally {
      await t.close();
    }
  });

  it('close() leaves nothing running: no timers, the hanging attempt aborted, the engine refuses more work', async () => {
    const t = checkoutEngine();
    let aborted = false;
    t.mockAction('charge_card', (ctx) => new Promise(() => ctx.signal.addEventListener('abort', () => (aborted = true))));
    await t.engine.start('checkout');
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    expect(t.calls('charge_card')).toHaveLength(1);
    const began = Date.now();
    await t.close();
    expect(Date.now() - began).toBeLessThan(2000);
    expect(aborted).toBe(true);
    expect(t.clock.pending).toBe(0);
    await expect(t.start('checkout')).rejects.toMatchObject({ code: 'WF_ENGINE_CLOSED' });
    await t.close(); // twice is fine
  });
});

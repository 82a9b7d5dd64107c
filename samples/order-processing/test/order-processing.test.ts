/** End-to-end: the seed's order processing workflow, every path the demo orders take. */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from '@jest/globals';
import { FileStorage, MemoryStorage, parseDefinition, scaledClock, silentLogger } from '@workflow-mastery/core';
import { orderProcessingWorkflow } from '../src/order-processing.workflow.js';
import { runOrderDemo } from '../src/order-demo.js';
import { orderActions } from '../src/order-actions.js';
import { ActionRegistry } from '@workflow-mastery/core';

const run = promisify(execFile);

describe('order processing sample', () => {
  it('ports the seed definition as it stands (actions by class, persisted by name)', () => {
    const registry = new ActionRegistry();
    registry.registerClasses(orderActions);
    const def = parseDefinition(orderProcessingWorkflow, { resolveActionName: (ref) => registry.nameOf(ref) });
    expect(def.source.steps.process_payment).toEqual({ action: 'process_payment', compensation: 'refund_payment', retry_attempts: 5, retry_delay: '30s' });
    expect(def.source.transitions).toHaveLength(7);
    expect(def.start).toBe('validate_order');
  });

  it('takes every path: skip, retry, manual review, rejection, and both sagas', async () => {
    const { outcomes, services } = await runOrderDemo({ storage: new MemoryStorage(), clock: scaledClock(1000), logger: silentLogger, reviewAfterMs: 20 });
    const by = Object.fromEntries(outcomes.map((o) => [o.label, o]));
    for (const o of outcomes) expect(o.instance.state).toBe(o.expected);

    expect(by['A-1001']!.path).toEqual(['validate_order', 'check_fraud(skipped)', 'reserve_inventory', 'process_payment', 'create_shipment', 'send_notification']);
    expect(by['A-1002']!.instance.steps.validate_order).toMatchObject({ status: 'COMPLETED', attempt: 2 });
    expect(by['A-1002']!.instance.data.fraud).toEqual({ risk: 0.1, source: 'fraud_service' });
    expect(by['A-1003']!.instance.steps.process_payment).toMatchObject({ status: 'COMPLETED', attempt: 3 });
    expect(by['A-1004']!.path).toEqual(['validate_order', 'check_fraud', 'manual_review']);
    expect(by['A-1004']!.instance.data.review).toEqual({ approved: true, reviewer: 'risk-team' });
    expect(by['A-1005']!.path).toEqual(['validate_order', 'send_rejection']);
    expect(by['A-1006']!.path).toEqual(['validate_order', 'check_fraud(skipped)', 'reserve_inventory', 'process_payment(failed)', '↩release_inventory']);
    expect(by['A-1006']!.instance.compensation).toEqual({ status: 'COMPLETED', failed: [] });
    expect(by['A-1007']!.path).toEqual([
      'validate_order',
      'check_fraud',
      'reserve_inventory',
      'process_payment',
      'create_shipment(failed)',
      '↩refund_payment',
      '↩release_inventory',
    ]);

    // The sagas left no trace: stock of failed orders is back, their money refunded.
    expect(Object.fromEntries(services.warehouse.stock)).toEqual({ 'KB-01': 48, 'MS-02': 49, 'GPU-4090': 2, 'CAM-8K': 5 });
    expect(services.payments.captured).toBeCloseTo(179.8 + 1899 + 49);
    expect([...services.payments.charges.values()].filter((c) => c.refunded)).toHaveLength(1);
  });

  it('runs on durable file storage', async () => {
    const directory = await mkdtemp(path.join(os.tmpdir(), 'wm-orders-'));
    try {
      const { outcomes } = await runOrderDemo({ storage: new FileStorage({ directory, fsync: false }), clock: scaledClock(1000), logger: silentLogger, reviewAfterMs: 20 });
      expect(outcomes.map((o) => o.instance.state)).toEqual(outcomes.map((o) => o.expected));
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('`npm start` runs the sample to completion with readable progress', async () => {
    const directory = await mkdtemp(path.join(os.tmpdir(), 'wm-start-'));
    try {
      const main = path.join(import.meta.dirname, '..', 'dist', 'main.js');
      const { stdout } = await run(process.execPath, [main], { env: { ...process.env, WM_DATA_DIR: directory, WM_DEMO_SPEED: '1000', NO_COLOR: '1' } });
      expect(stdout).toContain('Workflow Mastery — order processing sample');
      expect(stdout).toMatch(/A-1003 +⟳ process_payment attempt 1 failed: payment gateway unavailable \(HTTP 503\); retry 2 in 30s/);
      expect(stdout).toMatch(/A-1007 +↩ create_shipment|A-1007 +↩ compensating: process_payment ← reserve_inventory/);
      expect(stdout).toContain('every order ended as designed');
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});

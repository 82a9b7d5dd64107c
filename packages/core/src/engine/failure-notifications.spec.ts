import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from '@jest/globals';
import { ActionResult } from '../actions/action-result.js';
import { silentLogger } from '../logger.js';
import { createChannel } from '../notifications/notifier.js';
import type { WorkflowNotification } from '../notifications/notifier.types.js';
import { WebhookChannel } from '../notifications/webhook-channel.js';
import { MemoryStorage } from '../storage/memory-storage.js';
import { WorkflowEngine } from './workflow-engine.js';

describe('failure notifications', () => {
  const closers: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });

  it('posts a JSON summary to a webhook and to custom channels after the saga unwound', async () => {
    const bodies: WorkflowNotification[] = [];
    let received!: () => void;
    const arrived = new Promise<void>((r) => (received = r));
    let hits = 0;
    const server = createServer((req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString()));
      req.on('end', () => {
        hits++;
        if (hits === 1) {
          res.writeHead(503).end('busy'); // retried
          return;
        }
        bodies.push(JSON.parse(raw) as WorkflowNotification);
        res.writeHead(204).end();
        received();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    closers.push(() => new Promise((r) => server.close(() => r())));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/workflows`;

    const errors: unknown[] = [];
    const engine = new WorkflowEngine({ storage: new MemoryStorage(), logger: { ...silentLogger, error: (o) => void errors.push(o) } });
    const pages: string[] = [];
    engine.notifier.register(new WebhookChannel({ url, retryDelayMs: 10 })).register(createChannel('pagerduty', (n) => void pages.push(`${n.workflowId}:${n.error.message}`)));
    engine.registerAction('deploy', () => undefined);
    engine.registerAction('rollback', () => undefined);
    engine.registerAction('smoke', () => ActionResult.failure('smoke tests failed', { retryable: false }));
    engine.registerDefinition({
      name: 'release',
      steps: { deploy: { action: 'deploy', compensation: 'rollback' }, smoke: { action: 'smoke' } },
      transitions: [{ from: 'deploy', to: 'smoke' }],
      error_handling: { on_failure: 'compensate_and_notify', notification_channels: ['webhook', 'pagerduty', 'slack'] },
    });
    const inst = await engine.waitFor((await engine.start('release')).id, { until: 'terminal' });
    await arrived;
    expect(hits).toBe(2);
    expect(bodies[0]).toMatchObject({
      kind: 'workflow.failed',
      workflowId: inst.id,
      definitionName: 'release',
      state: 'FAILED',
      channel: 'webhook',
      error: { message: 'smoke tests failed', stepId: 'smoke' },
      compensation: { status: 'COMPLETED', failed: [] },
    });
    expect(pages).toEqual([`${inst.id}:smoke tests failed`]);
    for (let i = 0; i < 100 && errors.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
    expect(errors).toContainEqual(expect.objectContaining({ channel: 'slack', error: expect.stringContaining('no channel "slack" registered') }));
    await engine.close();
  });
});

import { describe, expect, it } from '@jest/globals';
import type { WorkflowEvent } from '../engine/workflow-events.js';
import type { Logger } from '../logger.js';
import { createChannel, fromEvent, LogChannel, Notifier, type NotificationDraft, type WorkflowNotification } from './index.js';

const draft: NotificationDraft = {
  kind: 'workflow.failed',
  workflowId: 'wf-1',
  definitionName: 'order_processing',
  definitionVersion: '1.0.0',
  state: 'FAILED',
  error: { message: 'card declined', stepId: 'charge' },
  at: '2025-01-01T00:00:00.000Z',
};

function recordingLogger(): Logger & { calls: Array<[string, object, string | undefined]> } {
  const calls: Array<[string, object, string | undefined]> = [];
  const at = (level: string) => (obj: object, msg?: string) => void calls.push([level, obj, msg]);
  return { calls, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

describe('Notifier', () => {
  it('reports a channel that is not registered, and still delivers to the others', async () => {
    const sent: WorkflowNotification[] = [];
    const notifier = new Notifier([createChannel('email', (n) => void sent.push(n))]);
    const results = await notifier.notify(['email', 'slack'], draft);
    expect(results).toEqual([
      { channel: 'email', ok: true },
      { channel: 'slack', ok: false, error: 'no channel "slack" registered; register one with notifier.register(...) (built in: log, webhook)' },
    ]);
    expect(sent).toEqual([{ ...draft, channel: 'email' }]);
  });

  it('registers custom channels from functions, replacing by name', async () => {
    const calls: string[] = [];
    const notifier = new Notifier()
      .register(createChannel('slack', async () => void calls.push('old slack')))
      .register(createChannel('pagerduty', async (n) => void calls.push(`page ${n.workflowId} via ${n.channel}`)))
      .register(createChannel('slack', async (n, signal) => void calls.push(`new slack ${signal.aborted}`)));
    expect(notifier.names()).toEqual(['slack', 'pagerduty']);
    expect(notifier.has('slack')).toBe(true);
    expect(notifier.has('email')).toBe(false);
    expect(await notifier.notify(['slack', 'pagerduty', 'slack'], draft)).toEqual([
      { channel: 'slack', ok: true },
      { channel: 'pagerduty', ok: true },
    ]);
    expect(calls.sort()).toEqual(['new slack false', 'page wf-1 via pagerduty']);
  });

  it('never throws: failing channels (async or sync) become results', async () => {
    const notifier = new Notifier([
      createChannel('email', async () => {
        throw new Error('smtp refused');
      }),
      createChannel('sms', () => {
        throw 'no credit';
      }),
    ]);
    expect(await notifier.notify(['email', 'sms'], draft)).toEqual([
      { channel: 'email', ok: false, error: 'smtp refused' },
      { channel: 'sms', ok: false, error: 'no credit' },
    ]);
  });

  it('sends concurrently and settles hung channels when the signal aborts', async () => {
    const notifier = new Notifier([createChannel('hang', () => new Promise<void>(() => {})), createChannel('fast', () => {})]);
    const results = await notifier.notify(['hang', 'fast'], draft, { signal: AbortSignal.timeout(50) });
    expect(results[0]).toMatchObject({ channel: 'hang', ok: false });
    expect(results[0]!.error).toMatch(/timeout|aborted/i);
    expect(results[1]).toEqual({ channel: 'fast', ok: true });
  });

  it('rejects malformed channels', () => {
    expect(() => new Notifier().register({ name: '', send: async () => {} })).toThrow(/non-empty name/);
    expect(() => createChannel('x', 'nope' as never)).toThrow(/fn must be a function/);
  });
});

describe('LogChannel', () => {
  it('writes one structured line through the logger', async () => {
    const logger = recordingLogger();
    const notifier = new Notifier([new LogChannel(logger), new LogChannel(logger, { name: 'audit', level: 'warn' })]);
    expect(await notifier.notify(['log', 'audit'], draft)).toEqual([
      { channel: 'log', ok: true },
      { channel: 'audit', ok: true },
    ]);
    expect(logger.calls).toEqual([
      ['error', { notification: { ...draft, channel: 'log' } }, 'workflow wf-1 (order_processing) failed at step charge: card declined'],
      ['warn', { notification: { ...draft, channel: 'audit' } }, 'workflow wf-1 (order_processing) failed at step charge: card declined'],
    ]);
  });
});

describe('fromEvent', () => {
  const event: WorkflowEvent = {
    instanceId: 'wf-9',
    seq: 12,
    type: 'workflow.failed',
    at: Date.UTC(2025, 0, 2, 3, 4, 5),
    stepId: 'ship',
    definitionName: 'order_processing',
    definitionVersion: '2.1.0',
    data: {
      error: { message: 'carrier down', code: 'WF_TIMEOUT', retryable: true },
      compensation: 'FAILED',
      compensationFailed: ['charge'],
      notify: ['slack', 'log'],
    },
  };

  it('maps a workflow.failed event', () => {
    expect(fromEvent(event)).toEqual({
      kind: 'workflow.failed',
      workflowId: 'wf-9',
      definitionName: 'order_processing',
      definitionVersion: '2.1.0',
      state: 'FAILED',
      error: { message: 'carrier down', code: 'WF_TIMEOUT', stepId: 'ship' },
      compensation: { status: 'FAILED', failed: ['charge'] },
      at: '2025-01-02T03:04:05.000Z',
    });
    expect(Notifier.fromEvent).toBe(fromEvent);
  });

  it('prefers the instance for state and compensation, and tolerates sparse data', () => {
    const sparse: WorkflowEvent = { ...event, stepId: undefined, data: { error: { message: 'boom' } } };
    expect(fromEvent(sparse)).toEqual({
      kind: 'workflow.failed',
      workflowId: 'wf-9',
      definitionName: 'order_processing',
      definitionVersion: '2.1.0',
      state: 'FAILED',
      error: { message: 'boom' },
      at: '2025-01-02T03:04:05.000Z',
    });
    const withInstance = fromEvent(sparse, { state: 'FAILED', compensation: { status: 'COMPLETED', failed: [] } });
    expect(withInstance.compensation).toEqual({ status: 'COMPLETED', failed: [] });
  });

  it('refuses other events', () => {
    expect(() => fromEvent({ ...event, type: 'workflow.completed' })).toThrow('fromEvent(event): expected a "workflow.failed" event, got "workflow.completed"');
  });
});

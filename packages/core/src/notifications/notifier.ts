/** Delivers failure notifications to named channels (`data.notify` of a `workflow.failed` event). */
import type { WorkflowEvent } from '../engine/workflow-events.js';
import type { InstanceRecord } from '../model/instance.types.js';
import type { NotificationChannel, NotificationDraft, NotificationResult, WorkflowNotification } from './notifier.types.js';

/** Options of {@link Notifier.notify}. */
export interface NotifyOptions {
  /** Aborts every delivery; those not done yet resolve as `{ ok: false }`. */
  signal?: AbortSignal;
}

/** A registry of channels by name that sends one notification to several of them at once. */
export class Notifier {
  private readonly channels = new Map<string, NotificationChannel>();

  /** Builds the notification of a `workflow.failed` event; see {@link fromEvent}. */
  static readonly fromEvent = fromEvent;

  constructor(channels: NotificationChannel[] = []) {
    for (const channel of channels) this.register(channel);
  }

  /** Adds `channel`, replacing any channel of the same name. */
  register(channel: NotificationChannel): this {
    if (!channel || typeof channel.name !== 'string' || !channel.name || typeof channel.send !== 'function') {
      throw new TypeError('Notifier.register(channel): channel must have a non-empty name and a send(notification, signal) method; see createChannel(name, fn)');
    }
    this.channels.set(channel.name, channel);
    return this;
  }

  /** True when a channel is registered as `name`. */
  has(name: string): boolean {
    return this.channels.has(name);
  }

  /** Names of the registered channels, in registration order. */
  names(): string[] {
    return [...this.channels.keys()];
  }

  /**
   * Sends `notification` to each named channel (duplicates once) concurrently. Never throws: the
   * result lists, per channel, whether it was delivered and why not.
   */
  async notify(channelNames: string[], notification: NotificationDraft, options: NotifyOptions = {}): Promise<NotificationResult[]> {
    const signal = options.signal ?? new AbortController().signal;
    return Promise.all([...new Set(channelNames)].map((name) => this.deliver(name, notification, signal)));
  }

  private async deliver(name: string, draft: NotificationDraft, signal: AbortSignal): Promise<NotificationResult> {
    const channel = this.channels.get(name);
    if (!channel) {
      return { channel: name, ok: false, error: `no channel "${name}" registered; register one with notifier.register(...) (built in: log, webhook)` };
    }
    let onAbort = (): void => {};
    try {
      const aborted = new Promise<never>((_, reject) => {
        onAbort = () => reject(signal.reason);
        if (signal.aborted) onAbort();
        else signal.addEventListener('abort', onAbort, { once: true });
      });
      await Promise.race([(async () => channel.send({ ...draft, channel: name }, signal))(), aborted]);
      return { channel: name, ok: true };
    } catch (error) {
      return { channel: name, ok: false, error: error instanceof Error ? error.message : String(error) };
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }
}

/** Makes a channel from a function, e.g. `createChannel('slack', (n) => postToSlack(n))`. */
export function createChannel(
  name: string,
  send: (notification: WorkflowNotification, signal: AbortSignal) => Promise<void> | void,
): NotificationChannel {
  if (typeof name !== 'string' || !name) throw new TypeError('createChannel(name, fn): name must be a non-empty string, e.g. "slack"');
  if (typeof send !== 'function') throw new TypeError(`createChannel("${name}", fn): fn must be a function (notification, signal) => Promise<void>`);
  return { name, send: async (n, signal) => send(n, signal) };
}

/**
 * The notification of a `workflow.failed` event: error from `data.error` and `stepId`, saga outcome
 * from `data.compensation`/`data.compensationFailed`. `instance` (when given) supplies the current
 * state and compensation; otherwise the state is `FAILED`.
 */
export function fromEvent(event: WorkflowEvent, instance?: Pick<InstanceRecord, 'state' | 'compensation'>): NotificationDraft {
  if (event.type !== 'workflow.failed') {
    throw new TypeError(`fromEvent(event): expected a "workflow.failed" event, got "${event.type}"`);
  }
  const data = event.data ?? {};
  const err = isObject(data.error) ? data.error : {};
  const status = data.compensation;
  const compensation =
    instance?.compensation ??
    (status === 'RUNNING' || status === 'COMPLETED' || status === 'FAILED'
      ? { status, failed: Array.isArray(data.compensationFailed) ? data.compensationFailed.filter((s): s is string => typeof s === 'string') : [] }
      : undefined);
  return {
    kind: 'workflow.failed',
    workflowId: event.instanceId,
    definitionName: event.definitionName,
    definitionVersion: event.definitionVersion,
    state: instance?.state ?? 'FAILED',
    error: {
      message: typeof err.message === 'string' ? err.message : 'workflow failed',
      ...(typeof err.code === 'string' ? { code: err.code } : {}),
      ...(event.stepId ? { stepId: event.stepId } : {}),
    },
    ...(compensation ? { compensation: { status: compensation.status, failed: [...compensation.failed] } } : {}),
    at: new Date(event.at).toISOString(),
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

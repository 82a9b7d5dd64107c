/** Shapes shared by the notifier and its channels. */
import type { InstanceState } from '../model/instance.types.js';

/** The JSON summary sent to a channel when a workflow with a `notify` failure mode fails. */
export interface WorkflowNotification {
  kind: 'workflow.failed';
  workflowId: string;
  definitionName: string;
  definitionVersion: string;
  /** The instance's state when the notification was built (normally `FAILED`). */
  state: InstanceState;
  error: { message: string; code?: string; stepId?: string };
  /** Present when a saga was unwound: its outcome and the steps whose compensation failed. */
  compensation?: { status: 'RUNNING' | 'COMPLETED' | 'FAILED'; failed: string[] };
  /** ISO-8601 time of the failure. */
  at: string;
  /** Name of the channel this copy is sent to. */
  channel: string;
}

/** A notification before it is addressed to a channel. */
export type NotificationDraft = Omit<WorkflowNotification, 'channel'>;

/** A delivery target (`email`, `slack`, `webhook`...), registered on a {@link Notifier} by name. */
export interface NotificationChannel {
  readonly name: string;
  /** Delivers one notification; rejects when it could not. Should stop when `signal` aborts. */
  send(notification: WorkflowNotification, signal: AbortSignal): Promise<void>;
}

/** Outcome of delivering to one channel. */
export interface NotificationResult {
  channel: string;
  ok: boolean;
  /** Why delivery failed, when `ok` is false. */
  error?: string;
}

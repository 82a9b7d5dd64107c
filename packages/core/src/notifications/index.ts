/** Failure notifications: a {@link Notifier} of named channels, with log and webhook channels built in. */
export type { WorkflowNotification, NotificationDraft, NotificationChannel, NotificationResult } from './notifier.types.js';
export { Notifier, createChannel, fromEvent, type NotifyOptions } from './notifier.js';
export { LogChannel, type LogChannelOptions } from './log-channel.js';
export { WebhookChannel, WebhookDeliveryError, type WebhookChannelOptions } from './webhook-channel.js';

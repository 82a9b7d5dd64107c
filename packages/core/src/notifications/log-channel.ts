/** A channel that writes notifications to a {@link Logger}. */
import type { Logger } from '../logger.js';
import type { NotificationChannel, WorkflowNotification } from './notifier.types.js';

/** Options of {@link LogChannel}. */
export interface LogChannelOptions {
  /** Channel name; default `log`. */
  name?: string;
  /** Log level; default `error`. */
  level?: 'warn' | 'error';
}

/** Writes one structured log line per notification (`{ notification }`, message naming the workflow). */
export class LogChannel implements NotificationChannel {
  readonly name: string;
  private readonly level: 'warn' | 'error';

  constructor(
    private readonly logger: Logger,
    options: LogChannelOptions = {},
  ) {
    this.name = options.name ?? 'log';
    this.level = options.level ?? 'error';
  }

  async send(notification: WorkflowNotification): Promise<void> {
    const { workflowId, definitionName, error } = notification;
    this.logger[this.level](
      { notification },
      `workflow ${workflowId} (${definitionName}) failed${error.stepId ? ` at step ${error.stepId}` : ''}: ${error.message}`,
    );
  }
}

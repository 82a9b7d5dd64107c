/** The engine's structured logger, written to Nest's `Logger`. */
import { Logger as NestLogger } from '@nestjs/common';
import type { Logger } from '@workflow-mastery/core';

/**
 * A core {@link Logger} over a Nest logger: `logger.warn({ workflowId }, 'message')` becomes
 * `nestLogger.warn('message', { workflowId })`, so it follows the app's logger (`app.useLogger`).
 */
export function nestWorkflowLogger(logger: NestLogger = new NestLogger('WorkflowEngine'), bindings: object = {}): Logger {
  const fields = (obj: object) => (Object.keys(bindings).length ? { ...bindings, ...obj } : obj);
  return {
    debug: (obj, msg) => logger.debug(msg ?? '', fields(obj)),
    info: (obj, msg) => logger.log(msg ?? '', fields(obj)),
    warn: (obj, msg) => logger.warn(msg ?? '', fields(obj)),
    // Errors do not survive JSON: log their stack instead.
    error: (obj, msg) => {
      const all = fields(obj) as { err?: unknown };
      logger.error(msg ?? '', all.err instanceof Error ? { ...all, err: all.err.stack ?? all.err.message } : all);
    },
    child: (more) => nestWorkflowLogger(logger, { ...bindings, ...more }),
  };
}

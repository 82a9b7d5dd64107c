/** `req.workflow`: the engine on every request, typed by augmenting `Express.Request`. */
import type { RequestHandler } from 'express';
import type { WorkflowEngine } from '@workflow-mastery/core';

declare global {
  // Express's own augmentation point for Request (see @types/express-serve-static-core).
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** The workflow engine, set by `workflowMiddleware(engine)`. */
      workflow?: WorkflowEngine;
    }
  }
}

/** Middleware that puts `engine` on `req.workflow` for your own routes. */
export function workflowMiddleware(engine: WorkflowEngine): RequestHandler {
  return (req, _res, next) => {
    req.workflow = engine;
    next();
  };
}

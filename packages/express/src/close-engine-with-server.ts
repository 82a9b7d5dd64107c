/** Tie the engine's lifetime to an HTTP server's. */
import type { Server } from 'node:net';
import type { WorkflowEngine } from '@workflow-mastery/core';

/**
 * Close `engine` once `server` has closed (its `close` event: every connection has ended, so no
 * request is still using the engine). The router never closes the engine itself: it does not know
 * the server, and an engine is often shared with workers and other routers.
 *
 * @returns a promise that resolves once the engine is closed (a failure to close is logged on the
 * engine's logger, never rejected), so a shutdown can `server.close(); await engineClosed`.
 */
export function closeEngineWithServer(server: Server, engine: WorkflowEngine): Promise<void> {
  return new Promise<void>((resolve) => {
    server.once('close', () => {
      engine.close().then(resolve, (error: unknown) => {
        engine.logger.error({ err: error }, 'closing the workflow engine with the server failed');
        resolve();
      });
    });
  });
}

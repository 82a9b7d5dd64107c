/**
 * The API process: the HTTP API under /api on PORT (default 3000; 0 picks a free port), no worker
 * in it: starting an instance, signals and task completions only enqueue. Prints
 * `api listening on <url>` once up; SIGTERM closes it.
 */
import express from 'express';
import { consoleLogger } from '@workflow-mastery/core';
import { closeEngineWithServer, createWorkflowRouter } from '@workflow-mastery/express';
import { buildEngine } from './build-engine.js';
import { configFromEnv } from './config.js';

async function main(): Promise<void> {
  const engine = buildEngine({ config: configFromEnv(), logger: consoleLogger });
  await engine.ready;
  const app = express();
  app.use('/api', createWorkflowRouter({ engine, auth: 'none' }));
  const server = app.listen(Number(process.env.PORT ?? 3000), process.env.HOST ?? '127.0.0.1');
  await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.stdout.write(`api listening on http://127.0.0.1:${port}\n`);
  const closed = closeEngineWithServer(server, engine);
  const stop = () => {
    server.close();
    server.closeAllConnections();
    void closed.then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  console.error(`api: ${(error as Error).message}`);
  process.exit(1);
});

/**
 * `npm run nest-orders`: the NestJS app on PORT (default 3000), the HTTP API under /api, state in
 * `.workflow-data/nestjs-orders/workflows.sqlite` (or PostgreSQL with DATABASE_URL=postgres://...).
 * `-- --demo` places a few orders through the API, prints their final states and exits.
 * Time runs 100× faster in the demo (WM_DEMO_SPEED).
 */
import { scaledClock } from '@workflow-mastery/core';
import { runDemo } from './demo.js';
import { startServer } from './server.js';
import { storageFromEnv } from './storage.js';

const demo = process.argv.includes('--demo');
const port = Number(process.env.PORT ?? (demo ? 0 : 3000));
const speed = Number(process.env.WM_DEMO_SPEED ?? (demo ? 100 : 1));

async function main(): Promise<number> {
  const { storage, description } = storageFromEnv();
  const server = await startServer({ storage, port, host: process.env.HOST ?? '127.0.0.1', ...(speed !== 1 ? { clock: scaledClock(speed) } : {}) });
  process.stdout.write(`order processing on NestJS: ${server.url}/api  storage: ${description}${speed !== 1 ? `  clock ×${speed}` : ''}\n`);
  if (!demo) {
    process.stdout.write(`try: curl -X POST ${server.url}/api/workflows/order_processing/instances -H 'x-user: alice' -H 'content-type: application/json' \\\n`);
    process.stdout.write(`       -d '{"data":{"order":{"id":"X-1","customer":{"email":"a@example.com"},"items":[{"sku":"KB-01","qty":1,"price":89.9}],"total":89.9}}}'\n`);
    return -1; // keep serving until a signal (shutdown hooks close the engine)
  }
  try {
    process.stdout.write('\n');
    return (await runDemo(server.url)) ? 0 : 1;
  } finally {
    await server.close();
  }
}

main().then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);

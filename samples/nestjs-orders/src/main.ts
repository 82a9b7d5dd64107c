/**
 * `npm run nest-orders`: the NestJS app on PORT (default 3000), the HTTP API under /api, the
 * dashboard at /dashboard (sign in with a demo token printed on startup), state in
 * `.workflow-data/nestjs-orders/workflows.sqlite` (or PostgreSQL with DATABASE_URL=postgres://...).
 * `-- --demo` places a few orders through the API, prints their final states and exits.
 * Time runs 100× faster in the demo (WM_DEMO_SPEED).
 */
import { scaledClock } from '@workflow-mastery/core';
import { demoSignInHint, serveOrDemo } from '@workflow-mastery/sample-kit';
import { DASHBOARD_PATH } from './app.module.js';
import { DEMO_TOKENS } from './auth.js';
import { runDemo } from './demo.js';
import { startServer } from './server.js';
import { storageFromEnv } from './storage.js';

const demo = process.argv.includes('--demo');
const port = Number(process.env.PORT ?? (demo ? 0 : 3000));
const speed = Number(process.env.WM_DEMO_SPEED ?? (demo ? 100 : 1));

let description = '';

serveOrDemo({
  demo,
  start: () => {
    const chosen = storageFromEnv();
    description = chosen.description;
    return startServer({ storage: chosen.storage, port, host: process.env.HOST ?? '127.0.0.1', ...(speed !== 1 ? { clock: scaledClock(speed) } : {}) });
  },
  banner: (url) => `order processing on NestJS: ${url}/api  storage: ${description}${speed !== 1 ? `  clock ×${speed}` : ''}`,
  hint: (url) => [
    `try: curl -X POST ${url}/api/workflows/order_processing/instances -H 'x-user: alice' -H 'content-type: application/json' \\`,
    `       -d '{"data":{"order":{"id":"X-1","customer":{"email":"a@example.com"},"items":[{"sku":"KB-01","qty":1,"price":89.9}],"total":89.9}}}'`,
    ...demoSignInHint(`${url}${DASHBOARD_PATH}`, DEMO_TOKENS),
    'demo auth only (x-user header, fixed tokens): see README.md for real wiring',
  ],
  runDemo: (url) => runDemo(url),
  // Nest's shutdown hooks close the engine on a signal.
  closeOnSignals: false,
});

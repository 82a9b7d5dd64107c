/**
 * `npm run express-approvals`: the document approval workflow in an Express 5 app on PORT
 * (default 3000), the HTTP API under /api, the dashboard at /dashboard, state in memory. Principal
 * from a demo token or the `x-user` and `x-role` headers (a demo: see README.md); a task is
 * completed only by the role it is assigned to.
 * `-- --demo` drives one document through every task over HTTP, prints its path and exits.
 */
import { demoSignInHint, serveOrDemo } from '@workflow-mastery/sample-kit';
import { runDemo } from './demo.js';
import { DASHBOARD_PATH, DEMO_TOKENS, startServer } from './app.js';

const demo = process.argv.includes('--demo');

serveOrDemo({
  demo,
  start: () => startServer({ port: Number(process.env.PORT ?? (demo ? 0 : 3000)), host: process.env.HOST ?? '127.0.0.1' }),
  banner: (url) => `document approval on Express: ${url}/api  storage: memory`,
  hint: (url) => [
    `try: curl ${url}/api/tasks?assignedTo=manager_role -H 'authorization: Bearer demo-manager'`,
    ...demoSignInHint(`${url}${DASHBOARD_PATH}`, DEMO_TOKENS),
    'demo auth only (x-user/x-role headers, fixed tokens): see README.md for real wiring',
  ],
  runDemo: (url) => runDemo(url),
});

/**
 * @workflow-mastery/express: the workflow HTTP API for Express 5.
 *
 * ```ts
 * const app = express();
 * app.use(workflowMiddleware(engine)); // req.workflow in your own routes
 * app.use('/workflow', createWorkflowRouter({ engine, principal: (req) => req.user?.id, authorize: (p, op) => ... }));
 * app.use(workflowDashboard({ path: '/dashboard', apiBase: '/workflow' })); // the web dashboard
 * const server = app.listen(3000);
 * closeEngineWithServer(server, engine);
 * ```
 * @packageDocumentation
 */
export { createWorkflowRouter, type WorkflowRouter, type WorkflowRouterOptions } from './workflow-router.js';
export { workflowMiddleware } from './workflow-middleware.js';
export { closeEngineWithServer } from './close-engine-with-server.js';
export { workflowDashboard, type WorkflowDashboardOptions } from './workflow-dashboard.js';

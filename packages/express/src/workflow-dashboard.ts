/** `workflowDashboard()`: the web dashboard as Express middleware. */
import type { RequestHandler } from 'express';
import { createDashboard, type DashboardOptions } from '@workflow-mastery/dashboard';

/** Options of {@link workflowDashboard}. */
export interface WorkflowDashboardOptions {
  /** Path of the dashboard as the browser sees it (`/dashboard`), whatever the middleware is mounted under. */
  path: string;
  /** Where the workflow router is mounted, as the browser sees it (`/api/workflow`), or an absolute URL. */
  apiBase: string;
  /** Header and window title. @defaultValue `Workflow Mastery` */
  title?: string;
  /** Live refresh period in milliseconds. @defaultValue 2000 */
  refreshMs?: number;
}

/**
 * Express middleware serving the web dashboard at `options.path` (GET and HEAD); every other
 * request goes on (`next()`).
 *
 * ```ts
 * app.use('/api/workflow', createWorkflowRouter({ engine, principal, authorize }));
 * app.use(workflowDashboard({ path: '/dashboard', apiBase: '/api/workflow' }));
 * ```
 *
 * The page carries no data and no credentials: it calls the router's API from the browser, with
 * the user's cookies or a token they enter, so `authorize` decides what each user sees.
 *
 * @throws Error for a malformed `path` or `apiBase`.
 */
export function workflowDashboard(options: WorkflowDashboardOptions): RequestHandler {
  const dashboardOptions: DashboardOptions = { basePath: options.path, apiBase: options.apiBase };
  if (options.title !== undefined) dashboardOptions.title = options.title;
  if (options.refreshMs !== undefined) dashboardOptions.refreshMs = options.refreshMs;
  const dashboard = createDashboard(dashboardOptions);
  return (req, res, next) => {
    dashboard.respond(req.method, req.originalUrl, req.headers).then((out) => {
      if (!out) {
        next();
        return;
      }
      res.status(out.status).set(out.headers).end(out.body);
    }, next);
  };
}

/**
 * @workflow-mastery/dashboard: the web dashboard of Workflow Mastery. Plain browser ES modules
 * and CSS (in the package's `assets/`, no CDN, works offline) calling the workflow HTTP API with
 * `fetch`; every adapter mounts it.
 *
 * ```ts
 * const dashboard = createDashboard({ basePath: '/dashboard', apiBase: '/api/workflow' });
 * if (await dashboard.handle(req, res)) return; // in any Node HTTP server
 * ```
 * @packageDocumentation
 */
export { createDashboard, normalizeBasePath } from './create-dashboard.js';
export { dashboardAssetsDir } from './assets-dir.js';
export type { Dashboard, DashboardConfig, DashboardOptions, DashboardRequestHeaders, DashboardResponse } from './dashboard.types.js';

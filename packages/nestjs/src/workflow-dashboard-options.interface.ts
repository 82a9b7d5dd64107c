/** The `dashboard` option of `WorkflowModule`. */

/** Serve the web dashboard (of `@workflow-mastery/dashboard`) next to the HTTP API. */
export interface WorkflowDashboardOptions {
  /**
   * Path of the dashboard, below any global prefix, like a controller's (`'dashboard'` or
   * `'/dashboard'`): with `app.setGlobalPrefix('api')`, the page is at `/api/dashboard`.
   */
  path: string;
  /** Header and window title. @defaultValue `Workflow Mastery` */
  title?: string;
  /**
   * Where the browser reaches the API. @defaultValue the module's HTTP API on this origin
   * (global prefix + `http.prefix`, found from the page's own URL)
   */
  apiBase?: string;
}

/** User-facing messages of the dashboard's server side. */

/** `basePath` is not a path. */
export const basePathInvalidMessage = (value: unknown): string =>
  `createDashboard: basePath must be a path starting with "/" (like "/dashboard"), without "?", "#", ".." or spaces; got ${JSON.stringify(value)}.`;

/** `apiBase` is missing or malformed. */
export const apiBaseInvalidMessage = (value: unknown): string =>
  `createDashboard: apiBase must say where the workflow HTTP API is mounted, as a path ("/api/workflow") or an absolute http(s) URL; got ${JSON.stringify(value)}.`;

/** `refreshMs` is not a positive number. */
export const refreshInvalidMessage = (value: unknown): string =>
  `createDashboard: refreshMs must be a number of milliseconds ≥ 250; got ${JSON.stringify(value)}.`;

/** The assets folder is gone (a broken install). */
export const assetsMissingMessage = (dir: string): string =>
  `@workflow-mastery/dashboard: its assets folder ${dir} is missing or has no index.html; reinstall the package.`;

/** 400: a path trying to leave the assets folder. */
export const TRAVERSAL_MESSAGE = 'Bad request: the path leaves the dashboard.';

/** 404 under the dashboard's path. */
export const NOT_FOUND_MESSAGE = 'Not found: the dashboard has no such file.';

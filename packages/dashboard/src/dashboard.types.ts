/** Options and answers of {@link createDashboard}. */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Options of `createDashboard`. */
export interface DashboardOptions {
  /**
   * Path the dashboard is served under, as the browser sees it (`/dashboard`). The page is at
   * `basePath` and `basePath/`, its scripts and styles below it.
   */
  basePath: string;
  /**
   * Where the workflow HTTP API is mounted, as the browser sees it: a path on this origin
   * (`/api/workflow`) or an absolute URL. The page calls it with `fetch`.
   */
  apiBase: string;
  /** Shown in the header and the window title. @defaultValue `Workflow Mastery` */
  title?: string;
  /** Live refresh period of the page, in milliseconds. @defaultValue 2000 */
  refreshMs?: number;
}

/** What the page receives, injected into `index.html` as JSON. */
export interface DashboardConfig {
  basePath: string;
  apiBase: string;
  title: string;
  refreshMs: number;
}

/** An answer of the dashboard, for adapters that write responses with their own API. */
export interface DashboardResponse {
  status: number;
  headers: Record<string, string>;
  /** Empty for `HEAD` and `304`. */
  body: Buffer;
}

/** Request headers the dashboard reads. */
export interface DashboardRequestHeaders {
  'if-none-match'?: string | string[] | undefined;
  [name: string]: string | string[] | undefined;
}

/** The dashboard: its page and assets, answered for any Node HTTP framework. */
export interface Dashboard {
  /** Normalized `basePath` (no trailing slash; `''` for the root). */
  readonly basePath: string;
  readonly config: DashboardConfig;
  /**
   * The answer to `method url`, or `undefined` when the path is not the dashboard's (or the
   * method is neither GET nor HEAD): then the caller goes on with its own routes.
   */
  respond(method: string, url: string, headers?: DashboardRequestHeaders): Promise<DashboardResponse | undefined>;
  /**
   * Answer a Node request: `true` when the dashboard wrote the response, `false` when the path is
   * not its own (nothing was written).
   */
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
}

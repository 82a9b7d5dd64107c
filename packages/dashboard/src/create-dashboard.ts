/**
 * {@link createDashboard}: the dashboard's page and assets answered for any Node HTTP framework,
 * so each adapter (Express, Fastify, NestJS, the CLI's server) is a thin mapping.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ErrorCode, WorkflowError } from '@workflow-mastery/core';
import { loadAssetFiles, etagOf, type AssetFile } from './asset-files.js';
import { dashboardAssetsDir } from './assets-dir.js';
import {
  apiBaseInvalidMessage,
  basePathInvalidMessage,
  NOT_FOUND_MESSAGE,
  refreshInvalidMessage,
  TRAVERSAL_MESSAGE,
} from './dashboard.messages.js';
import type { Dashboard, DashboardConfig, DashboardOptions, DashboardRequestHeaders, DashboardResponse } from './dashboard.types.js';
import { contentSecurityPolicy, renderIndexHtml } from './index-html.js';

/** Every file is revalidated (its ETag makes that a cheap 304): names carry no content hash. */
const CACHE_ASSET = 'no-cache';
/** The page carries its configuration: never stored by shared caches. */
const CACHE_PAGE = 'no-store';

/** `/dashboard/` → `/dashboard`; `/` → `''`. @throws WorkflowError `WF_INPUT_INVALID` for what is not a plain path. */
export function normalizeBasePath(value: unknown): string {
  if (typeof value !== 'string' || !value.startsWith('/') || /[?#\s\\]|(^|\/)\.\.?(\/|$)/.test(value)) {
    throw new WorkflowError(ErrorCode.InputInvalid, basePathInvalidMessage(value));
  }
  return value.replace(/\/+$/, '');
}

function normalizeApiBase(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '' || /\s/.test(value)) throw new WorkflowError(ErrorCode.InputInvalid, apiBaseInvalidMessage(value));
  if (/^https?:\/\//i.test(value)) {
    try {
      new URL(value);
    } catch {
      throw new WorkflowError(ErrorCode.InputInvalid, apiBaseInvalidMessage(value));
    }
  } else if (!value.startsWith('/')) {
    throw new WorkflowError(ErrorCode.InputInvalid, apiBaseInvalidMessage(value));
  }
  return value.replace(/\/+$/, '');
}

/**
 * An error in the workflow HTTP API's format (`{ error: { code, message } }`), so a client of the
 * API reads the dashboard's refusals the same way. The codes are core's `ErrorCode`s.
 */
function apiError(status: number, code: typeof ErrorCode.BadRequest | typeof ErrorCode.RouteNotFound, message: string): DashboardResponse {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' },
    body: Buffer.from(JSON.stringify({ error: { code, message } })),
  };
}

function matches(etag: string, header: string | string[] | undefined): boolean {
  if (header === undefined) return false;
  const values = (Array.isArray(header) ? header.join(',') : header).split(',').map((v) => v.trim().replace(/^W\//, ''));
  return values.includes('*') || values.includes(etag);
}

/**
 * The dashboard served at `options.basePath`, calling the workflow HTTP API at `options.apiBase`.
 *
 * ```ts
 * const dashboard = createDashboard({ basePath: '/dashboard', apiBase: '/api/workflow' });
 * http.createServer(async (req, res) => {
 *   if (await dashboard.handle(req, res)) return;
 *   // ... the rest of the app
 * });
 * ```
 *
 * Answers GET and HEAD: `basePath` (and `basePath/`, `basePath/index.html`) with the page, its
 * configuration injected as JSON; scripts and styles with their content type, an ETag and
 * `cache-control: no-cache` (304 on `if-none-match`). A path that tries to leave the folder is a
 * 400 `WF_BAD_REQUEST`, an unknown file under `basePath` a 404 `WF_ROUTE_NOT_FOUND`, both in the
 * API's error format. Other paths and methods are not its own.
 *
 * The page has no credentials of its own: it calls the API with what the browser sends (cookies
 * of the same origin) or with a token the user enters, so the API's `authorize` hook decides
 * what each user sees.
 *
 * @throws Error for a malformed `basePath`, `apiBase` or `refreshMs`.
 */
export function createDashboard(options: DashboardOptions): Dashboard {
  const basePath = normalizeBasePath(options?.basePath);
  const apiBase = normalizeApiBase(options.apiBase);
  const refreshMs = options.refreshMs ?? 2000;
  if (typeof refreshMs !== 'number' || !Number.isFinite(refreshMs) || refreshMs < 250) throw new WorkflowError(ErrorCode.InputInvalid, refreshInvalidMessage(options.refreshMs));
  const config: DashboardConfig = Object.freeze({ basePath, apiBase, title: options.title ?? 'Workflow Mastery', refreshMs });
  const csp = contentSecurityPolicy(apiBase);

  let loaded: Promise<{ files: Map<string, AssetFile>; page: AssetFile }> | undefined;
  const load = () => {
    if (!loaded) {
      loaded = loadAssetFiles(dashboardAssetsDir).then((files) => {
        const template = files.get('index.html')!;
        const body = Buffer.from(renderIndexHtml(template.body.toString('utf8'), config));
        return { files, page: { body, contentType: template.contentType, etag: etagOf(body) } };
      });
      // A failed read (a broken install) is retried on the next request.
      loaded.catch(() => {
        loaded = undefined;
      });
    }
    return loaded;
  };

  /** The file a request path names (`''` is the page), `null` for a traversal attempt, `undefined` when not ours. */
  const fileOf = (url: string): string | null | undefined => {
    const rawPath = url.split(/[?#]/, 1)[0]!;
    if (rawPath !== basePath && !rawPath.startsWith(`${basePath}/`)) return undefined;
    let rest: string;
    try {
      rest = decodeURIComponent(rawPath.slice(basePath.length + 1));
    } catch {
      return null;
    }
    if (rest.includes('\\') || rest.includes('\0') || rest.split('/').some((seg) => seg === '..' || seg === '.') || rest.startsWith('/')) return null;
    return rest;
  };

  const respond = async (method: string, url: string, headers: DashboardRequestHeaders = {}): Promise<DashboardResponse | undefined> => {
    const verb = method.toUpperCase();
    if (verb !== 'GET' && verb !== 'HEAD') return undefined;
    const file = fileOf(url);
    if (file === undefined) return undefined;
    if (file === null) return apiError(400, ErrorCode.BadRequest, TRAVERSAL_MESSAGE);
    const { files, page } = await load();
    const isPage = file === '' || file === 'index.html';
    const asset = isPage ? page : files.get(file);
    if (!asset) {
      // At the root, unknown paths are the app's, not a dashboard 404.
      return basePath === '' ? undefined : apiError(404, ErrorCode.RouteNotFound, NOT_FOUND_MESSAGE);
    }
    const out: Record<string, string> = {
      'content-type': asset.contentType,
      'cache-control': isPage ? CACHE_PAGE : CACHE_ASSET,
      etag: asset.etag,
      'x-content-type-options': 'nosniff',
    };
    if (isPage) Object.assign(out, { 'content-security-policy': csp, 'referrer-policy': 'same-origin' });
    if (!isPage && matches(asset.etag, headers['if-none-match'])) return { status: 304, headers: out, body: Buffer.alloc(0) };
    out['content-length'] = String(asset.body.length);
    return { status: 200, headers: out, body: verb === 'HEAD' ? Buffer.alloc(0) : asset.body };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const out = await respond(req.method ?? 'GET', req.url ?? '/', req.headers);
    if (!out) return false;
    res.writeHead(out.status, out.headers);
    res.end(out.body);
    return true;
  };

  return { basePath, config, respond, handle };
}

/**
 * {@link startMetricsServer}: a small node:http server for processes without a web framework
 * (BullMQ workers): `GET /metrics`, `GET /health` (liveness) and `GET /ready` (readiness).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ErrorCode, WorkflowError } from '@workflow-mastery/core';
import { HttpErrorCode, runReadiness, type ReadinessCheck, type WorkflowMetricsSource } from '@workflow-mastery/core/http';
import { badPortMessage, SERVER_METRICS_REQUIRED } from './observability.messages.js';

/** Options of {@link startMetricsServer}. */
export interface MetricsServerOptions {
  /** Port to listen on; 0 picks a free one (read it from `port` on the result). */
  port: number;
  /** @defaultValue `0.0.0.0` (every interface, as a scraper in another container needs) */
  host?: string;
  /** What `GET /metrics` serves: what `createWorkflowMetrics()` returns. */
  metrics: WorkflowMetricsSource;
  /**
   * Checks `GET /ready` runs (storage, the Redis connection...): 200 when all pass, 503 naming the
   * ones that failed. Give `storageCheck(engine)` from core for the storage. @defaultValue none: always ready
   */
  readiness?: readonly ReadinessCheck[];
  /** The same as `readiness` (the name used by the first design notes); both are run. */
  health?: readonly ReadinessCheck[];
  /** How long `GET /ready` waits for each check. @defaultValue 3000 */
  checkTimeoutMs?: number;
}

/** A running metrics server. */
export interface MetricsServer {
  readonly server: Server;
  /** The port it listens on (the one picked when `port` was 0). */
  readonly port: number;
  /** `http://host:port`. */
  readonly url: string;
  /** Stop listening and close open connections. */
  close(): Promise<void>;
}

/**
 * Serve `GET /metrics` (Prometheus text), `GET /health` (200 while the process runs: liveness) and
 * `GET /ready` (runs `readiness`: 200 `{ status: 'ok', checks }`, or 503 with the API's JSON error
 * naming the failed check). Anything else is 404; methods other than GET and HEAD are 405.
 *
 * ```ts
 * const server = await startMetricsServer({ port: 9464, metrics: createWorkflowMetrics({ engine }), readiness: [storageCheck(engine)] });
 * ```
 * @throws WorkflowError `WF_INPUT_INVALID` when `metrics` is missing or `port` is not a valid port; rejects when it cannot listen (port taken).
 */
export async function startMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  const { metrics, host = '0.0.0.0', checkTimeoutMs = 3000 } = options;
  if (!metrics || typeof metrics.metrics !== 'function' || typeof metrics.contentType !== 'string') throw new WorkflowError(ErrorCode.InputInvalid, SERVER_METRICS_REQUIRED);
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) throw new WorkflowError(ErrorCode.InputInvalid, badPortMessage(options.port));
  const checks = [...(options.readiness ?? []), ...(options.health ?? [])];

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0]!.replace(/\/+$/, '') || '/';
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      json(res, 405, { error: { code: ErrorCode.MethodNotAllowed, message: `${req.method} is not allowed; use GET` } }, { allow: 'GET, HEAD' });
      return;
    }
    switch (path) {
      case '/metrics': {
        const text = await metrics.metrics();
        res.writeHead(200, { 'content-type': metrics.contentType, 'content-length': Buffer.byteLength(text) });
        res.end(req.method === 'HEAD' ? undefined : text);
        return;
      }
      case '/health':
        json(res, 200, { status: 'ok' });
        return;
      case '/ready':
        try {
          json(res, 200, { status: 'ok', checks: await runReadiness(checks, checkTimeoutMs) });
        } catch (error) {
          const e = error as { code?: string; message: string; details?: unknown };
          json(res, 503, { error: { code: e.code ?? HttpErrorCode.Unavailable, message: e.message, ...(e.details ? { details: e.details } : {}) } });
        }
        return;
      default:
        json(res, 404, { error: { code: HttpErrorCode.RouteNotFound, message: `No route ${path}; this server answers /metrics, /health and /ready.` } });
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      json(res, 500, { error: { code: HttpErrorCode.Internal, message: `Collecting metrics failed: ${error instanceof Error ? error.message : String(error)}` } });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return {
    server,
    port,
    url: `http://${shownHost}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** `serve`: the HTTP API on Express, until SIGTERM/SIGINT. */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UsageError } from '../cli-error.js';
import { SERVE_AUTH_REQUIRED } from '../cli.messages.js';
import type { CliCommand } from '../command.types.js';
import type { ApiAuth } from '../http-app.js';
import { shutdownSignal } from '../until-interrupted.js';

interface ServeOptions {
  port: string;
  host?: string;
  auth?: string;
  token?: string;
}

function authOf(opts: ServeOptions): ApiAuth {
  if (opts.auth !== undefined && opts.auth !== 'none') throw new UsageError(`--auth "${opts.auth}" is not supported; use --auth none, or --token TOKEN`);
  if (opts.auth === 'none' && opts.token) throw new UsageError('--auth none and --token exclude each other');
  if (opts.auth === 'none') return { kind: 'none' };
  if (opts.token) return { kind: 'token', token: opts.token };
  throw new UsageError(SERVE_AUTH_REQUIRED);
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be 0-65535, got "${value}"`);
  return port;
}

/** `workflow-mastery serve`. */
export const serveCommand: CliCommand = {
  name: 'serve',
  register(program, runtime) {
    program
      .command('serve')
      .description('serve the HTTP API (and run workflows when --module gives actions) until SIGTERM')
      .option('-p, --port <port>', 'port to listen on (0: any free port)', process.env.PORT ?? '3000')
      .option('--host <host>', 'address to listen on (default: all)')
      .option('--auth <mode>', '"none": open the API to anyone (an explicit choice)')
      .option('--token <token>', 'require "Authorization: Bearer <token>" (env: WORKFLOW_API_TOKEN)', process.env.WORKFLOW_API_TOKEN)
      .action(
        runtime.action<ServeOptions>(async (session, _args, opts) => {
          const auth = authOf(opts);
          const port = parsePort(opts.port);
          const sources = await session.sources();
          const runsWork = Object.keys(sources.actions).length > 0;
          // A server logs its failures (every 5xx, with its cause) even when it runs no steps.
          const engine = await session.engine(runsWork ? 'serve' : 'hand-off', sources, { logLevel: 'warn' });
          // Express loads only for this command.
          const { API_BASE, UI_PATH, createHttpApp } = await import('../http-app.js');
          const { listen } = await import('../listen.js');
          const { createWorkflowMetrics } = await import('@workflow-mastery/observability');
          const metrics = createWorkflowMetrics({ engine });
          let ready = true;
          const app = createHttpApp({ engine, auth, isReady: () => ready, metrics });
          const server: Server = await listen(app, port, opts.host);
          const { port: actual, address } = server.address() as AddressInfo;
          const host = address.includes(':') ? `[${address === '::' ? '::1' : address}]` : address === '0.0.0.0' ? '127.0.0.1' : address;
          const url = `http://${host}:${actual}`;
          const out = session.out;
          out.document({ url, api: `${url}${API_BASE}`, ui: `${url}${UI_PATH}`, storage: session.describeDatabase(), runsWorkflows: runsWork, auth: auth.kind });
          out.line(`${out.c.green('●')} listening on ${url} (API ${API_BASE}, dashboard ${UI_PATH}, health ${API_BASE}/health, ready ${API_BASE}/ready, metrics ${API_BASE}/metrics)`);
          out.line(out.c.dim(`storage: ${session.describeDatabase()}; ${runsWork ? `runs workflows with ${Object.keys(sources.actions).length} action(s)` : 'runs no workflow steps (no --module actions)'}; auth: ${auth.kind}`));
          const signal = await shutdownSignal();
          ready = false;
          out.note(`${signal}: closing (in-flight requests and steps finish first)`);
          await new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeIdleConnections();
          });
          metrics.close();
          // The session closes the engine (and its storage) after this returns.
        }),
      );
  },
};

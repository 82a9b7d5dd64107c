/** The web dashboard on Fastify: `GET <path>` and `GET <path>/*`, answered by the dashboard package. */
import type { FastifyInstance } from 'fastify';
import { createDashboard, type DashboardOptions } from '@workflow-mastery/dashboard';

/** The `dashboard` option of `fastifyWorkflow`. */
export interface FastifyDashboardOptions {
  /** Path of the dashboard as the browser sees it (`/dashboard`); not below the plugin's `prefix`. */
  path: string;
  /** Header and window title. @defaultValue `Workflow Mastery` */
  title?: string;
  /**
   * Where the browser reaches the API, when it is not the plugin's `prefix` on this origin
   * (behind a proxy that rewrites paths). @defaultValue the plugin's `prefix`
   */
  apiBase?: string;
}

/**
 * Register the dashboard's routes on `fastify` (HEAD comes with GET). Not in the API's
 * encapsulated scope: its JSON parser and error handler do not apply to the page.
 */
export function registerDashboard(fastify: FastifyInstance, options: FastifyDashboardOptions, prefix: string): void {
  const config: DashboardOptions = { basePath: options.path, apiBase: options.apiBase ?? (prefix === '' ? '/' : prefix) };
  if (options.title !== undefined) config.title = options.title;
  const dashboard = createDashboard(config);
  const base = dashboard.basePath;
  for (const url of base === '' ? ['/', '/*'] : [base, `${base}/`, `${base}/*`]) {
    fastify.get(url, async (request, reply) => {
      const out = await dashboard.respond(request.method, request.url, request.headers);
      if (!out) return reply.callNotFound();
      return reply.code(out.status).headers(out.headers).send(out.body);
    });
  }
}

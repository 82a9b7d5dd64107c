/**
 * The web dashboard as a Nest controller in its own module: `GET <path>` and `GET <path>/*`
 * answered by `@workflow-mastery/dashboard`, written through the platform's `HttpAdapter`
 * (Express or Fastify).
 */
import { Controller, Get, Module, Req, Res, StreamableFile, type DynamicModule, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants.js';
import { HttpAdapterHost } from '@nestjs/core';
import { createDashboard, normalizeBasePath, type Dashboard, type DashboardOptions } from '@workflow-mastery/dashboard';
import { normalizePrefix } from './workflow.controller.js';
import { DASHBOARD_NEEDS_API, DASHBOARD_PATH_INVALID } from './workflow.messages.js';
import type { WorkflowDashboardOptions } from './workflow-dashboard-options.interface.js';
import type { WorkflowHttpOptions } from './workflow-http-options.interface.js';
import { WorkflowModuleConfigError } from './workflow-module-config.error.js';

/**
 * The route paths of the dashboard at `path` for the platform: Express 5 (path-to-regexp) wants a
 * named, optional wildcard, Fastify (find-my-way) a trailing `*`; neither accepts the other's.
 */
export function dashboardRoutePaths(path: string, platform: string | undefined): string[] {
  return [path, platform === 'fastify' ? `${path}/*` : `${path}/{*path}`];
}

/**
 * A module whose controller serves the dashboard at `options.path`. The global prefix is only
 * known once the app runs, so the dashboard (its base path and the API's) is built from the first
 * request's URL; the platform is only known then too, so the module's `configure` (which Nest runs
 * before it registers routes) sets the wildcard route in the platform's syntax.
 *
 * @throws WorkflowModuleConfigError for a malformed path, or without an API to call (`http` off and no `apiBase`).
 */
export function createWorkflowDashboardModule(options: WorkflowDashboardOptions, http: WorkflowHttpOptions | false | undefined): DynamicModule {
  const path = normalizePrefix(options?.path);
  try {
    normalizeBasePath(`/${path}`);
  } catch {
    throw new WorkflowModuleConfigError(DASHBOARD_PATH_INVALID(options?.path));
  }
  if (path === '') throw new WorkflowModuleConfigError(DASHBOARD_PATH_INVALID(options?.path));
  if (!http && options.apiBase === undefined) throw new WorkflowModuleConfigError(DASHBOARD_NEEDS_API);
  const apiPrefix = http ? normalizePrefix(http.prefix) : '';
  const dashboards = new Map<string, Dashboard>();

  /** The dashboard for the global prefix `global` (`''` or `/api`). */
  const dashboardFor = (global: string): Dashboard => {
    let dashboard = dashboards.get(global);
    if (!dashboard) {
      const config: DashboardOptions = { basePath: `${global}/${path}`, apiBase: options.apiBase ?? (`${global}/${apiPrefix}`.replace(/\/+$/, '') || '/') };
      if (options.title !== undefined) config.title = options.title;
      dashboard = createDashboard(config);
      dashboards.set(global, dashboard);
    }
    return dashboard;
  };

  @Controller()
  class WorkflowDashboardController {
    constructor(private readonly adapterHost: HttpAdapterHost) {}

    @Get(dashboardRoutePaths(path, 'express'))
    async serve(@Req() req: { headers: Record<string, string | string[] | undefined> }, @Res() res: unknown): Promise<void> {
      const adapter = this.adapterHost.httpAdapter;
      const url: string = adapter.getRequestUrl(req);
      const pathname = url.split(/[?#]/, 1)[0]!;
      const at = pathname.indexOf(`/${path}`);
      const dashboard = dashboardFor(at > 0 ? pathname.slice(0, at) : '');
      const out = await dashboard.respond(adapter.getRequestMethod(req), url, req.headers);
      if (!out) {
        adapter.reply(res, { statusCode: 404, message: 'Not found' }, 404);
        return;
      }
      for (const [name, value] of Object.entries(out.headers)) adapter.setHeader(res, name, value);
      adapter.reply(res, new StreamableFile(out.body), out.status);
    }
  }

  @Module({})
  class WorkflowDashboardModule implements NestModule {
    configure(consumer: MiddlewareConsumer): void {
      const platform = (consumer as MiddlewareConsumer & { getHttpAdapter?(): { getType(): string } | undefined }).getHttpAdapter?.()?.getType();
      Reflect.defineMetadata(PATH_METADATA, dashboardRoutePaths(path, platform), WorkflowDashboardController.prototype.serve);
    }
  }
  return { module: WorkflowDashboardModule, controllers: [WorkflowDashboardController] };
}

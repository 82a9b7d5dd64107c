/**
 * The Fastify app: the CI/CD pipeline engine, the workflow HTTP API under `/api` and the dashboard
 * at `/dashboard`. Auth is a demo (client-chosen headers, fixed tokens): see README.md.
 */
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { createChannel, Notifier, WorkflowEngine, type WorkflowEngineOptions, type WorkflowNotification } from '@workflow-mastery/core';
import { fastifyWorkflow, workflowFrameworkErrors } from '@workflow-mastery/fastify';
import { headerPrincipal, roleAuthorizer, type DemoTokens } from '@workflow-mastery/sample-kit';
import { cicdPipelineWorkflow } from '@workflow-mastery/sample-cicd-pipeline/cicd-pipeline.workflow';
import { DemoServices } from '@workflow-mastery/sample-cicd-pipeline/demo-services';
import { pipelineActions } from '@workflow-mastery/sample-cicd-pipeline/pipeline-actions';

/** Where the dashboard is served. */
export const DASHBOARD_PATH = '/dashboard';

/** DEMO ONLY: tokens for the dashboard's "Sign in with a token", one per role. */
export const DEMO_TOKENS: DemoTokens = {
  'demo-developer': { id: 'dev', role: 'developer' },
  'demo-release': { id: 'rae', role: 'release_manager' },
  'demo-admin': { id: 'ada', role: 'admin' },
};

/** Options of {@link createApp}. */
export interface AppOptions extends Pick<WorkflowEngineOptions, 'storage' | 'clock' | 'logger'> {
  /** Where the `slack` and `pagerduty` demo channels post. @defaultValue nowhere (kept in `services.notifications`) */
  write?: (line: string) => void;
}

const summary = (n: WorkflowNotification) => `${n.definitionName} ${n.workflowId} failed at ${n.error.stepId ?? '?'}: ${n.error.message}`;

/** An app with its engine (storage: memory unless given); closing the app closes the engine. */
export async function createApp(options: AppOptions = {}): Promise<{ app: FastifyInstance; engine: WorkflowEngine; services: DemoServices }> {
  const { write, ...engineOptions } = options;
  const services = new DemoServices(options.clock);
  services.onNotification = (r) => write?.(`📣 ${r.channel}: ${r.text}`);
  const notifier = new Notifier([
    createChannel('slack', (n) => services.receive({ channel: 'slack', notification: n, text: `#releases: ${summary(n)}` })),
    createChannel('pagerduty', (n) => services.receive({ channel: 'pagerduty', notification: n, text: `incident opened: ${summary(n)}` })),
  ]);
  const engine = new WorkflowEngine({ ...engineOptions, notifier });
  engine.registerActions(pipelineActions, (cls) => new cls(services));
  engine.registerDefinition(cicdPipelineWorkflow);
  // Bad percent-encoding under /api answers the API's 400 (Fastify's router raises it before any plugin runs).
  const app = Fastify({ frameworkErrors: workflowFrameworkErrors({ prefix: '/api' }) });
  await app.register(fastifyWorkflow, {
    engine,
    prefix: '/api',
    principal: (req) => headerPrincipal(req.headers, 'developer', DEMO_TOKENS),
    authorize: roleAuthorizer(engine),
    dashboard: { path: DASHBOARD_PATH, title: 'Release pipeline' },
  });
  app.addHook('onClose', async () => engine.close());
  return { app, engine, services };
}

/** A listening app and its base URL (`http://127.0.0.1:<port>`). */
export interface RunningServer {
  url: string;
  app: FastifyInstance;
  services: DemoServices;
  /** Closes the server, then the engine. */
  close(): Promise<void>;
}

export async function startServer(options: AppOptions & { port?: number; host?: string } = {}): Promise<RunningServer> {
  const { port = 0, host = '127.0.0.1', ...appOptions } = options;
  const { app, engine, services } = await createApp(appOptions);
  await engine.ready;
  await app.listen({ port, host });
  const url = `http://${host}:${(app.server.address() as AddressInfo).port}`;
  return { url, app, services, close: () => app.close() };
}

/**
 * The Express app: the document approval engine, the workflow HTTP API under `/api` and the
 * dashboard at `/dashboard`. Auth is a demo (client-chosen headers, fixed tokens): see README.md.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express } from 'express';
import { WorkflowEngine, type WorkflowEngineOptions } from '@workflow-mastery/core';
import { closeEngineWithServer, createWorkflowRouter, workflowDashboard } from '@workflow-mastery/express';
import { headerPrincipal, roleAuthorizer, type DemoTokens } from '@workflow-mastery/sample-kit';
import { DemoServices } from '@workflow-mastery/sample-document-approval/demo-services';
import { documentActions } from '@workflow-mastery/sample-document-approval/document-actions';
import { documentApprovalWorkflow } from '@workflow-mastery/sample-document-approval/document-approval.workflow';

/** Options of {@link createApp}. */
export type AppOptions = Pick<WorkflowEngineOptions, 'storage' | 'clock' | 'logger'>;

/** Where the dashboard is served. */
export const DASHBOARD_PATH = '/dashboard';

/** DEMO ONLY: tokens for the dashboard's "Sign in with a token", one per role of the workflow. */
export const DEMO_TOKENS: DemoTokens = {
  'demo-author': { id: 'adam', role: 'author' },
  'demo-manager': { id: 'mia', role: 'manager_role' },
  'demo-legal': { id: 'lee', role: 'legal_team' },
  'demo-compliance': { id: 'cole', role: 'compliance_team' },
  'demo-executive': { id: 'eve', role: 'executive_role' },
  'demo-admin': { id: 'ada', role: 'admin' },
};

/** An app with its engine (storage: memory unless given). */
export function createApp(options: AppOptions = {}): { app: Express; engine: WorkflowEngine; services: DemoServices } {
  const services = new DemoServices(options.clock);
  const engine = new WorkflowEngine({ ...options });
  engine.registerActions(documentActions, (cls) => new cls(services));
  engine.registerDefinition(documentApprovalWorkflow);
  const app = express();
  app.use('/api', createWorkflowRouter({ engine, principal: (req) => headerPrincipal(req.headers, 'author', DEMO_TOKENS), authorize: roleAuthorizer(engine) }));
  app.use(workflowDashboard({ path: DASHBOARD_PATH, apiBase: '/api', title: 'Document approvals' }));
  return { app, engine, services };
}

/** A listening app and its base URL (`http://127.0.0.1:<port>`). */
export interface RunningServer {
  url: string;
  engine: WorkflowEngine;
  server: Server;
  /** Stops listening, then closes the engine. */
  close(): Promise<void>;
}

export async function startServer(options: AppOptions & { port?: number; host?: string } = {}): Promise<RunningServer> {
  const { port = 0, host = '127.0.0.1', ...appOptions } = options;
  const { app, engine } = createApp(appOptions);
  await engine.ready;
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(port, host, (error?: Error) => (error ? reject(error) : resolve(s)));
  });
  const engineClosed = closeEngineWithServer(server, engine);
  const url = `http://${host}:${(server.address() as AddressInfo).port}`;
  return {
    url,
    engine,
    server,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await engineClosed;
    },
  };
}

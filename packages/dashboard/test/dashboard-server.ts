/**
 * What the dashboard's browser-test servers share: an engine's API and dashboard served by Express
 * on a free port, signed in with bearer tokens.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { WorkflowEngine } from '@workflow-mastery/core';
import type { AuthorizeHook, WorkflowPrincipal } from '@workflow-mastery/core/http';
import { closeEngineWithServer, createWorkflowRouter, workflowDashboard } from '@workflow-mastery/express';

/** A running server. */
export interface DashboardServer {
  url: string;
  engine: WorkflowEngine;
  close(): Promise<void>;
}

/** `Authorization: Bearer <token>` → that token's user, else none (401). */
export function bearerPrincipal(users: Record<string, { id: string; roles: string[] }>): (req: express.Request) => WorkflowPrincipal | undefined {
  return (req) => {
    const match = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '');
    const user = match ? users[match[1]!] : undefined;
    return user ? { id: user.id, roles: user.roles } : undefined;
  };
}

/** Serves `engine`'s API under `/api` and the dashboard under `/dashboard` on a free port. */
export async function serveWithDashboard(
  engine: WorkflowEngine,
  options: { principal: (req: express.Request) => WorkflowPrincipal | undefined; authorize: AuthorizeHook; title: string },
): Promise<DashboardServer> {
  const app = express();
  app.use('/api', createWorkflowRouter({ engine, principal: options.principal, authorize: options.authorize }));
  app.use(workflowDashboard({ path: '/dashboard', apiBase: '/api', title: options.title }));
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const closed = closeEngineWithServer(server, engine);
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    engine,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await closed;
    },
  };
}

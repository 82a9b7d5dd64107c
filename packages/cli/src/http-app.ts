/** The Express app `serve` runs: the workflow API under `/api`, its metrics, and the dashboard at `/ui`. */
import express, { type Express } from 'express';
import { createWorkflowRouter, workflowDashboard } from '@workflow-mastery/express';
import { ErrorCode, WorkflowError, type WorkflowEngine } from '@workflow-mastery/core';
import type { ReadinessCheck, WorkflowMetricsSource, WorkflowOperation } from '@workflow-mastery/core/http';
import { bearerPrincipal } from './bearer-token.js';

/** How the API is guarded. */
export type ApiAuth = { kind: 'none' } | { kind: 'token'; token: string };

/** Options of {@link createHttpApp}. */
export interface HttpAppOptions {
  engine: WorkflowEngine;
  auth: ApiAuth;
  /** False once shutting down: `/api/ready` answers 503 so load balancers stop sending traffic. */
  isReady: () => boolean;
  /** What `/api/metrics` serves (the engine's Prometheus metrics). */
  metrics?: WorkflowMetricsSource;
}

/** Where the API is mounted. */
export const API_BASE = '/api';
/** Where the web dashboard is served. */
export const UI_PATH = '/ui';

/** Probes and scrapers need no token. */
const PUBLIC_OPERATIONS: readonly WorkflowOperation[] = ['health.read', 'ready.read', 'metrics.read'];

/**
 * `/api/*`: the workflow HTTP API (health, readiness and metrics open to probes and scrapers, the
 * rest behind the token unless `auth` is none); `/api/ready` answers 503 once shutting down;
 * `/ui`: the dashboard, which calls `/api` from the browser (with the token the user enters).
 */
export function createHttpApp({ engine, auth, isReady, metrics }: HttpAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  const shutdown: ReadinessCheck = {
    name: 'shutdown',
    check: async () => {
      if (!isReady()) throw new WorkflowError(ErrorCode.Unavailable, 'shutting down');
    },
  };
  // With the BullMQ runner (--redis), the queue's Redis connection is part of being ready.
  const runner = engine.runner as { ping?: () => Promise<void> };
  const queue: ReadinessCheck[] = typeof runner.ping === 'function' ? [{ name: 'queue', check: () => runner.ping!() }] : [];
  const common = { engine, readiness: [shutdown, ...queue], ...(metrics ? { metrics } : {}) };
  const router =
    auth.kind === 'none'
      ? createWorkflowRouter({ ...common, auth: 'none' })
      : createWorkflowRouter({ ...common, principal: bearerPrincipal(auth.token), authorize: () => true, publicOperations: PUBLIC_OPERATIONS });
  app.use(API_BASE, router);
  app.use(workflowDashboard({ path: UI_PATH, apiBase: API_BASE }));
  app.get('/', (_req, res) => {
    res.json({ name: 'workflow-mastery', api: API_BASE, ui: UI_PATH, openapi: `${API_BASE}/openapi.json`, health: `${API_BASE}/health`, ready: `${API_BASE}/ready` });
  });
  return app;
}

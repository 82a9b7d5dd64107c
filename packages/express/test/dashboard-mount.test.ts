/** Core's dashboard-mount contract on Express: `workflowDashboard()` next to `createWorkflowRouter()`, over a listening server. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { runDashboardMountContract } from '@workflow-mastery/core/testing';
import { createWorkflowRouter, workflowDashboard } from '../src/index.js';
import { closeServer, listen } from './http-client.js';

runDashboardMountContract('express', async (engine) => {
  const app = express();
  app.use('/api/workflow', createWorkflowRouter({ engine, auth: 'none' }));
  app.use(workflowDashboard({ path: '/admin/workflows', apiBase: '/api/workflow' }));
  const server = await listen(createServer(app));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    path: '/admin/workflows',
    close: () => closeServer(server),
  };
});

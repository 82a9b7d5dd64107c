import { createServer } from 'node:http';
import express from 'express';
import { runHttpContract } from '@workflow-mastery/core/testing';
import { createWorkflowRouter } from '../src/index.js';
import { fetchClient, listen } from './http-client.js';

runHttpContract('express (mounted at /api/workflow)', async (options) => {
  const app = express();
  app.use('/api/workflow', createWorkflowRouter(options));
  const server = await listen(createServer(app));
  return fetchClient(server, '/api/workflow');
});

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { fetchContractClient, runHttpContract } from '@workflow-mastery/core/testing';
import { createWorkflowRouter } from '../src/index.js';
import { closeServer, listen } from './http-client.js';

runHttpContract('express (mounted at /api/workflow)', async (options) => {
  const app = express();
  app.use('/api/workflow', createWorkflowRouter(options));
  const server = await listen(createServer(app));
  return fetchContractClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/workflow`, () => closeServer(server));
}, { hostile: true });

/** Core's dashboard-mount contract on Fastify: the plugin's `dashboard` option, over a listening server. */
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { runDashboardMountContract } from '@workflow-mastery/core/testing';
import { fastifyWorkflow } from '../src/index.js';

runDashboardMountContract('fastify', async (engine) => {
  const app = Fastify({ logger: false });
  await app.register(fastifyWorkflow, { engine, prefix: '/workflow', auth: 'none', dashboard: { path: '/dashboard' } });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { origin: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`, path: '/dashboard', close: () => app.close() };
});

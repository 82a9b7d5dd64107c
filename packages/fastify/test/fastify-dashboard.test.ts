/** The plugin's `dashboard` option beyond core's dashboard-mount contract (dashboard-mount.test.ts). */
import { afterEach, describe, expect, it } from '@jest/globals';
import Fastify from 'fastify';
import { silentLogger } from '@workflow-mastery/core';
import { fastifyWorkflow } from '../src/index.js';

const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

describe('fastifyWorkflow({ dashboard })', () => {
  it('refuses a malformed dashboard path without leaving an engine open', async () => {
    const app = Fastify({ logger: false });
    cleanup.push(() => app.close());
    await expect(app.register(fastifyWorkflow, { engineOptions: { logger: silentLogger }, auth: 'none', dashboard: { path: 'dashboard' } })).rejects.toThrow(/basePath must be a path starting with "\/"/);
  });
});

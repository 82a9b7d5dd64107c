/**
 * Core's dashboard-mount contract on Nest, on both platforms (Express and Fastify): the module's
 * `dashboard` option next to its HTTP API, under a global prefix, over a listening server.
 */
import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { WorkflowEngine } from '@workflow-mastery/core';
import { runDashboardMountContract, type DashboardMountFactory } from '@workflow-mastery/core/testing';
import { WorkflowModule } from '../src/index.js';

function nestMount(platform: 'express' | 'fastify'): DashboardMountFactory {
  return async (engine) => {
    const moduleRef = await Test.createTestingModule({
      imports: [WorkflowModule.forRoot({ http: { prefix: 'wf', auth: 'none' }, dashboard: { path: '/ops/dashboard', title: 'Nest ops' } })],
    })
      .overrideProvider(WorkflowEngine)
      .useValue(engine)
      .compile();
    const app: INestApplication = platform === 'fastify' ? moduleRef.createNestApplication(new FastifyAdapter(), { logger: false }) : moduleRef.createNestApplication({ logger: false });
    app.setGlobalPrefix('api');
    await app.listen(0, '127.0.0.1');
    return { origin: (await app.getUrl()).replace('[::1]', '127.0.0.1'), path: '/api/ops/dashboard', close: () => app.close() };
  };
}

runDashboardMountContract('nestjs (platform-express)', nestMount('express'));
runDashboardMountContract('nestjs (platform-fastify)', nestMount('fastify'));

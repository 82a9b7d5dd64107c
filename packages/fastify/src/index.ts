/**
 * @workflow-mastery/fastify: the workflow HTTP API for Fastify 5, as a plugin.
 *
 * ```ts
 * const app = Fastify();
 * await app.register(fastifyWorkflow, { engine, prefix: '/workflow', principal: (req) => req.user?.id, authorize });
 * app.workflow.start('order_processing', data);
 * ```
 * @packageDocumentation
 */
import './fastify-augmentation.js';

export { fastifyWorkflow, type FastifyWorkflowOptions } from './fastify-workflow.plugin.js';
export type { FastifyDashboardOptions } from './fastify-dashboard.js';
export { workflowFrameworkErrors, type WorkflowFrameworkErrorsOptions } from './fastify-framework-errors.js';

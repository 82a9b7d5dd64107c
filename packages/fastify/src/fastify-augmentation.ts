/** `fastify.workflow`, typed by module augmentation. */
import type { WorkflowEngine } from '@workflow-mastery/core';

declare module 'fastify' {
  interface FastifyInstance {
    /** The workflow engine, decorated by the `fastifyWorkflow` plugin. */
    workflow: WorkflowEngine;
  }
}

export {};

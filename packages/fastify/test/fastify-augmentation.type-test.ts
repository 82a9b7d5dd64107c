/**
 * Type test of `fastify.workflow` (the plugin's module augmentation), checked by
 * `npx tsc -p tsconfig.test.json` and never run: each `@ts-expect-error` must meet an error, so a
 * broken or loosened augmentation fails the typecheck.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import type { InstanceRecord, WorkflowEngine } from '@workflow-mastery/core';
import { fastifyWorkflow } from '../src/index.js';

/** True only when A and B are the same type (not merely assignable). */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

const exact: Equal<FastifyInstance['workflow'], WorkflowEngine> = true;
void exact;

export async function typedUses(): Promise<void> {
  const app = Fastify();
  await app.register(fastifyWorkflow, { engineOptions: {}, auth: 'none' });

  // Positive: the engine, on the instance and in routes (`this` and `request.server`).
  const started: InstanceRecord = await app.workflow.start('order', { total: 3 });
  await app.workflow.signal(started.id, 'approved', { by: 'ann' });
  app.get('/orders/:id', async function (request) {
    const fromThis: InstanceRecord = await this.workflow.getInstance((request.params as { id: string }).id);
    const fromServer: WorkflowEngine = request.server.workflow;
    return { state: fromThis.state, open: fromServer !== undefined };
  });

  // Negative: what the augmentation must refuse.
  // @ts-expect-error no such method on the engine
  await app.workflow.begin('order');
  // @ts-expect-error a definition is a name or a definition, not a number
  await app.workflow.start(42);
  // @ts-expect-error instance data is a JSON object, not a string
  await app.workflow.start('order', 'total=3');
  // @ts-expect-error the engine is not a string
  const asText: string = app.workflow;
  void asText;
  // @ts-expect-error the decoration is `workflow`, not `workflows`
  void app.workflows;
}

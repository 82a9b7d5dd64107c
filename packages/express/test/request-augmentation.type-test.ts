/**
 * Type test of `req.workflow` (the package's augmentation of `Express.Request`), checked by
 * `npx tsc -p tsconfig.test.json` and never run: each `@ts-expect-error` must meet an error, so a
 * broken or loosened augmentation fails the typecheck.
 */
import express, { type Request } from 'express';
import type { InstanceRecord, WorkflowEngine } from '@workflow-mastery/core';
import { workflowMiddleware } from '../src/index.js';

/** True only when A and B are the same type (not merely assignable). */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

// Optional: only requests behind `workflowMiddleware(engine)` carry it.
const exact: Equal<Request['workflow'], WorkflowEngine | undefined> = true;
void exact;

export function typedUses(engine: WorkflowEngine): void {
  const app = express();
  app.use(workflowMiddleware(engine));

  // Positive: the engine on the request of the app's own routes.
  app.post('/orders', async (req, res) => {
    const started: InstanceRecord | undefined = await req.workflow?.start('order', { total: 3 });
    if (req.workflow && started) await req.workflow.signal(started.id, 'approved', { by: 'ann' });
    res.json(started);
  });
  const router = express.Router();
  router.get('/orders/:id', async (req, res) => {
    const engineOfRequest: WorkflowEngine = req.workflow!;
    res.json(await engineOfRequest.getInstance(req.params.id));
  });

  // Negative: what the augmentation must refuse.
  app.get('/wrong', async (req) => {
    // @ts-expect-error no such method on the engine
    await req.workflow?.begin('order');
    // @ts-expect-error a definition is a name or a definition, not a number
    await req.workflow?.start(42);
    // @ts-expect-error instance data is a JSON object, not a string
    await req.workflow?.start('order', 'total=3');
    // @ts-expect-error possibly undefined: it is set by workflowMiddleware only
    await req.workflow.getInstance('id');
    // @ts-expect-error only an engine can be put there
    req.workflow = 'engine';
    // @ts-expect-error the property is `workflow`, not `workflows`
    void req.workflows;
  });
}

/**
 * Core's HTTP contract against a real Nest app (Express platform): the module's controller, under
 * a global prefix and the module's `http.prefix`, over the suite's engine (swapped in with
 * `overrideProvider(WorkflowEngine)`, as an app's e2e tests would).
 *
 * The app runs with `bodyParser: false`, so the controller reads bodies itself and a malformed
 * one is the API's 400 `WF_BAD_JSON`; with Nest's default parser that one case is answered by
 * Nest's parser instead (see the body-parser cases in workflow-http.test.ts).
 */
import 'reflect-metadata';
import { Test } from '@nestjs/testing';
import { WorkflowEngine } from '@workflow-mastery/core';
import { runHttpContract } from '@workflow-mastery/core/testing';
import { WorkflowModule } from '../src/index.js';
import { nestClient } from './http-client.js';

runHttpContract('nestjs', async ({ engine, principal, authorize, auth, metrics, readiness }) => {
  const moduleRef = await Test.createTestingModule({
    imports: [
      WorkflowModule.forRoot({
        http: { prefix: 'workflow', principal, ...(authorize ? { authorize } : {}), ...(auth ? { auth } : {}), ...(metrics ? { metrics } : {}), ...(readiness ? { readiness } : {}) },
      }),
    ],
  })
    .overrideProvider(WorkflowEngine)
    .useValue(engine)
    .compile();
  const app = moduleRef.createNestApplication({ bodyParser: false, logger: false });
  app.setGlobalPrefix('api');
  await app.init();
  return nestClient(app, '/api/workflow');
});

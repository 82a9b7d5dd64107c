/**
 * Core's HTTP contract against a real Nest app (Express platform): the module's controller, under
 * a global prefix and the module's `http.prefix`, over the suite's engine (swapped in with
 * `overrideProvider(WorkflowEngine)`, as an app's e2e tests would).
 *
 * Run with Nest's default body parser and with `bodyParser: false`: the controller reads the
 * workflow routes' bodies itself either way (the module's body gate keeps the app's parser off them).
 */
import 'reflect-metadata';
import { Test } from '@nestjs/testing';
import { WorkflowEngine } from '@workflow-mastery/core';
import { runHttpContract } from '@workflow-mastery/core/testing';
import { WorkflowModule } from '../src/index.js';
import { nestClient } from './http-client.js';

for (const bodyParser of [false, true]) {
  runHttpContract(`nestjs (platform-express, bodyParser: ${bodyParser})`, async ({ engine, principal, authorize, auth, metrics, readiness, deploy }) => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        WorkflowModule.forRoot({
          http: { prefix: 'workflow', principal, ...(authorize ? { authorize } : {}), ...(auth ? { auth } : {}), ...(metrics ? { metrics } : {}), ...(readiness ? { readiness } : {}), ...(deploy ? { deploy } : {}) },
        }),
      ],
    })
      .overrideProvider(WorkflowEngine)
      .useValue(engine)
      .compile();
    const app = moduleRef.createNestApplication({ bodyParser, logger: false });
    app.setGlobalPrefix('api');
    await app.init();
    return nestClient(app, '/api/workflow');
  }, { hostile: true });
}

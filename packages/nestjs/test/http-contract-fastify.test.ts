/**
 * Core's HTTP contract against a real Nest app on `@nestjs/platform-fastify`, listening on a port:
 * the module's controller under a global prefix and the module's `http.prefix`, over the suite's
 * engine (swapped in with `overrideProvider(WorkflowEngine)`).
 *
 * Run twice: with Fastify's content-type parsers removed (and a catch-all that leaves bodies
 * unparsed: Fastify's counterpart of Express's `bodyParser: false`), and with the app's parsers on.
 * Either way the controller reads the workflow routes' bodies itself (the module's body gate keeps
 * Fastify's parsers off them), so the whole contract holds in both.
 */
import 'reflect-metadata';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { WorkflowEngine } from '@workflow-mastery/core';
import { fetchContractClient, runHttpContract, type HttpContractApiOptions, type HttpContractClient } from '@workflow-mastery/core/testing';
import { WorkflowModule } from '../src/index.js';

/** A Nest-Fastify app serving the module's API at `/api/workflow`, listening on a free port. */
async function nestFastify({ engine, principal, authorize, auth, metrics, readiness, deploy }: HttpContractApiOptions, bodies: 'api' | 'app'): Promise<HttpContractClient> {
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
  const app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter({ routerOptions: { maxParamLength: 1024 } }), { logger: false, ...(bodies === 'api' ? { bodyParser: false } : {}) });
  app.setGlobalPrefix('api');
  if (bodies === 'api') {
    const fastify = app.getHttpAdapter().getInstance();
    fastify.removeAllContentTypeParsers();
    fastify.addContentTypeParser('*', (_request, _payload, done) => done(null));
  }
  await app.listen(0, '127.0.0.1');
  return fetchContractClient(`${await app.getUrl()}/api/workflow`, () => app.close());
}

runHttpContract('nestjs (platform-fastify, bodies left to the API)', (options) => nestFastify(options, 'api'), { hostile: true });

runHttpContract('nestjs (platform-fastify, the app parses bodies)', (options) => nestFastify(options, 'app'), { hostile: true });

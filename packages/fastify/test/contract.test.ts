import Fastify from 'fastify';
import { runHttpContract } from '@workflow-mastery/core/testing';
import { fastifyWorkflow, workflowFrameworkErrors } from '../src/index.js';

runHttpContract('fastify (inject, prefix /api/workflow)', async (options) => {
  // frameworkErrors: bad percent-encoding in a path answers the API's 400, as documented in the README.
  const app = Fastify({ logger: false, frameworkErrors: workflowFrameworkErrors({ prefix: '/api/workflow' }) });
  await app.register(fastifyWorkflow, { ...options, prefix: '/api/workflow' });
  await app.ready();
  return {
    async request(method, path, { body, rawBody, headers = {} } = {}) {
      const payload = rawBody ?? (body === undefined ? undefined : JSON.stringify(body));
      const res = await app.inject({
        method: method as 'GET' | 'POST',
        url: `/api/workflow${path}`,
        headers: payload === undefined ? headers : { 'content-type': 'application/json', ...headers },
        ...(payload !== undefined ? { payload } : {}),
      });
      const type = String(res.headers['content-type'] ?? '');
      return {
        status: res.statusCode,
        body: type.includes('json') && res.body !== '' ? res.json() : res.body,
        headers: res.headers as Record<string, string | string[] | undefined>,
      };
    },
    close: () => app.close(),
  };
}, { hostile: true });

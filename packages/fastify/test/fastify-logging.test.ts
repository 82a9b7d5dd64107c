/** Logging: the plugin's engine logs to `fastify.log`; a 5xx is logged once with its cause, a 4xx never as an error. */
import { afterEach, describe, expect, it } from '@jest/globals';
import { Writable } from 'node:stream';
import Fastify from 'fastify';
import { ActionResult, MemoryStorage, silentLogger, type WorkflowDefinitionInput } from '@workflow-mastery/core';
import { fastifyWorkflow } from '../src/index.js';

const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

const definitions: WorkflowDefinitionInput[] = [{ name: 'flow', steps: { a: { action: 'ok' } } }];

describe('fastifyWorkflow: logging', () => {
  it('has an engine it builds from engineOptions log to fastify.log', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    const app = Fastify({ logger: { level: 'warn', stream } });
    cleanup.push(() => app.close());
    await app.register(fastifyWorkflow, { engineOptions: { storage: new MemoryStorage(), actions: { ok: () => ActionResult.success() }, definitions }, auth: 'none' });
    await app.ready();
    app.workflow.on('*', () => {
      throw new Error('listener failed');
    });
    const instance = await app.workflow.start('flow', {});
    await app.workflow.waitFor(instance.id);
    const line = lines.find((l) => l.msg === 'event listener threw');
    expect(line).toMatchObject({ level: 50, workflowId: instance.id, err: { message: 'listener failed' } });
  });

  it('logs a 5xx once with its cause, and no 4xx with a stack', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    const app = Fastify({ logger: { level: 'info', stream } });
    cleanup.push(() => app.close());
    await app.register(fastifyWorkflow, {
      engineOptions: { actions: { ok: () => ActionResult.success() }, definitions },
      prefix: '/wf',
      principal: (req) => (req.headers['x-user'] as string | undefined) ?? undefined,
      authorize: (_p, operation) => {
        if (operation === 'instances.cancel') throw new Error('authorize failed');
        return true;
      },
    });
    await app.ready();
    const asAlice = { 'x-user': 'alice', 'content-type': 'application/json' };
    const bad = [
      await app.inject({ method: 'POST', url: '/wf/workflows/flow/instances', headers: asAlice, payload: '{"data":' }),
      await app.inject({ method: 'POST', url: '/wf/workflows/flow/instances', headers: asAlice, payload: '{"data":{"__proto__":{}}}' }),
      await app.inject({ method: 'POST', url: '/wf/workflows/flow/instances', headers: { ...asAlice, 'content-encoding': 'gzip' }, payload: '{}' }),
      await app.inject({ method: 'POST', url: '/wf/workflows/flow/instances', headers: asAlice, payload: `{"data":{"x":"${'x'.repeat(2_000_000)}"}}` }),
      await app.inject({ method: 'POST', url: '/wf/workflows/flow/instances', headers: { 'content-type': 'application/json' }, payload: '{}' }),
      await app.inject({ url: `/wf/instances/${'i'.repeat(300)}`, headers: asAlice }),
      await app.inject({ url: '/wf/instances?limit=0', headers: asAlice }),
    ];
    expect(bad.map((r) => r.statusCode)).toEqual([400, 400, 415, 413, 401, 400, 400]);
    expect(lines.filter((l) => (l.level as number) >= 40 || l.err !== undefined)).toEqual([]);

    const failed = await app.inject({ method: 'POST', url: '/wf/instances/x/cancel', headers: asAlice, payload: '{}' });
    expect([failed.statusCode, failed.json().error.code]).toEqual([500, 'WF_INTERNAL']);
    const errors = lines.filter((l) => (l.level as number) >= 50);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ err: { message: 'authorize failed' } });
  });

  it('keeps a logger named in engineOptions', async () => {
    const seen: string[] = [];
    const logger = { ...silentLogger, error: (_obj: object, msg?: string) => void seen.push(msg ?? '') };
    const app = Fastify({ logger: false });
    cleanup.push(() => app.close());
    await app.register(fastifyWorkflow, { engineOptions: { logger, actions: { ok: () => ActionResult.success() }, definitions }, auth: 'none' });
    await app.ready();
    expect(app.workflow.logger).toBe(logger);
  });
});
